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

/** The hex digit `d` in either case, inside a RegExp. */
const hexDigit = (d: string): string => (/[a-f]/i.test(d) ? `[${d.toLowerCase()}${d.toUpperCase()}]` : d);
const hexOf = (n: number, width: number): string => [...n.toString(16).padStart(width, '0')].map(hexDigit).join('');
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
/** A backslash as an escape may write it: as is, URL-encoded (once or more), HTML-escaped (once or more). */
const BACKSLASH = String.raw`\\|%(?:25)*5[cC]|&(?:amp;)*#(?:0*92|[xX]0*5[cC]);`;
const JSON_SHORT: Readonly<Record<string, string>> = { '\n': 'n', '\r': 'r', '\t': 't', '\b': 'b', '\f': 'f' };
const HTML_NAMED: Readonly<Record<string, string>> = { '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '(?:apos|#39)' };

/**
 * The `i`-th character of a secret in every way a text may write it: as is, percent-encoded (any
 * case, encoded again, `+` for a space), as an HTML character reference (named, decimal,
 * hexadecimal; escaped again), as a JSON `\u` escape (or `\n`...), UTF-8 read as Latin-1; each
 * after any run of backslashes, so that JSON escaping once or more composes with all of them.
 *
 * The run of backslashes is taken whole (an atomic group: a lookahead and its back-reference),
 * and a match starts only where no backslash precedes: a text of 200,000 backslashes costs one
 * pass, not one per position.
 */
function charPattern(c: string, i: number): string {
  const cp = c.codePointAt(0)!;
  const afterBackslash = `(?<=${BACKSLASH})`;
  const alts = c === '\\' ? [afterBackslash] : [escapeRe(c)];
  if (c === ' ') alts.push(String.raw`\+`);
  const bytes = [...Buffer.from(c, 'utf8')];
  alts.push(bytes.map((b) => `%(?:25)*${hexOf(b, 2)}`).join(''));
  if (bytes.length > 1) alts.push(escapeRe(Buffer.from(c, 'utf8').toString('latin1')));
  alts.push(`&(?:amp;)*#(?:0*${cp}|[xX]0*${hexOf(cp, 1)});`);
  if (HTML_NAMED[c]) alts.push(`&(?:amp;)*${HTML_NAMED[c]};`);
  const units = cp > 0xffff ? [c.charCodeAt(0), c.charCodeAt(1)] : [cp];
  alts.push(units.map((u, k) => `${k ? String.raw`\\+` : afterBackslash}u${hexOf(u, 4)}`).join(''));
  if (JSON_SHORT[c]) alts.push(`${afterBackslash}${JSON_SHORT[c]}`);
  return `(?=(?<s${i}>(?:${BACKSLASH})*))\\k<s${i}>(?:${alts.join('|')})`;
}

/** The texts whose base64 secretPattern matches: the value, it JSON-escaped, it URL-encoded. */
const encodedSources = (value: string): Buffer[] => [...new Set([value, json(value), encodeURIComponent(value)])].map((s) => Buffer.from(s, 'utf8'));

/** The base64 (or base64url) fragments of `sources` at every alignment, and each URL-encoded (`+`, `/` and `=` in a query string or a form). */
function base64Literals(sources: readonly Buffer[], url: boolean): string[] {
  const all = new Set<string>();
  for (const b of sources) {
    for (const f of base64Fragments(b, url)) {
      if (f.length < MIN_ENCODED) continue;
      all.add(f);
      all.add(encodeURIComponent(f));
    }
  }
  return [...all];
}

/**
 * The characters every form of secretPattern but the value as is, its base64 and its hex needs:
 * an escape (`%`, `&`, a backslash), `+` for a space, or UTF-8 read as Latin-1.
 */
const ESCAPING = /[%&\\+\u0080-\uffff]/;

/**
 * The fixed strings secretPattern matches in a text with no ESCAPING character: the value as is,
 * its base64 and base64url fragments, its hex in either case. Where none occurs in such a text,
 * the pattern cannot match there, and the redactor need not run it (issue 14: most bodies).
 */
export function plainForms(value: string): string[] {
  const sources = encodedSources(value);
  const hex = Buffer.from(value, 'utf8').toString('hex');
  return [value, ...base64Literals(sources, false), ...base64Literals(sources, true), hex, hex.toUpperCase()];
}

/**
 * A RegExp source matching `value` in every form a report, a header or a server's echo may hold
 * it: the text forms of charPattern, composed character by character (a password with `"` or `\`
 * quoted twice, then HTML-escaped, then URL-encoded), and the whole-value encodings (base64 and
 * base64url at every alignment of the value, of it JSON-escaped and URL-encoded, also
 * URL-encoded themselves; hex). Named groups say which: `b64`, `b64url`, `hex`, else a text form.
 */
export function secretPattern(value: string): string {
  const text = `(?<!${BACKSLASH})${[...value].map(charPattern).join('')}`;
  const sources = encodedSources(value);
  const fragments = (url: boolean): string =>
    base64Literals(sources, url)
      .sort((a, b) => b.length - a.length)
      .map(escapeRe)
      .join('|') || '(?!)';
  const hex = Buffer.from(value, 'utf8').toString('hex');
  // Where a match may start, as one character class first: the engine skips other positions fast.
  const first = [...value][0]!;
  const starts = new Set(['\\', '%', '&', first, Buffer.from(first, 'utf8').toString('latin1')[0]!, hex[0]!, hex[0]!.toUpperCase()]);
  if (first === ' ') starts.add('+');
  for (const b of sources) for (const url of [false, true]) for (const f of base64Fragments(b, url)) if (f) starts.add(f[0]!);
  const startClass = `[${[...starts].map((c) => (/[\\\]^-]/.test(c) ? `\\${c}` : c)).join('')}]`;
  return `(?=${startClass})(?:${text}|(?<b64>${fragments(false)})|(?<b64url>${fragments(true)})|(?<hex>${escapeRe(hex)}|${escapeRe(hex.toUpperCase())}))`;
}

/** Secrets of more characters than twice this are looked for first by the pattern of their first GATE characters. */
export const GATE = 16;

/**
 * For a long secret (an issued token of a hundred characters has a pattern of 22 KB, which V8
 * compiles for about 40 ms and runs slowly over large texts), the pattern of its first GATE
 * characters: wherever secretPattern(value) matches, this matches too, at the same place. Each text
 * form is composed character by character, so a match's first GATE characters are a match of the
 * prefix's; the base64 fragments of the prefix hold only the characters its own bytes decide, the
 * same at the same alignment in the value's; its hex is a prefix of the value's. A text the gate
 * does not match cannot hold the secret, and the full pattern need not run there (issue 14).
 * Undefined for a short secret, whose own pattern is as cheap.
 */
export function gatePattern(value: string): RegExp | undefined {
  const chars = [...value];
  return chars.length > 2 * GATE ? new RegExp(secretPattern(chars.slice(0, GATE).join(''))) : undefined;
}

/** What a match of secretPattern was, for a scan finding. */
export function formOfMatch(value: string, m: RegExpExecArray): string {
  if (m.groups?.b64 !== undefined) return 'base64-encoded';
  if (m.groups?.b64url !== undefined) return 'base64url-encoded';
  if (m.groups?.hex !== undefined) return 'hex-encoded';
  const t = m[0];
  if (t === value || t === Buffer.from(value, 'utf8').toString('latin1')) return 'as is';
  const count = (s: string, re: RegExp): number => s.match(re)?.length ?? 0;
  const ways = [
    count(t, /\\|%(?:25)*5c/gi) > count(value, /\\/g) || /\\u[0-9a-f]{4}/i.test(t) ? 'JSON-escaped' : '',
    count(t, /&(?:#|amp;|lt;|gt;|quot;|apos;)/g) > count(value, /&(?:#|amp;|lt;|gt;|quot;|apos;)/g) ? 'HTML-escaped' : '',
    count(t, /%[0-9a-f]{2}|\+/gi) > count(value, /%[0-9a-f]{2}|\+/gi) ? 'URL-encoded' : '',
  ].filter(Boolean);
  return ways.length ? ways.join(', ') : 'encoded';
}

/**
 * Every form of `value` the redactor removes and the artefact scan looks for, longest first: the
 * usual ones, written out (tests and documentation; the redactor and the scan match the wider
 * secretPattern, which matches each of these). The escapes compose: a password with `"` or `\`
 * quoted twice (a JSON body inside a JSON report) is JSON-escaped twice; the HTML report shows
 * JSON-escaped text HTML-escaped.
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
  /** One pattern per secret (secretPattern), longest secret first, so a secret containing another is removed whole. */
  private patterns: { readonly value: string; readonly re: RegExp; readonly gate?: RegExp; readonly plain: readonly string[] }[] = [];
  /** The length of the shortest plain form of any secret: a shorter text without escaping characters holds none. */
  private shortestPlain = Number.POSITIVE_INFINITY;
  private readonly known = new Set<string>();

  constructor(secrets: readonly string[]) {
    for (const s of secrets) this.add(s);
  }

  /** Adds a secret (configured, or learnt during the run), in all its forms. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET || this.known.has(secret)) return;
    this.known.add(secret);
    const plain = plainForms(secret);
    this.patterns.push({ value: secret, re: new RegExp(secretPattern(secret), 'g'), gate: gatePattern(secret), plain });
    for (const form of plain) this.shortestPlain = Math.min(this.shortestPlain, form.length);
    this.patterns.sort((a, b) => b.value.length - a.value.length);
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
      // In a JSON text without a backslash every string is written as it is, a substring of the
      // text: where the whole text holds no plain form of a secret, a string without escaping
      // characters holds none either, and only the others need the patterns (issue 14: most of a
      // page's strings, checked one by one, were the largest share of the suite's own work).
      const plainIsClean = !s.includes('\\') && !this.patterns.some(({ plain }) => plain.some((f) => s.includes(f)));
      return JSON.stringify(this.walk(JSON.parse(s), plainIsClean));
    } catch {
      return this.text(s);
    }
  }

  text(s: string): string {
    let out = typeof s === 'string' ? s : String(s);
    // A text without any escaping character holds a secret only in one of its plain forms: found
    // with includes(), the full pattern runs only then (the same result, far fewer passes).
    const plain = !ESCAPING.test(out);
    // Most strings of a body are shorter than any plain form (a status, a name, a number as text).
    if (plain && out.length < this.shortestPlain) return out;
    for (const { re, gate, plain: forms } of this.patterns) {
      if (plain && !forms.some((f) => out.includes(f))) continue;
      if (gate && !gate.test(out)) continue;
      out = out.replace(re, REDACTED);
    }
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
    return this.walk(v, false);
  }

  /** json(); `plainIsClean`: a string without escaping characters is known to hold no secret. */
  private walk(v: unknown, plainIsClean: boolean): unknown {
    if (typeof v === 'string') return plainIsClean && !ESCAPING.test(v) ? v : this.text(v);
    if (Array.isArray(v)) return v.map((x) => this.walk(x, plainIsClean));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = CREDENTIAL_FIELDS.test(k) && x !== null && x !== '' ? REDACTED : this.walk(x, plainIsClean);
      return out;
    }
    return v;
  }
}
