/**
 * The baseline: deviations a team has accepted (test title plus reason), checked into its own
 * repository so that a CI gate fails only on regressions. With a baseline, a failure it lists is
 * accepted; a listed test that now passes is reported so that the entry can be removed.
 *
 * File: `conformance-baseline.json` in the working directory, or the path in
 * CONFORMANCE_BASELINE; format: schemas/report/conformance-baseline.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CaseResult } from './summary.ts';

export const BASELINE_FORMAT_VERSION = '1.0';
export const BASELINE_SCHEMA_ID = 'https://fortinet-conformance.local/schemas/report/conformance-baseline.json';
export const DEFAULT_BASELINE = 'conformance-baseline.json';
/** The reason `--update-baseline` gives an entry it adds; the gate reminds the team to replace it. */
export const PLACEHOLDER_REASON = 'TODO: say why this deviation is accepted (ticket, vendor answer)';

export interface BaselineEntry {
  readonly title: string;
  readonly reason: string;
}

export interface Baseline {
  /** Absolute path of the file, whether or not it exists. */
  readonly path: string;
  readonly exists: boolean;
  readonly entries: readonly BaselineEntry[];
  /** Problems that do not stop the run (duplicate titles, placeholder reasons). */
  readonly warnings: readonly string[];
}

/** A baseline file that cannot be used: the run stops with exit code 2. */
export class BaselineError extends Error {
  override name = 'BaselineError';
}

export function baselinePath(env: Readonly<Record<string, string | undefined>>, cwd = process.cwd()): string {
  const p = env.CONFORMANCE_BASELINE?.trim();
  return resolve(cwd, p ? p : DEFAULT_BASELINE);
}

/** Reads the baseline at `path`; a missing file is an empty baseline, a malformed one a BaselineError. */
export function loadBaseline(path: string): Baseline {
  if (!existsSync(path)) return { path, exists: false, entries: [], warnings: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new BaselineError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  return { path, exists: true, ...parseBaseline(raw, path) };
}

/** Validates a baseline document: `{ "accepted": [{ "title", "reason" }] }` (a bare array is accepted too). */
export function parseBaseline(raw: unknown, where = 'baseline'): { entries: BaselineEntry[]; warnings: string[] } {
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? (raw as { accepted?: unknown }).accepted : undefined;
  if (!Array.isArray(list)) throw new BaselineError(`${where}: expected {"accepted": [{"title": ..., "reason": ...}]}`);
  const version = !Array.isArray(raw) ? (raw as { formatVersion?: unknown }).formatVersion : undefined;
  if (version !== undefined && (typeof version !== 'string' || !/^1\.\d+$/.test(version))) {
    throw new BaselineError(`${where}: formatVersion ${JSON.stringify(version)} is not one this suite reads (1.x)`);
  }
  const entries: BaselineEntry[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  list.forEach((e: unknown, i) => {
    const entry = e as Partial<BaselineEntry> | null;
    if (!entry || typeof entry !== 'object' || typeof entry.title !== 'string' || entry.title.trim() === '') {
      throw new BaselineError(`${where}: accepted[${i}] needs a "title" (the full test title)`);
    }
    if (typeof entry.reason !== 'string' || entry.reason.trim() === '') {
      throw new BaselineError(`${where}: accepted[${i}] ("${entry.title}") needs a "reason"`);
    }
    if (seen.has(entry.title)) {
      warnings.push(`accepted[${i}] repeats "${entry.title}"; the first entry counts`);
      return;
    }
    seen.add(entry.title);
    entries.push({ title: entry.title, reason: entry.reason });
  });
  const placeholders = entries.filter((e) => e.reason === PLACEHOLDER_REASON).length;
  if (placeholders)
    warnings.push(`${placeholders} entr${placeholders === 1 ? 'y still has' : 'ies still have'} the placeholder reason: say why each deviation is accepted`);
  return { entries, warnings };
}

export interface Gate {
  /** Failures the baseline does not list: these fail the gate. */
  readonly newFailures: readonly string[];
  /** Failures the baseline lists, with its reason. */
  readonly acceptedFailures: readonly BaselineEntry[];
  /** Listed tests that passed in this run: remove them from the baseline. */
  readonly nowPassing: readonly BaselineEntry[];
  /** Listed tests that were skipped or not part of this run (a filter, another shard). */
  readonly notRun: readonly BaselineEntry[];
  /** Listed titles no test of the suite has (renamed or removed operations). */
  readonly unknown: readonly BaselineEntry[];
}

/**
 * Compares the run with the baseline. `allTitles` is every title the suite declares (whether or
 * not this run included it), so that an entry naming no test at all can be told apart from one
 * that was filtered out of this run.
 */
export function compareWithBaseline(cases: readonly CaseResult[], entries: readonly BaselineEntry[], allTitles?: ReadonlySet<string>): Gate {
  const byTitle = new Map<string, CaseResult[]>();
  for (const c of cases) byTitle.set(c.title, [...(byTitle.get(c.title) ?? []), c]);
  const listed = new Map(entries.map((e) => [e.title, e]));
  const newFailures: string[] = [];
  const acceptedFailures: BaselineEntry[] = [];
  for (const c of cases) {
    // A failed preflight is a broken environment, not a deviation: it neither fails the gate nor enters a baseline.
    if (c.outcome !== 'failed' || c.preflight) continue;
    const entry = listed.get(c.title);
    if (entry) {
      if (!acceptedFailures.includes(entry)) acceptedFailures.push(entry);
    } else newFailures.push(c.title);
  }
  const nowPassing: BaselineEntry[] = [];
  const notRun: BaselineEntry[] = [];
  const unknown: BaselineEntry[] = [];
  for (const e of entries) {
    const ran = byTitle.get(e.title);
    if (!ran) {
      if (allTitles && !allTitles.has(e.title)) unknown.push(e);
      else notRun.push(e);
    } else if (ran.some((c) => c.outcome === 'failed')) continue;
    else if (ran.every((c) => c.outcome === 'skipped')) notRun.push(e);
    else nowPassing.push(e);
  }
  return { newFailures, acceptedFailures, nowPassing, notRun, unknown };
}

/**
 * The baseline after this run: current failures (existing reasons kept, new ones with the
 * placeholder), plus entries this run could not judge (skipped or not run). Entries that now
 * pass, and entries naming no test of the suite, are dropped.
 */
export function updatedEntries(cases: readonly CaseResult[], entries: readonly BaselineEntry[], allTitles?: ReadonlySet<string>): BaselineEntry[] {
  const gate = compareWithBaseline(cases, entries, allTitles);
  const keep = new Set([...gate.acceptedFailures, ...gate.notRun].map((e) => e.title));
  const out = entries.filter((e) => keep.has(e.title));
  for (const title of gate.newFailures) if (!out.some((e) => e.title === title)) out.push({ title, reason: PLACEHOLDER_REASON });
  return out.sort((a, b) => a.title.localeCompare(b.title));
}

export function serializeBaseline(entries: readonly BaselineEntry[]): string {
  const doc = { $schema: BASELINE_SCHEMA_ID, formatVersion: BASELINE_FORMAT_VERSION, accepted: entries.map(({ title, reason }) => ({ title, reason })) };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function writeBaseline(path: string, entries: readonly BaselineEntry[]): void {
  writeFileSync(path, serializeBaseline(entries));
}
