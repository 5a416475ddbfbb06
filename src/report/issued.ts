/**
 * Tokens issued during the run, shared between processes. A worker's redactor learns the tokens
 * its own logins receive; the runner (which redacts results and prints the console) and the final
 * artefact scan (in `npm run conformance`'s own process) do not see them, and a token need not be
 * JWT-shaped (issue 15: the scan knew issued tokens only by their shape). So each worker appends
 * what it is issued to one private file: created by `scripts/conformance.mjs` with mode 0600 in a
 * directory of mode 0700 outside the artefacts, its path passed in CONFORMANCE_ISSUED_TOKENS_FILE,
 * read by the redaction in the runner and by the scan, and deleted when the scan is done.
 */
import { appendFileSync, readFileSync, statSync } from 'node:fs';

export const ISSUED_TOKENS_FILE = 'CONFORMANCE_ISSUED_TOKENS_FILE';

export interface IssuedSecret {
  /** What it is, for a finding: never the value. */
  readonly name: string;
  readonly value: string;
}

/** Appends an issued secret to the run's file, when the run has one (else the worker's own redactor is all that knows it). */
export function recordIssued(value: string, name: string, env: Readonly<Record<string, string | undefined>> = process.env): void {
  const path = env[ISSUED_TOKENS_FILE];
  if (!path) return;
  try {
    appendFileSync(path, `${JSON.stringify({ name, value })}\n`, { mode: 0o600 });
  } catch {
    // The file went away (the run is over): nothing left to scan.
  }
}

/** The secrets recorded in `path` (none when it does not exist). */
export function readIssued(path: string | undefined): IssuedSecret[] {
  if (!path) return [];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const out: IssuedSecret[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const { name, value } = JSON.parse(line) as { name?: unknown; value?: unknown };
      if (typeof value === 'string' && value !== '') out.push({ name: typeof name === 'string' ? name : 'a token issued during the run', value });
    } catch {
      // A line cut short by a worker that was killed while writing.
    }
  }
  return out;
}

const seen = new WeakMap<object, string>();

/**
 * Teaches `learner` the secrets recorded so far in the run's file (re-read only when it grew):
 * for the runner, which redacts what workers report.
 */
export function learnIssued(learner: { add(secret: string): void }, env: Readonly<Record<string, string | undefined>> = process.env): void {
  const path = env[ISSUED_TOKENS_FILE];
  if (!path) return;
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return;
  }
  const key = `${path}:${size}`;
  if (seen.get(learner) === key) return;
  seen.set(learner, key);
  for (const s of readIssued(path)) learner.add(s.value);
}
