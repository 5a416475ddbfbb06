/**
 * How the suite names what it creates on a live target, and how `npm run cleanup` recognises
 * those names and nothing else (issue 15: records named "conformance-suite notes kept by the SOC
 * team" or "Conformance-Suite-checklist" existed before any run and were deleted by a prefix
 * match).
 *
 * A name is `conformance-suite <run id> w<worker>-<counter> <label>`; where a field accepts only
 * a few characters (user logins, file names) the same name is reduced to its slug,
 * `conformance-suite-<run id>-w<worker>-<counter>-<label slug>`, optionally followed by a suffix
 * (`@example.invalid`, `.json`). Both forms are matched case-sensitively and whole; a run id is
 * lowercase letters and digits in hyphen-separated groups, so the slug form keeps it unchanged.
 */
import { randomBytes } from 'node:crypto';

/** The marker every name begins with. */
export const MARKER = 'conformance-suite';

/** A run id: lowercase letters and digits, in groups joined by single hyphens, at most 64 characters. */
export const RUN_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_RUN_ID = 64;

/** Why `id` is not a usable run id, or undefined when it is. */
export function runIdProblem(id: string): string | undefined {
  if (id.length > MAX_RUN_ID) return `must be at most ${MAX_RUN_ID} characters, got ${id.length}`;
  if (!RUN_ID.test(id)) return `must be lowercase letters and digits, optionally in groups joined by single hyphens (like "nightly-42"), got "${id}"`;
  return undefined;
}

/**
 * A run id unique to this run: its UTC start time (readable in a cleanup listing) and 6 random
 * characters, so that two runs started in the same second (two CI jobs) are told apart:
 * `20261122t101500-k3f9q2`.
 */
export function newRunId(now = new Date()): string {
  const time = now
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .toLowerCase();
  const random = [...randomBytes(6)].map((b) => (b % 36).toString(36)).join('');
  return `${time}-${random}`;
}

/** A name reduced to characters every field accepts: runs of anything else become one hyphen, lowercase. */
export const slugOf = (name: string): string =>
  name
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

export interface SuiteName {
  /** `conformance-suite <run id> w<worker>-<counter> <label>` */
  readonly name: string;
  /** `conformance-suite-<run id>-w<worker>-<counter>-<label slug>` */
  readonly slug: string;
}

/** The name (and its slug) of the `counter`-th thing worker `worker` of run `runId` creates. */
export function suiteName(runId: string, worker: number, counter: number, label: string): SuiteName {
  const problem = runIdProblem(runId);
  if (problem) throw new Error(`[marker] the run id ${problem}`);
  const name = `${MARKER} ${runId} w${worker}-${counter}${label ? ` ${label}` : ''}`;
  return { name, slug: slugOf(name) };
}

const ANY_RUN = '[a-z0-9]+(?:-[a-z0-9]+)*';
/** `s` matched literally inside a RegExp. */
/** The record fields a name the suite gives can be in (which field a module names its records by). */
export const NAME_FIELDS = ['name', 'hostname', 'value', 'username', 'email', 'loginid', 'fileName', 'filename'] as const;

export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface NamePatterns {
  readonly name: RegExp;
  readonly slug: RegExp;
}

/** Compiled once per run id: `npm run cleanup` tests every name field of every record it reads. */
const compiled = new Map<string | undefined, NamePatterns>();

/**
 * The patterns of the names one run (or, without `runId`, any run) gave: the name as written
 * (label free text on one line), and the slug form with an optional suffix starting with `@` or
 * `.` (a login's domain, a file extension).
 */
export function namePatterns(runId?: string): NamePatterns {
  let p = compiled.get(runId);
  if (!p) {
    const run = runId === undefined ? ANY_RUN : escapeRegExp(runId);
    p = {
      name: new RegExp(`^${MARKER} (${run}) w\\d{1,4}-\\d{1,9}(?: [^\\n]*)?$`),
      slug: new RegExp(`^${MARKER}-(${run})-w\\d{1,4}-\\d{1,9}(?:-[a-z0-9]+)*(?:[@.][A-Za-z0-9.@_-]*)?$`),
    };
    compiled.set(runId, p);
  }
  return p;
}

/** True when `value` is a name the suite gave (in run `runId`, or in any run). */
export function isSuiteName(value: unknown, runId?: string): boolean {
  if (typeof value !== 'string') return false;
  const p = namePatterns(runId);
  return p.name.test(value) || p.slug.test(value);
}
