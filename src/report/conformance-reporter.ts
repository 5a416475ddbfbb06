/**
 * The conformance reporter: at the end of a run (or of `playwright merge-reports` over shard
 * blobs) it prints the conformance summary and writes `reports/conformance-report.json` (the
 * versioned format of schemas/report/conformance-report.json) and `reports/conformance-report.md`.
 * It compares the failures with the baseline (baseline.ts) and, with
 * CONFORMANCE_UPDATE_BASELINE=1 (`npm run conformance -- --update-baseline`), rewrites it.
 *
 * It must come first in the reporter list: it redacts each result (scrub.ts) before the other
 * reporters see it, and it records the run's metadata in `config.metadata` before the blob
 * reporter serialises the configuration, so that a merged report still knows the target, the
 * FortiSOAR version and which shards it was built from. Both need the configuration before
 * `onBegin`, hence the v2 reporter interface (as allure-playwright uses).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FullConfig, FullResult, Suite, TestCase, TestError, TestResult, TestStep } from '@playwright/test/reporter';
import { deriveCases } from '../cases/derive.ts';
import { type Config, loadConfig, NEWEST_FORTISOAR_VERSION, PRODUCT_NAMES, PRODUCTS } from '../config/index.ts';
import { loadSpec } from '../spec/load.ts';
import { BaselineError, baselinePath, compareWithBaseline, loadBaseline, updatedEntries, writeBaseline } from './baseline.ts';
import { ANSI, failureKind } from './findings.ts';
import { Redactor } from './redact.ts';
import { renderMarkdown, renderText } from './render.ts';
import { type BaselineReport, buildReport, type ConformanceReport, type TargetInfo } from './report.ts';
import { scrubConsole, scrubError, scrubResult, scrubStep, scrubText } from './scrub.ts';
import { annotationsOf, type CaseResult, type Outcome, parseTitle, productOfTags, skipReasonOf } from './summary.ts';

export const REPORT_JSON = 'conformance-report.json';
export const REPORT_MD = 'conformance-report.md';

interface Options {
  /** Where the JSON and Markdown reports go, relative to the configuration's directory (default `reports`). */
  readonly outputDir?: string;
  /** Print nothing (the files are still written). */
  readonly quiet?: boolean;
  // Passed by Playwright to every reporter.
  readonly configDir?: string;
  readonly _mode?: 'test' | 'list' | 'merge';
}

/** A product as configured for the run (before anything ran). */
interface ConfiguredTarget {
  readonly product: string;
  readonly name: string;
  readonly url?: string;
  readonly version?: string;
  /** Why the configuration leaves it out (its URL is not set). */
  readonly skipped?: string;
}

/** What a run records in `config.metadata.conformance`; travels inside blob reports. */
interface RunMetadata {
  readonly runId?: string;
  readonly target: string;
  readonly fortisoarVersion?: string;
  readonly fortisoarVersionSource?: 'environment' | 'default';
  readonly targets: readonly ConfiguredTarget[];
  /** Why products with no test in the run were left out (`--project`, `-g`), from the command line. */
  readonly selection?: string;
}

const META = 'conformance';
const SHARD_META = /^conformance-shard-(\d+)-of-(\d+)$/;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const publicUrl = (u: string): string => {
  try {
    const url = new URL(u);
    url.username = '';
    url.password = '';
    url.search = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '(not a URL)';
  }
};

function runMetadata(env: NodeJS.ProcessEnv): { meta: RunMetadata; config?: Config } {
  let config: Config | undefined;
  try {
    config = loadConfig(env);
  } catch {
    // playwright.config.ts has stopped the run with the message already.
  }
  const targets: ConfiguredTarget[] = PRODUCTS.map((p) => {
    const c = config?.[p];
    const skipped = config?.skipped[p];
    return {
      product: p,
      name: PRODUCT_NAMES[p],
      ...(c ? { url: publicUrl(c.url) } : {}),
      ...(p === 'fortisoar' && config?.fortisoar ? { version: config.fortisoar.version } : {}),
      ...(skipped ? { skipped } : {}),
    };
  });
  return {
    config,
    meta: {
      runId: env.CONFORMANCE_RUN_ID,
      target: config?.target ?? env.CONFORMANCE_TARGET ?? 'stub',
      fortisoarVersion: config?.fortisoar?.version,
      fortisoarVersionSource: env.FORTISOAR_VERSION?.trim() ? 'environment' : 'default',
      targets,
      selection: selectionOf(process.argv),
    },
  };
}

