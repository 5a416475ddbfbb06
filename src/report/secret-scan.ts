/**
 * The final check of a run: every artefact it wrote (reports/, test-results/, allure-results/,
 * allure-report/, blob reports) is searched for the configured secrets, as written and in the
 * encodings a report may store them in (redact.ts `secretForms`: URL, form, JSON escaping once
 * or more, HTML escaping, base64 and base64url at any byte alignment, so `Basic
 * base64(user:password)` is caught too), for the tokens issued during the run (issued.ts), and
 * for JSON Web Tokens. Zip archives (blob reports), the zip Playwright's HTML
 * report embeds in index.html and the base64 files of Allure's single-file report are opened, so
 * a token inside them is seen too. A finding names the file and the variable, never the value.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadConfig, namedSecrets, SECRET_VARIABLES } from '../config/index.ts';
import { ISSUED_TOKENS_FILE, readIssued } from './issued.ts';
import { formOfMatch, gatePattern, MIN_SECRET, secretPattern } from './redact.ts';
import { JWT } from './scrub.ts';
import { isZip, readZip, type ZipEntry } from './zip.ts';

export interface Secret {
  /** What the value is, for the message: the variable it came from. */
  readonly name: string;
  readonly value: string;
}

export interface Finding {
  /** The file, relative to the working directory; `archive › entry` inside an archive. */
  readonly file: string;
  /** The secret's name (never its value). */
  readonly secret: string;
  /** How it was written: `as is`, `URL-encoded`, `base64-encoded`, ... */
  readonly form: string;
}

export interface ScanResult {
  readonly files: number;
  readonly findings: readonly Finding[];
  /** Entries that could not be opened (an unsupported archive): reported, not ignored. */
  readonly unreadable: readonly string[];
}

const JWT_ONCE = new RegExp(JWT.source);
const ENV_SECRET = /(_PASSWORD|_API_KEY|_TOKEN|_CLIENT_SECRET)$/;

/**
 * The secrets of a configuration, named after their variables: loadConfig(env).secrets (in stub
 * mode, the stub's credentials), plus the credential variables set in the environment even when
 * the configuration does not use them (or does not load): a merge job, or a stub run on a
 * machine holding live credentials, must not publish them either; plus the tokens the run's
 * workers were issued (issued.ts), whatever their shape.
 */
export function configuredSecrets(env: Readonly<Record<string, string | undefined>>): Secret[] {
  const out: Secret[] = [];
  const add = (name: string, value: string | undefined): void => {
    if (value && value.length >= MIN_SECRET && !out.some((s) => s.value === value)) out.push({ name, value });
  };
  let values: readonly string[] = [];
  try {
    const config = loadConfig(env);
    for (const s of namedSecrets(config)) add(s.variable, s.value);
    values = config.secrets;
  } catch {
    // A configuration that does not load stopped the run already; scan what the environment holds.
  }
  for (const v of values) add(Object.keys(env).find((k) => env[k] === v && ENV_SECRET.test(k)) ?? 'a configured secret', v);
  for (const k of SECRET_VARIABLES) add(k, env[k]?.trim());
  for (const [k, v] of Object.entries(env)) if (/_CLIENT_SECRET$/.test(k)) add(k, v?.trim());
  for (const s of readIssued(env[ISSUED_TOKENS_FILE])) add(s.name, s.value);
  return out;
}

/**
 * A secret ready for scanning: its name, its value, the pattern of all its forms (redact.ts
 * `secretPattern`) and, for a long one, the gate that must match first (redact.ts `gatePattern`).
 */
export interface PreparedSecret {
  readonly name: string;
  readonly value: string;
  readonly pattern: RegExp;
  readonly gate?: RegExp;
}

/** Prepares each secret's patterns once for a scan (V8 compiles them on first use). */
export function prepareSecrets(secrets: readonly Secret[]): PreparedSecret[] {
  // Tokens a server issues often begin alike (a JWT's header): one gate serves them all.
  const gates = new Map<string, RegExp>();
  return secrets.map((s) => {
    const gate = gatePattern(s.value);
    if (gate && !gates.has(gate.source)) gates.set(gate.source, gate);
    return { name: s.name, value: s.value, pattern: new RegExp(secretPattern(s.value)), gate: gate && gates.get(gate.source) };
  });
}

