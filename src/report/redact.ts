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
    this.secrets = [];
    for (const s of secrets) this.add(s);
  }

  /** Adds a secret (configured, or learnt during the run: a token returned by a login), with its base64 form. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < 4) return;
    for (const form of [secret, Buffer.from(secret).toString('base64').replace(/=+$/, '')]) {
      if (!this.secrets.includes(form)) this.secrets.push(form);
    }
    // Longest first, so a secret containing another is removed whole.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  /** A body: JSON with its credential fields blanked (before any truncation), else text. */
  body(s: string): string {
    try {
      return JSON.stringify(this.json(JSON.parse(s)));
    } catch {
      return this.text(s);
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
