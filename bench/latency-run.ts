/**
 * The latency run: the suite in live mode against the HTTP stub (`npm run stub`'s servers,
 * started here, fresh for every repetition) holding every answer back `delayMs`, with the
 * default live workers. Ideal = requests × delay / workers + the runner's floor for the same
 * number of tests and workers: what a suite that overlaps all its waits would take. Requests
 * are the stub servers' own count (every request that reached them, preflight included).
 */
import { stubLiveEnv } from '../src/stub/credentials.ts';
import { startStubServers } from '../src/stub/serve.ts';
import { writeFloor } from './floor.ts';
import { cleanEnv, listTests, type PlaywrightRun, runPlaywright, type TestTiming } from './playwright.ts';
import { type Summary, summarise, summary } from './stats.ts';

export interface LatencyFigures {
  readonly delayMs: number;
  readonly workers: number;
  readonly tests: number;
  readonly projects: Record<string, number>;
  /** Requests the stub servers answered. */
  readonly requests: Summary;
  /** Requests the suite's attachments list (all but the preflight's). */
  readonly attachedRequests: Summary;
  readonly suiteMs: Summary;
  readonly floorMs: Summary;
  /** CPU time of the suite's run (runner and workers; absent off Linux): the stub answering is not in it. */
  readonly cpuMs?: Summary;
  readonly idealMs: Summary;
  /** suite / ideal, per repetition. */
  readonly ratio: Summary;
  readonly goal: number;
  /** No test is split over workers: the longest one bounds the run from below. */
  readonly longestTestMs: Summary;
  /** Time inside tests not spent waiting for a response (pauses between polls, mostly), summed over tests. */
  readonly outsideRequestsMs: Summary;
  readonly workerStarts: number;
  readonly failed: Summary;
  /** The tests of the median run with the most time outside their requests. */
  readonly topOutside: readonly Pick<TestTiming, 'title' | 'durationMs' | 'requests' | 'requestMs'>[];
}

export const LATENCY_GOAL = 1.25;

function liveEnv(urls: Record<string, string>): NodeJS.ProcessEnv {
  return cleanEnv({
    ...stubLiveEnv(urls),
    // The figure is the suite's own overhead over the ideal; the polite pacing of live runs
    // (src/client/limits.ts) is a setting, lifted here so that it does not set the pace.
    CONFORMANCE_MAX_RPS: '100000',
    CONFORMANCE_MAX_CONCURRENCY: '100000',
  });
}

const outside = (t: TestTiming): number => Math.max(0, t.durationMs - t.requestMs);

export async function latencyRun(opts: { runs: number; delayMs: number; log: (line: string) => void }): Promise<LatencyFigures> {
  const probe = await startStubServers({ port: 0 });
  const listed = await listTests('live-list', liveEnv(probe.urls)).finally(() => probe.close());
  const { counts, workers } = listed;
  const tests = [...counts.values()].reduce((a, b) => a + b, 0);
  opts.log(`latency run: ${tests} tests in ${counts.size} projects, ${workers} workers, ${opts.delayMs} ms a response`);
  const floor = writeFloor('plain', counts, workers, 'latency');
  await listTests('floor-latency-list', cleanEnv({}), ['-c', floor.config]);

  const suites: PlaywrightRun[] = [];
  const floors: PlaywrightRun[] = [];
  const requests: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    const f = await runPlaywright({ label: 'floor-latency', args: ['-c', floor.config], env: cleanEnv({}) });
    if (f.tests !== tests || f.failed) throw new Error(`[bench] the latency floor ran ${f.tests} tests (${f.failed} failed), expected ${tests}`);
    floors.push(f);
    const running = await startStubServers({ port: 0, delayMs: opts.delayMs });
    try {
      const s = await runPlaywright({ label: 'suite-live', env: liveEnv(running.urls), countExchanges: true });
      suites.push(s);
      requests.push(Object.values(running.requests).reduce((a, b) => a + b, 0));
      opts.log(
        `latency run ${i + 1}/${opts.runs}: floor ${(f.wallMs / 1000).toFixed(1)} s, suite ${(s.wallMs / 1000).toFixed(1)} s, ` +
          `${s.tests} tests (${s.failed} failed, ${s.skipped} skipped), ${requests.at(-1)} requests`,
      );
    } finally {
      await running.close();
    }
  }
  const ideal = suites.map((_, i) => (requests[i]! * opts.delayMs) / workers + floors[i]!.wallMs);
  const median = [...suites].sort((a, b) => a.wallMs - b.wallMs)[suites.length >> 1]!;
  return {
    delayMs: opts.delayMs,
    workers,
    tests,
    projects: Object.fromEntries(counts),
    requests: summary(requests),
    attachedRequests: summarise(suites, (r) => r.exchanges),
    suiteMs: summarise(suites, (r) => r.wallMs),
    floorMs: summarise(floors, (r) => r.wallMs),
    cpuMs: suites.every((r) => r.cpuMs !== null) ? summarise(suites, (r) => r.cpuMs!) : undefined,
    idealMs: summary(ideal),
    ratio: summary(suites.map((r, i) => r.wallMs / ideal[i]!)),
    goal: LATENCY_GOAL,
    longestTestMs: summarise(suites, (r) => Math.max(...r.perTest.map((t) => t.durationMs))),
    outsideRequestsMs: summarise(suites, (r) => r.perTest.reduce((sum, t) => sum + outside(t), 0)),
    workerStarts: median.workerStarts,
    failed: summarise(suites, (r) => r.failed),
    topOutside: [...median.perTest]
      .sort((a, b) => outside(b) - outside(a))
      .slice(0, 6)
      .map(({ title, durationMs, requests: n, requestMs }) => ({ title, durationMs, requests: n, requestMs })),
  };
}