/** What on the command line selects tests, to say why a product has none in the run. */
export function selectionOf(argv: readonly string[]): string {
  const has = (...flags: string[]) => argv.some((a) => flags.some((f) => a === f || a.startsWith(`${f}=`)));
  if (has('--project')) return '--project left it out';
  if (has('-g', '--grep', '--grep-invert')) return 'no test of it matched -g/--grep';
  if (has('--last-failed', '--only-changed')) return 'no test of it was selected (--last-failed, --only-changed)';
  return 'no test of it was selected';
}

/**
 * What happened to each product (report.ts, `TargetStatus`): skipped by the configuration, left
 * out by the selection, not judged (its preflight failed), every test skipped, or tested.
 * Versions are named only for products tested.
 */
export function targetsOf(configured: readonly ConfiguredTarget[], cases: readonly CaseResult[], merged: boolean, selection?: string): TargetInfo[] {
  return configured.map((t) => {
    const base = { product: t.product, name: t.name, ...(t.url ? { url: t.url } : {}) };
    // The configuration's line names the product ("FortiCASB skipped: set FORTICASB_URL ..."); the report names it already.
    if (t.skipped) return { ...base, status: 'skipped' as const, reason: t.skipped.replace(`${t.name} skipped: `, '') };
    const own = cases.filter((c) => c.product === t.product);
    if (own.length === 0)
      return { ...base, status: 'skipped' as const, reason: selection ?? (merged ? 'no test of it in the merged reports' : 'no test of it was selected') };
    const preflight = own.find((c) => c.preflight && c.outcome === 'failed');
    if (preflight) {
      const reason = (preflight.error ?? '')
        .split('\n')[0]
        .replace(/^\w*Error: /, '')
        .replace(/^\[preflight\] /, '')
        .replace(new RegExp(`^${t.name}:? `), '');
      return { ...base, status: 'not-judged' as const, reason: reason || 'its live preflight failed' };
    }
    const tests = own.filter((c) => !c.preflight);
    if (tests.length > 0 && tests.every((c) => c.outcome === 'skipped')) {
      const reasons = [...new Set(tests.map((c) => c.skipReason ?? 'skipped'))];
      return {
        ...base,
        status: 'skipped' as const,
        reason: reasons.length === 1 ? `every test was skipped: ${reasons[0]}` : 'every test was skipped (the reasons are per test)',
      };
    }
    return { ...base, status: 'tested' as const, ...(t.version ? { version: t.version } : {}) };
  });
}

/**
 * What the specs declare (derivation is pure, so this is what every worker ran): every title, to
 * tell a baseline entry filtered out of this run from one naming no test, and each walk's paging
 * mode. A spec that does not load fails the run on its own; the summary then lacks both.
 */
function declaredCases(): { titles?: Set<string>; paging: Map<string, string> } {
  const paging = new Map<string, string>();
  try {
    const titles = new Set<string>();
    for (const p of PRODUCTS) {
      for (const c of deriveCases(loadSpec(p))) {
        titles.add(c.title);
        if (c.kind === 'paging') paging.set(c.title, c.mode);
      }
    }
    return { titles, paging };
  } catch {
    return { paging };
  }
}

export default class ConformanceReporter {
  private readonly mode: string;
  private readonly outputDir: string;
  private readonly quiet: boolean;
  private config?: FullConfig;
  private suite?: Suite;
  private redactor = new Redactor([]);
  private readonly errors: string[] = [];
  private text?: string;
  private declared?: ReturnType<typeof declaredCases>;
  private restoreConsole?: () => void;