/** A finder of secrets in one text: the full pattern runs only where the secret's gate matches, each gate once. */
function finder(text: string): (s: PreparedSecret) => RegExpExecArray | null {
  const open = new Map<RegExp, boolean>();
  return (s) => {
    if (s.gate) {
      let passes = open.get(s.gate);
      if (passes === undefined) open.set(s.gate, (passes = s.gate.test(text)));
      if (!passes) return null;
    }
    return s.pattern.exec(text);
  };
}

/** Searches one buffer; opens it when it is a zip or a Playwright HTML report. */
export function scanBuffer(name: string, data: Buffer, secrets: readonly PreparedSecret[], findings: Finding[], unreadable: string[], depth = 0): void {
  if (depth < 3 && isZip(data)) {
    let entries: ZipEntry[];
    try {
      entries = readZip(data);
    } catch (e) {
      unreadable.push(`${name}: ${(e as Error).message}`);
      entries = [];
    }
    for (const entry of entries) {
      if ('unreadable' in entry.data) unreadable.push(`${name} › ${entry.name}: ${entry.data.unreadable}`);
      else scanBuffer(`${name} › ${entry.name}`, entry.data, secrets, findings, unreadable, depth + 1);
    }
    if (entries.length) return;
  }
  // Latin-1 keeps every byte as one character: a secret's UTF-8 bytes read so are matched by the
  // pattern's "UTF-8 read as Latin-1" form, and every encoded form is ASCII. A file with other
  // bytes is read as UTF-8 too (a text that had been read as Latin-1 once before it was written).
  const text = data.toString('latin1');
  const utf8 = data.some((b) => b >= 0x80) ? data.toString('utf8') : undefined;
  const inText = finder(text);
  const inUtf8 = utf8 === undefined ? undefined : finder(utf8);
  for (const s of secrets) {
    const hit = inText(s) ?? inUtf8?.(s) ?? null;
    if (hit) findings.push({ file: name, secret: s.name, form: formOfMatch(s.value, hit) });
  }
  if (JWT_ONCE.test(text)) findings.push({ file: name, secret: 'a JSON Web Token (a token issued during the run)', form: 'as is' });
  if (depth < 3 && /\.html?$/i.test(name)) {
    // Playwright's HTML report: its data is a base64 zip embedded in index.html.
    const embedded = /data:application\/zip;base64,([A-Za-z0-9+/=]+)/.exec(text);
    if (embedded) scanBuffer(`${name} › (embedded report)`, Buffer.from(embedded[1], 'base64'), secrets, findings, unreadable, depth + 1);
    // Allure's single-file report: each data file is a base64 string, `d("data/x.json","<base64>")`.
    for (const m of text.matchAll(ALLURE_FILE)) scanBuffer(`${name} › ${m[1]}`, Buffer.from(m[2], 'base64'), secrets, findings, unreadable, depth + 1);
  }
}

const ALLURE_FILE = /\bd\("([^"]{1,300})","([A-Za-z0-9+/=]{4,})"\)/g;

function* filesUnder(path: string, since: number): Generator<string> {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (!st || st.isSymbolicLink()) return;
  if (st.isFile()) {
    if (st.mtimeMs >= since) yield path;
  } else if (st.isDirectory()) for (const e of readdirSync(path).sort()) yield* filesUnder(join(path, e), since);
}

/**
 * Scans every file under `paths` (missing paths are skipped) for `secrets`; with `since` (epoch
 * ms), only the files written since then: the artefacts of this run, not older ones left beside.
 */
export function scanArtefacts(
  paths: readonly string[],
  secrets: readonly Secret[],
  cwd = process.cwd(),
  since = 0,
  /** Names to show instead of a path (the console output, kept in a private file). */
  labels: ReadonlyMap<string, string> = new Map(),
): ScanResult {
  const prepared = prepareSecrets(secrets);
  const findings: Finding[] = [];
  const unreadable: string[] = [];
  let files = 0;
  for (const root of paths) {
    if (!existsSync(root)) continue;
    for (const file of filesUnder(root, since)) {
      files++;
      scanBuffer(labels.get(file) ?? (relative(cwd, file) || file), readFileSync(file), prepared, findings, unreadable);
    }
  }
  return { files, findings, unreadable };
}

/** One line per finding, naming the file and the secret, never its value. */
export function describeFindings(result: ScanResult): string[] {
  return result.findings.map(
    (f) => `${f.file}: contains ${f.secret.startsWith('a ') ? f.secret : `the value of ${f.secret}`}${f.form === 'as is' ? '' : ` (${f.form})`}`,
  );
}
