/**
 * The stub run: the whole suite against the built-in stub (`playwright test` with
 * CONFORMANCE_TARGET=stub and the default workers), against the runner's floor for the same
 * number of tests, measured in the same repetition (floor, then suite) so that load on the
 * machine touches both alike. Requests are counted from the suite's own report: every
 * `exchanges.json` attachment lists each request of its test, logins and cleanups included.
 *
 * A further floor, run once, splits the difference (bench/floor.ts): the same empty tests loading
 * the suite's modules.
 */
import { type FloorKind, writeFloor } from './floor.ts';
import { cleanEnv, listTests, type PlaywrightRun, runPlaywright, type TestTiming } from './playwright.ts';
import { type Summary, summarise, summary } from './stats.ts';

export interface StubRunFigures {
  readonly workers: number;
  readonly tests: number;
  readonly projects: Record<string, number>;
  /** Requests the suite sent (exchanges.json entries); the same in every run. */
  readonly requests: Summary;
  readonly suiteMs: Summary;
  readonly floorMs: Summary;
  /** suite / floor, per repetition. */
  readonly ratio: Summary;
  readonly goal: number;
  /**
   * Empty tests of the suite's own test type (tests/playwright.extend.ts, Playwright's root test
   * type) loading the suite's modules (every repetition, unless --no-diagnostics).
   */
  readonly floorImportsMs: Summary;
  /** suite / that floor, per repetition: what the suite's own work costs beyond Playwright's. */
  readonly ownRatio: Summary;
  /** CPU time (runner and workers) of the suite and of each floor: on an idle machine, wall time ≥ CPU time / cores. Absent off Linux. */
  readonly cpuMs?: { readonly suite: Summary; readonly floor: Summary; readonly floorImports: Summary };
  /** Sum of the suite's test durations, divided by the workers: the time its tests keep each worker busy. */
  readonly testBusyMsPerWorker: Summary;
  /** Of which waiting for responses (Playwright's request context, nock, the stub): exchange times summed, divided by the workers. */
  readonly requestMsPerWorker: Summary;
  /** The first test of each worker, summed: it pays the worker fixtures (request context, stub, schemas, login). */
  readonly firstTestsMs: Summary;
  readonly workerStarts: number;
  readonly failed: Summary;
  /** The slowest tests of the median run. */
  readonly slowest: readonly Pick<TestTiming, 'title' | 'durationMs' | 'requests'>[];
}

export const STUB_GOAL = 1.3;

export async function stubRun(opts: { runs: number; diagnostics: boolean; log: (line: string) => void }): Promise<StubRunFigures> {
  const env = cleanEnv({ CONFORMANCE_TARGET: 'stub' });
  const { counts, workers } = await listTests('stub-list', env);
  const tests = [...counts.values()].reduce((a, b) => a + b, 0);
  opts.log(`stub run: ${tests} tests in ${counts.size} projects, ${workers} workers`);
  const kinds: FloorKind[] = opts.diagnostics ? ['plain', 'imports'] : ['plain'];
  const floors = kinds.map((k) => writeFloor(k, counts, workers));
  // Compile the floors once (Playwright's transform cache), as --list did for the suite.
  for (const f of floors) await listTests(`floor-${f.kind}-list`, cleanEnv({}), ['-c', f.config]);

  const suites: PlaywrightRun[] = [];
  const floorRuns = new Map<FloorKind, PlaywrightRun[]>(kinds.map((k) => [k, []]));
  for (let i = 0; i < opts.runs; i++) {
    for (const f of floors) {
      const r = await runPlaywright({ label: `floor-${f.kind}`, args: ['-c', f.config], env: cleanEnv({}) });
      if (r.tests !== tests || r.failed) throw new Error(`[bench] the ${f.kind} floor ran ${r.tests} tests (${r.failed} failed), expected ${tests}`);
      floorRuns.get(f.kind)!.push(r);
      opts.log(`stub run ${i + 1}/${opts.runs}: floor (${f.kind}) ${(r.wallMs / 1000).toFixed(1)} s`);
    }
    const s = await runPlaywright({ label: 'suite-stub', env, countExchanges: true });
    suites.push(s);
    opts.log(`stub run ${i + 1}/${opts.runs}: suite ${(s.wallMs / 1000).toFixed(1)} s, ${s.tests} tests (${s.failed} failed), ${s.exchanges} requests`);
  }
  const plain = floorRuns.get('plain')!;
  const median = [...suites].sort((a, b) => a.wallMs - b.wallMs)[suites.length >> 1]!;
  const busy = (r: PlaywrightRun): number => r.perTest.reduce((sum, t) => sum + t.durationMs, 0) / r.workers;
  const waiting = (r: PlaywrightRun): number => r.perTest.reduce((sum, t) => sum + t.requestMs, 0) / r.workers;
  const firsts = (r: PlaywrightRun): number => {
    const first = new Map<number, TestTiming>();
    for (const t of r.perTest) if (!first.has(t.workerIndex) || first.get(t.workerIndex)!.startMs > t.startMs) first.set(t.workerIndex, t);
    return [...first.values()].reduce((sum, t) => sum + t.durationMs, 0);
  };
  const none = summary([0]);
  const cpu = (list: readonly PlaywrightRun[]): Summary => (list.length ? summarise(list, (r) => r.cpuMs ?? 0) : none);
  const hasCpu = suites.every((r) => r.cpuMs !== null);
  return {
    workers,
    tests,
    projects: Object.fromEntries(counts),
    requests: summarise(suites, (r) => r.exchanges),
    suiteMs: summarise(suites, (r) => r.wallMs),
    floorMs: summarise(plain, (r) => r.wallMs),
    ratio: summary(suites.map((r, i) => r.wallMs / plain[i]!.wallMs)),
    goal: STUB_GOAL,
    floorImportsMs: opts.diagnostics ? summarise(floorRuns.get('imports')!, (r) => r.wallMs) : none,
    ownRatio: opts.diagnostics ? summary(suites.map((r, i) => r.wallMs / floorRuns.get('imports')![i]!.wallMs)) : none,
    cpuMs: hasCpu ? { suite: cpu(suites), floor: cpu(plain), floorImports: cpu(floorRuns.get('imports') ?? []) } : undefined,
    testBusyMsPerWorker: summarise(suites, busy),
    requestMsPerWorker: summarise(suites, waiting),
    firstTestsMs: summarise(suites, firsts),
    workerStarts: median.workerStarts,
    failed: summarise(suites, (r) => r.failed),
    slowest: [...median.perTest]
      .sort((a, b) => b.durationMs - a.durationMs)
      .slice(0, 5)
      .map(({ title, durationMs, requests }) => ({ title, durationMs, requests })),
  };
}