  constructor(options: Options = {}) {
    this.mode = options._mode ?? 'test';
    this.outputDir = resolve(options.configDir ?? process.cwd(), options.outputDir ?? 'reports');
    this.quiet = !!options.quiet;
  }

  version(): 'v2' {
    return 'v2';
  }

  printsToStdio(): boolean {
    return false;
  }

  onConfigure(config: FullConfig): void {
    this.config = config;
    const { meta, config: conformance } = runMetadata(process.env);
    this.redactor = new Redactor(conformance?.secrets ?? []);
    if (this.mode === 'list') return;
    this.restoreConsole = scrubConsole(this.redactor);
    if (this.mode !== 'test') return;
    const metadata = config.metadata as Record<string, unknown>;
    metadata[META] = meta;
    if (config.shard) metadata[`conformance-shard-${config.shard.current}-of-${config.shard.total}`] = { runId: meta.runId };
  }

  onBegin(suite: Suite): void {
    this.suite = suite;
    // Reading the specs takes a moment: do it while the workers start, not after the last test.
    if (this.mode !== 'list') setTimeout(() => (this.declared ??= declaredCases()), 0).unref();
  }

  onStepEnd(_test: TestCase, _result: TestResult, step: TestStep): void {
    scrubStep(this.redactor, step);
  }

  onTestEnd(_test: TestCase, result: TestResult): void {
    scrubResult(this.redactor, result);
  }

  onError(error: TestError): void {
    scrubError(this.redactor, error);
    this.errors.push((error.message ?? error.value ?? 'unknown error').replace(ANSI, ''));
  }

  async onEnd(result: FullResult): Promise<void> {
    if (this.mode === 'list' || !this.config) return;
    const report = this.build(result);
    mkdirSync(this.outputDir, { recursive: true });
    const json = join(this.outputDir, REPORT_JSON);
    const md = join(this.outputDir, REPORT_MD);
    writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(md, renderMarkdown(report));
    const rel = (p: string): string => relative(process.cwd(), p) || p;
    this.text = renderText(report, [rel(json), rel(md), ...otherReports(this.config)]);
  }

  /** Prints the summary after every reporter has finished, so it is the last thing of the run. */
  onExit(): void {
    if (this.text && !this.quiet) process.stdout.write(this.text);
    this.restoreConsole?.();
  }

