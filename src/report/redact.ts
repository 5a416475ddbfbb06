/**
 * The one redactor every report, attachment and console line goes through.
 *
 * It removes the configured secret values wherever they appear, in every form a report, a header
 * or a server's echo may hold them (`secretForms`: as written, JSON-escaped once or more,
 * HTML-escaped, URL-encoded, base64 and base64url at every byte alignment), and the values of
 * credential headers and fields whatever they hold. A token issued during the run is a secret too:
 * `issued` teaches it and records it for the run's artefact scan (issued.ts).
 */
import { looksLikeJson, nestsDeeperThan } from '../client/json-depth.ts';
import { recordIssued } from './issued.ts';

const CREDENTIAL_HEADERS = /^(authorization|cookie|set-cookie|x-api-key|proxy-authorization)$/i;
const CREDENTIAL_FIELDS = /^(password|token|access_token|refresh_token|license_key|client_secret|secret|apiKey|api_key)$/i;
export const REDACTED = '[REDACTED]';

/** Shorter values are not secrets worth the name. */
export const MIN_SECRET = 4;
/** A base64 fragment shorter than this would match by chance in large files. */
export const MIN_ENCODED = 8;

export interface SecretForm {
  /** How it is written, for a scan finding: `as is`, `JSON-escaped twice`, `base64-encoded`, ... */
  readonly form: string;
  readonly text: string;
}

const json = (s: string): string => JSON.stringify(s).slice(1, -1);
/** JSON as Python's `json.dumps` or PHP write it: non-ASCII as \uXXXX, `/` as `\/`. */
const jsonAscii = (s: string): string =>
  json(s)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
const HTML_VARIANTS: readonly Readonly<Record<string, string>>[] = [
  { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' },
  { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' },
  { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' },
  // A text node: quotes left alone.
  { '&': '&amp;', '<': '&lt;', '>': '&gt;' },
];
const html = (s: string, map: Readonly<Record<string, string>>): string => s.replace(/[&<>"']/g, (c) => map[c] ?? c);
const lowerHex = (s: string): string => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());

/** Base64 of `value` as it appears at each of the three byte alignments inside a longer encoded text. */
function base64Fragments(value: Buffer, url: boolean): string[] {
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const encoded = Buffer.concat([Buffer.alloc(k), value]).toString(url ? 'base64url' : 'base64');
    const from = Math.ceil((8 * k) / 6);
    const to = Math.floor((8 * (k + value.length)) / 6);
    out.push(encoded.slice(from, to));
  }
  return out;
}

/**
 * Every form of `value` the redactor removes and the artefact scan looks for, longest first. The
 * escapes compose: a password with `"` or `\` quoted twice (a JSON body inside a JSON report) is
 * JSON-escaped twice; the HTML report shows JSON-escaped text HTML-escaped.
 */
export function secretForms(value: string): SecretForm[] {
  const forms = new Map<string, string>();
  const add = (form: string, s: string, min = MIN_SECRET): void => {
    if (s.length >= min && !forms.has(s)) forms.set(s, form);
  };
  add('as is', value);
  let escaped = value;
  const times = ['', ' twice', ' three times', ' four times'];
  for (const [i, label] of times.entries()) {
    const next = json(escaped);
    if (next === escaped) break;
    escaped = next;
    add(`JSON-escaped${label}`, escaped);
    for (const map of HTML_VARIANTS) add(`JSON-escaped${label}, then HTML-escaped`, html(escaped, map));
    add(`JSON-escaped${label}, then URL-encoded`, encodeURIComponent(escaped));
    if (i === 0) add('JSON-escaped (\\u, \\/)', jsonAscii(value));
  }
  for (const map of HTML_VARIANTS) add('HTML-escaped', html(value, map));
  const url = encodeURIComponent(value);
  add('URL-encoded', url);
  add('URL-encoded', lowerHex(url));
  add('form-encoded', url.replace(/%20/g, '+'));
  add('URL-encoded twice', encodeURIComponent(url));
  const bytes = Buffer.from(value, 'utf8');
  for (const f of base64Fragments(bytes, false)) add('base64-encoded', f, MIN_ENCODED);
  for (const f of base64Fragments(bytes, true)) add('base64url-encoded', f, MIN_ENCODED);
  return [...forms].map(([text, form]) => ({ form, text })).sort((a, b) => b.text.length - a.text.length);
}

export class Redactor {
  /** Every form of every secret, longest first, so a secret containing another is removed whole. */
  private forms: string[] = [];
  private readonly known = new Set<string>();

  constructor(secrets: readonly string[]) {
    for (const s of secrets) this.add(s);
  }

  /** Adds a secret (configured, or learnt during the run), in all its forms. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET || this.known.has(secret)) return;
    this.known.add(secret);
    const all = new Set(this.forms);
    for (const f of secretForms(secret)) all.add(f.text);
    this.forms = [...all].sort((a, b) => b.length - a.length);
  }

  /**
   * A credential the target issued during the run (a login's token, a client-credentials
   * exchange): redacted from now on, and recorded for the run's artefact scan, which runs in
   * another process (issued.ts).
   */
  issued(secret: string | undefined, what: string): void {
    if (!secret || secret.length < MIN_SECRET) return;
    const fresh = !this.known.has(secret);
    this.add(secret);
    if (fresh) recordIssued(secret, what);
  }

  /** A body: JSON with its credential fields blanked (before any truncation), else text. */
  body(s: string): string {
    // A body nested deeper than any walk may go is redacted as text (json() recurses).
    if (typeof s !== 'string' || !looksLikeJson(s) || nestsDeeperThan(s)) return this.text(s);
    try {
      return JSON.stringify(this.json(JSON.parse(s)));
    } catch {
      return this.text(s);
    }
  }

  text(s: string): string {
    let out = typeof s === 'string' ? s : String(s);
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  }

  headers(h: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(h)) {
      out[k] = CREDENTIAL_HEADERS.test(k) ? `${/^[A-Za-z][A-Za-z0-9-]* +(?=\S)/.exec(v)?.[0] ?? ''}${REDACTED}` : this.text(v);
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
