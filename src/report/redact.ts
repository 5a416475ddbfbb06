/**
 * The one redactor every report, attachment and console line goes through.
 *
 * It removes the configured secret values wherever they appear, and the values of credential
 * headers and fields whatever they hold (a token issued during the run is a secret too).
 */
const CREDENTIAL_HEADERS = /^(authorization|cookie|set-cookie|x-api-key|proxy-authorization)$/i;
const CREDENTIAL_FIELDS = /^(password|token|access_token|refresh_token|license_key|client_secret|secret|apiKey|api_key)$/i;
export const REDACTED = '[REDACTED]';

export class Redactor {
  private readonly secrets: string[];
  constructor(secrets: readonly string[]) {
    // Longest first, so a secret containing another is removed whole.
    this.secrets = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  }

  /** Adds a secret learnt during the run (a token returned by a login). */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 4 && !this.secrets.includes(secret)) {
      this.secrets.push(secret);
      this.secrets.sort((a, b) => b.length - a.length);
    }
  }

  text(s: string): string {
    let out = typeof s === 'string' ? s : String(s);
    for (const secret of this.secrets) out = out.split(secret).join(REDACTED);
    for (const secret of this.secrets) {
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) out = out.split(encoded).join(REDACTED);
    }
    return out;
  }

  headers(h: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(h)) {
      out[k] = CREDENTIAL_HEADERS.test(k) ? v.replace(/^(\S+\s+)?.*$/, (_m, scheme: string | undefined) => `${scheme ?? ''}${REDACTED}`) : this.text(v);
    }
    return out;
  }

  /** A JSON value with credential fields blanked and secrets removed from every string. */
  json(v: unknown): unknown {
    if (typeof v === 'string') return this.text(v);
    if (Array.isArray(v)) return v.map((x) => this.json(x));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = CREDENTIAL_FIELDS.test(k) && x !== null && x !== '' ? REDACTED : this.json(x);
      return out;
    }
    return v;
  }
}