  private build(result: FullResult): ConformanceReport {
    const config = this.config!;
    const metadata = config.metadata as Record<string, unknown>;
    const meta = (metadata[META] as RunMetadata | undefined) ?? runMetadata(process.env).meta;
    const declared = (this.declared ??= declaredCases());
    const tests = this.suite?.allTests() ?? [];
    // A test skipped with no reason did not run: say which test it depends on failed (a preflight).
    const failedIn = new Map<string, string>();
    for (const t of tests) {
      const project = t.parent.project()?.name;
      if (project && !failedIn.has(project) && t.outcome() === 'unexpected') failedIn.set(project, t.title);
    }
    const notRun = (t: TestCase): string => {
      const blocker = (t.parent.project()?.dependencies ?? []).map((d) => failedIn.get(d)).find(Boolean);
      return blocker ? `not run: "${blocker}" failed` : 'not run (the run stopped before it)';
    };
    // In the specs' order, whatever order the tests ran in (CONFORMANCE_ORDER, the asynchronous
    // chains first): the summary reads as the coverage table. Tests the specs do not declare (a
    // preflight) come first, in their own order.
    const specOrder = new Map([...(declared.titles ?? [])].map((title, i) => [title, i]));
    const cases = tests
      .map((t) => this.caseOf(t, declared.paging, notRun))
      .map((c, i) => ({ c, at: specOrder.get(c.title) ?? -1, i }))
      .sort((a, b) => a.at - b.at || a.i - b.i)
      .map(({ c }) => c);

    const targets = targetsOf(meta.targets, cases, this.mode === 'merge', meta.selection);
    const soarTested = targets.some((t) => t.product === 'fortisoar' && t.status === 'tested');
    // The FortiSOAR version: what the tests say they checked (a `fortisoar-version` annotation),
    // else what the run recorded from its configuration; only when FortiSOAR was tested.
    const annotated = tests.flatMap((t) => annotationsOf(t)).find((a) => a.type === 'fortisoar-version')?.description;
    const annotatedVersion = annotated?.match(/\d+\.\d+\.\d+/)?.[0];
    const checkedAgainst = soarTested
      ? {
          fortisoar: annotatedVersion
            ? { version: annotatedVersion, source: 'annotation' as const }
            : meta.fortisoarVersion
              ? { version: meta.fortisoarVersion, source: this.mode === 'merge' ? ('run' as const) : (meta.fortisoarVersionSource ?? 'default') }
              : { version: NEWEST_FORTISOAR_VERSION, source: 'default' as const },
        }
      : {};
    const versioned = targets.map((t) => (t.product === 'fortisoar' && t.status === 'tested' ? { ...t, version: checkedAgainst.fortisoar?.version } : t));

    const shards = Object.keys(metadata)
      .map((k) => SHARD_META.exec(k))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ current: Number(m[1]), total: Number(m[2]) }));
    const total = Math.max(0, ...shards.map((s) => s.total));
    const seen = [...new Set(shards.map((s) => s.current))].sort((a, b) => a - b);
    const merged =
      this.mode === 'merge' && total > 0
        ? { total, shards: seen, missing: Array.from({ length: total }, (_, i) => i + 1).filter((n) => !seen.includes(n)) }
        : undefined;
    const totals = [...new Set(shards.map((s) => s.total))];
    if (this.mode === 'merge' && totals.length > 1) {
      const found = shards.map((s) => `${s.current}/${s.total}`).join(', ');
      this.errors.push(`the blob reports come from different sharded runs (${found}): merge the reports of one run only`);
    }

    const started = result.startTime.getTime();
    // Throttled answers (429/503 with Retry-After) the tests waited out: each test annotates its count.
    const throttled = tests.reduce(
      (sum, t) => sum + Number([...t.annotations, ...(t.results.at(-1)?.annotations ?? [])].find((a) => a.type === 'throttled')?.description ?? 0),
      0,
    );
    const run = {
      ...(meta.runId ? { id: meta.runId } : {}),
      target: meta.target,
      startedAt: new Date(started).toISOString(),
      finishedAt: new Date(started + result.duration).toISOString(),
      durationMs: Math.round(result.duration),
      generatedAt: new Date().toISOString(),
      status: result.status,
      playwrightVersion: config.version,
      ...(this.mode === 'test' && config.shard ? { shard: { current: config.shard.current, total: config.shard.total } } : {}),
      ...(merged ? { merged } : {}),
      ...(throttled > 0 ? { throttled } : {}),
    };

    return buildReport({
      suite: suiteInfo(),
      run,
      checkedAgainst,
      targets: versioned,
      cases,
      baseline: this.baseline(cases, declared.titles),
      errors: this.errors,
    });
  }

  private baseline(cases: readonly CaseResult[], titles: ReadonlySet<string> | undefined): BaselineReport {
    const path = baselinePath(process.env);
    const shown = relative(process.cwd(), path) || path;
    const empty = { newFailures: [], acceptedFailures: [], nowPassing: [], notRun: [], unknown: [] };
    let baseline: ReturnType<typeof loadBaseline>;
    try {
      baseline = loadBaseline(path);
    } catch (e) {
      if (!(e instanceof BaselineError)) throw e;
      return {
        path: shown,
        exists: true,
        warnings: [],
        ...empty,
        error: e.message,
        newFailures: cases.filter((c) => c.outcome === 'failed').map((c) => c.title),
      };
    }
    let entries = baseline.entries;
    let updated: BaselineReport['updated'];
    if (process.env.CONFORMANCE_UPDATE_BASELINE === '1') {
      const next = updatedEntries(cases, entries, titles);
      const before = new Set(entries.map((e) => e.title));
      const after = new Set(next.map((e) => e.title));
      updated = {
        added: next.filter((e) => !before.has(e.title)).length,
        removed: entries.filter((e) => !after.has(e.title)).length,
        kept: next.filter((e) => before.has(e.title)).length,
      };
      writeBaseline(path, next);
      entries = next;
    }
    const gate = compareWithBaseline(cases, entries, titles);
    const warnings = updated ? loadBaseline(path).warnings : baseline.warnings;
    return { path: shown, exists: baseline.exists || !!updated, warnings, ...gate, ...(updated ? { updated } : {}) };
  }

  private caseOf(t: TestCase, paging: ReadonlyMap<string, string>, notRun: (t: TestCase) => string): CaseResult {
    const last = t.results.at(-1);
    const annotations = annotationsOf(t);
    const note = (type: string): string | undefined => annotations.find((a) => a.type === type)?.description;
    const outcome: Outcome = ((): Outcome => {
      switch (t.outcome()) {
        case 'skipped':
          return 'skipped';
        case 'flaky':
          return 'flaky';
        case 'expected':
          return 'passed';
        default:
          return 'failed';
      }
    })();
    const parts = parseTitle(t.title);
    const product = productOfTags(t.tags) ?? t.parent.project()?.name ?? '';
    const skip = skipReasonOf(annotations);
    const error = outcome === 'failed' ? errorText(last?.errors ?? [], this.redactor) : undefined;
    const mode = note('paging') ?? paging.get(t.title);
    const preflight = annotations.some((a) => a.type === 'preflight') || !!t.parent.project()?.name.endsWith(':preflight');
    return {
      title: t.title,
      product,
      ...parts,
      ...(mode ? { paging: mode } : {}),
      ...(note('document') ? { document: note('document') } : {}),
      ...(note('safety') ? { safety: note('safety') } : {}),
      ...(note('since') ? { since: note('since') } : {}),
      tags: t.tags,
      outcome,
      ...(outcome === 'skipped' ? { skipReason: skip ?? notRun(t) } : {}),
      ...(error ? { error, failureKind: failureKind(last?.errors[0]?.message ?? last?.errors[0]?.value ?? error) } : {}),
      ...(preflight ? { preflight: true } : {}),
      durationMs: Math.round(t.results.reduce((sum, r) => sum + r.duration, 0)),
      retries: Math.max(0, t.results.length - 1),
    };
  }
}

