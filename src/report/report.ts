/**
 * The conformance report document (`reports/conformance-report.json`): run metadata, the
 * summary, every case, the baseline comparison and the verdict with its exit code. Format:
 * schemas/report/conformance-report.json, described in docs/report-format.md.
 */
import type { Gate } from './baseline.ts';
import { type CaseResult, FORMAT_VERSION, REPORT_SCHEMA_ID, type Summary, summarize } from './summary.ts';

/** The exit codes of `npm run conformance` (README, "Exit codes"). */
export const EXIT = {
  /** Every test passed or was skipped, or failed with a baseline entry accepting it. */
  conforming: 0,
  /** A test failed that the baseline does not accept. */
  notConforming: 1,
  /** A setting, flag or the baseline file is wrong; nothing was judged. */
  configuration: 2,
  /** A configured secret (or an issued token) was found in an artefact of the run. */
  secretInArtefact: 3,
  /** The run did not complete: a test file did not load, the run was interrupted or timed out, a shard is missing. */
  incomplete: 4,
  /**
   * A product could not be judged: its live preflight failed (unreachable, certificate refused,
   * credentials refused, not the API). A broken environment is not a verdict on the API; the
   * products that could be judged conform.
   */
  notJudged: 5,
} as const;

export type VerdictResult = 'conforming' | 'not-conforming' | 'incomplete' | 'configuration-error' | 'not-judged';

export interface Verdict {
  readonly result: VerdictResult;
  /** Exit code of the run before the artefact scan (which may turn it into 3). */
  readonly exitCode: number;
  readonly reasons: readonly string[];
}

/**
 * What happened to a product in this run:
 * - `tested`: its tests ran (some may have been skipped, each with its reason);
 * - `skipped`: none of its tests ran, `reason` says why (its URL is not set, `--project` or `-g`
 *   left it out, every test was skipped, the run stopped first);
 * - `not-judged`: its live preflight failed, `reason` is the preflight's cause; its tests did not run.
 */
export type TargetStatus = 'tested' | 'skipped' | 'not-judged';

export interface TargetInfo {
  readonly product: string;
  readonly name: string;
  readonly status: TargetStatus;
  /** Why the product was skipped or not judged. */
  readonly reason?: string;
  /** Base URL configured (user information removed); absent when the product was not configured. */
  readonly url?: string;
  /** Product version whose documented behaviour was checked (FortiSOAR); only for a product tested. */
  readonly version?: string;
}

export interface RunInfo {
  readonly id?: string;
  readonly target: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly generatedAt: string;
  /** Playwright's own status of the run: passed, failed, timedout or interrupted. */
  readonly status: string;
  readonly playwrightVersion: string;
  /** This report covers one shard only. */
  readonly shard?: { readonly current: number; readonly total: number };
  /** This report was built by merging shard reports. */
  readonly merged?: { readonly total: number; readonly shards: readonly number[]; readonly missing: readonly number[] };
  /** Answers 429 or 503 with Retry-After the run waited out and sent again (live mode). */
  readonly throttled?: number;
}

export interface BaselineReport extends Gate {
  readonly path: string;
  readonly exists: boolean;
  readonly warnings: readonly string[];
  /** Set by `--update-baseline`: what changed in the file. */
  readonly updated?: { readonly added: number; readonly removed: number; readonly kept: number };
  /** The baseline could not be read: the run stops with exit code 2. */
  readonly error?: string;
}

export interface ConformanceReport {
  readonly $schema: string;
  readonly formatVersion: string;
  readonly suite: { readonly name: string; readonly version: string };
  readonly run: RunInfo;
  /** The product versions whose documented behaviour was checked; only products that were tested. */
  readonly checkedAgainst: { readonly fortisoar?: { readonly version: string; readonly source: 'annotation' | 'run' | 'environment' | 'default' } };
  readonly targets: readonly TargetInfo[];
  readonly summary: Summary;
  readonly cases: readonly CaseResult[];
  readonly baseline: BaselineReport;
  /** Errors outside any test (a test file that does not load, a worker crash), redacted. */
  readonly errors: readonly string[];
  readonly verdict: Verdict;
}

export function verdictOf(input: {
  status: string;
  errors: readonly string[];
  baseline: BaselineReport;
  missingShards?: readonly number[];
  notJudged?: readonly TargetInfo[];
  /** Tests skipped because the server kept throttling beyond the suite's bound (`[throttled] ...`). */
  throttled?: number;
}): Verdict {
  const { baseline } = input;
  if (baseline.error) return { result: 'configuration-error', exitCode: EXIT.configuration, reasons: [baseline.error] };
  const reasons: string[] = [];
  if (input.errors.length) reasons.push(`${input.errors.length} error(s) outside the tests`);
  if (input.status === 'interrupted') reasons.push('the run was interrupted');
  if (input.status === 'timedout') reasons.push('the run reached its global timeout');
  if (input.missingShards?.length) reasons.push(`shard(s) ${input.missingShards.join(', ')} missing from the merge`);
  if (reasons.length) return { result: 'incomplete', exitCode: EXIT.incomplete, reasons };
  const notJudged = (input.notJudged ?? []).map((t) => `${t.name} not judged: ${t.reason ?? 'its preflight failed'}`);
  // A server too busy to answer is a broken environment too: its tests were not judged, and a
  // run that could not judge them is no proof of conformance (the skip reasons name them).
  if (input.throttled) notJudged.push(`${input.throttled} test(s) not judged: the server kept throttling (429, or 503 with Retry-After)`);
  // A deviation found in a product that was judged outweighs a product that could not be.
  if (baseline.newFailures.length) {
    return {
      result: 'not-conforming',
      exitCode: EXIT.notConforming,
      reasons: [`${baseline.newFailures.length} failure(s) not in the baseline`, ...notJudged],
    };
  }
  const accepted = baseline.acceptedFailures.length ? [`${baseline.acceptedFailures.length} failure(s) accepted by the baseline`] : [];
  if (notJudged.length) return { result: 'not-judged', exitCode: EXIT.notJudged, reasons: [...notJudged, ...accepted] };
  return { result: 'conforming', exitCode: EXIT.conforming, reasons: accepted };
}

export interface ReportInput {
  readonly suite: { readonly name: string; readonly version: string };
  readonly run: RunInfo;
  readonly checkedAgainst: ConformanceReport['checkedAgainst'];
  readonly targets: readonly TargetInfo[];
  readonly cases: readonly CaseResult[];
  readonly baseline: BaselineReport;
  readonly errors: readonly string[];
}

/** Marks accepted failures, summarises and judges. */
export function buildReport(input: ReportInput): ConformanceReport {
  const accepted = new Map(input.baseline.acceptedFailures.map((e) => [e.title, e.reason]));
  const cases = input.cases.map((c) => (c.outcome === 'failed' && accepted.has(c.title) ? { ...c, accepted: { reason: accepted.get(c.title)! } } : c));
  return {
    $schema: REPORT_SCHEMA_ID,
    formatVersion: FORMAT_VERSION,
    suite: input.suite,
    run: input.run,
    checkedAgainst: input.checkedAgainst,
    targets: input.targets,
    summary: summarize(cases),
    cases,
    baseline: input.baseline,
    errors: input.errors,
    verdict: verdictOf({
      status: input.run.status,
      errors: input.errors,
      baseline: input.baseline,
      missingShards: input.run.merged?.missing,
      notJudged: input.targets.filter((t) => t.status === 'not-judged'),
      throttled: cases.filter((c) => c.outcome === 'skipped' && c.skipReason?.startsWith('[throttled]')).length,
    }),
  };
}