/** The failure of a test as plain text, redacted: the first errors, at most about 2000 characters. */
function errorText(errors: readonly TestError[], redactor: Redactor): string {
  const text = errors
    .map((e) => (e.message ?? e.value ?? '').replace(ANSI, '').trim())
    .filter(Boolean)
    .join('\n\n');
  const cut = text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
  return scrubText(redactor, cut || 'failed without an error message');
}

function suiteInfo(): { name: string; version: string } {
  try {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
    return { name: pkg.name, version: pkg.version };
  } catch {
    return { name: 'fortinet-api-conformance', version: '0.0.0' };
  }
}

/** Where the other configured reporters write, for the last line of the summary. */
function otherReports(config: FullConfig): string[] {
  const out: string[] = [];
  for (const [name, options] of config.reporter as [string, Record<string, unknown> | undefined][]) {
    if (name === 'html')
      out.push(`${options?.outputFolder ?? 'playwright-report'} (npx playwright show-report ${options?.outputFolder ?? ''})`.replace(' )', ')'));
    else if (/junit/.test(name) && options?.outputFile) out.push(String(options.outputFile));
    else if (/allure/.test(name)) out.push(`${options?.resultsDir ?? 'allure-results'} (npm run report)`);
    else if (name === 'blob')
      out.push(
        `${process.env.PLAYWRIGHT_BLOB_OUTPUT_DIR ? relative(process.cwd(), process.env.PLAYWRIGHT_BLOB_OUTPUT_DIR) : (options?.outputDir ?? 'blob-report')} (blob, to merge)`,
      );
  }
  return out;
}
