/**
 * `npm run bench [-- --runs 3] [--only stub,latency,walks,costs] [--delay-ms 100] [--entries 100000]
 * [--page-size 1000] [--requests 500] [--no-diagnostics]`: how fast the suite is against its own
 * floor, under latency, on long walks (issue 5), and what one stub-mode request costs stage by
 * stage (issue 14). Prints a table and writes bench/results.json. Each figure is the median of
 * `--runs` runs, with min and max. Progress goes to stderr, the table to stdout.
 * Goals are checked here and reported, never asserted by tests; the exit code is 0 unless the
 * benchmark itself could not run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { type LatencyFigures, latencyRun } from './latency-run.ts';
import { ROOT, WORK } from './playwright.ts';
import { type RequestCostFigures, requestCosts } from './request-costs.ts';
import { currentLoad, machine, type Summary, show } from './stats.ts';
import { type StubRunFigures, stubRun } from './stub-run.ts';
import { longWalks, type WalkFigures } from './walks.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    only: { type: 'string', default: 'stub,latency,walks,costs' },
    requests: { type: 'string', default: '500' },
    'delay-ms': { type: 'string', default: '100' },
    entries: { type: 'string', default: '100000' },
    'page-size': { type: 'string', default: '1000' },
    'no-diagnostics': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('npm run bench -- [--runs 3] [--only stub,latency,walks,costs] [--delay-ms 100] [--entries 100000] [--page-size 1000] [--no-diagnostics]');
  process.exit(0);
}
const positive = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`[bench] --${name} must be a positive integer, got "${raw}"`);
    process.exit(2);
  }
  return n;
};
const runs = positive('runs', values.runs);
const delayMs = positive('delay-ms', values['delay-ms']);
const entries = positive('entries', values.entries);
const pageSize = positive('page-size', values['page-size']);
const requests = positive('requests', values.requests);
const only = new Set(values.only.split(',').map((s) => s.trim()));
for (const s of only) {
  if (!['stub', 'latency', 'walks', 'costs'].includes(s)) {
    console.error(`[bench] --only takes stub, latency, walks and costs, got "${s}"`);
    process.exit(2);
  }
}

const started = performance.now();
const log = (line: string): void => {
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
};
mkdirSync(WORK, { recursive: true });
const host = machine();
log(`${host.cores} cores, Node ${host.node}, Playwright ${host.playwright}, load average ${host.loadAverage.start.toFixed(2)}`);

const stub: StubRunFigures | undefined = only.has('stub') ? await stubRun({ runs, diagnostics: !values['no-diagnostics'], log }) : undefined;
const latency: LatencyFigures | undefined = only.has('latency') ? await latencyRun({ runs, delayMs, log }) : undefined;
const walks: WalkFigures[] | undefined = only.has('walks') ? await longWalks({ runs, entries, pageSize, log }) : undefined;
const costs: RequestCostFigures | undefined = only.has('costs') ? await requestCosts({ n: requests, runs, log }) : undefined;
host.loadAverage.end = currentLoad();

// ── goals ──────────────────────────────────────────────────────────────────────────────────
const WALK_MS = 5_000;
const WALK_BYTES = 50e6;
interface Goal {
  readonly name: string;
  readonly goal: string;
  readonly value: string;
  readonly met: boolean;
}
const goals: Goal[] = [];
if (stub) goals.push({ name: 'stub run: suite / floor', goal: `≤ ${stub.goal}`, value: stub.ratio.median.toFixed(2), met: stub.ratio.median <= stub.goal });
if (latency)
  goals.push({
    name: 'latency run: suite / ideal',
    goal: `≤ ${latency.goal}`,
    value: latency.ratio.median.toFixed(2),
    met: latency.ratio.median <= latency.goal,
  });
for (const w of walks ?? []) {
  goals.push({
    name: `walk ${w.mode}: every entry once`,
    goal: `each of ${w.entries}`,
    value: w.problems.length ? w.problems.join('; ') : 'yes',
    met: w.problems.length === 0,
  });
  goals.push({ name: `walk ${w.mode}: time`, goal: '< 5 s', value: `${(w.ms.median / 1000).toFixed(2)} s`, met: w.ms.median < WALK_MS });
  goals.push({
    name: `walk ${w.mode}: peak heap growth`,
    goal: '< 50 MB',
    value: `${(w.peakHeapGrowth.median / 1e6).toFixed(1)} MB`,
    met: w.peakHeapGrowth.median < WALK_BYTES,
  });
  goals.push({
    name: `walk ${w.mode}: peak RSS growth`,
    goal: '< 50 MB',
    value: `${(w.peakRssGrowth.median / 1e6).toFixed(1)} MB`,
    met: w.peakRssGrowth.median < WALK_BYTES,
  });
}

// ── the table ──────────────────────────────────────────────────────────────────────────────
const s = (v: Summary, digits = 1): string => show(v, 's', digits, 1000);
const mb = (v: Summary): string => show(v, 'MB', 1, 1e6);
const n = (v: Summary, digits = 0): string => show(v, '', digits);
const mark = (met: boolean): string => (met ? 'met' : 'MISSED');
const rows: string[] = [];
const row = (label: string, value: string, note = ''): void => {
  rows.push(`  ${label.padEnd(50)} ${value.padEnd(24)} ${note}`.trimEnd());
};
const head = (title: string): void => {
  rows.push('', title);
};
const title = (t: string): string => (t.length > 44 ? `${t.slice(0, 43)}…` : t);
/** The tests of a run and, beside them, the projects they come from. */
const testsRow = (figures: { readonly tests: number; readonly projects: Record<string, number> }): void =>
  row(
    'tests',
    `${figures.tests}`,
    Object.entries(figures.projects)
      .map(([p, c]) => `${p} ${c}`)
      .join(', '),
  );

rows.push(`Benchmarks: median (min–max) of ${runs} run${runs > 1 ? 's' : ''} each`);
rows.push(
  `Machine: ${host.cores} cores (${host.cpu}), ${host.memoryGB} GB, Node ${host.node}, Playwright ${host.playwright}; ` +
    `load average ${host.loadAverage.start.toFixed(1)} → ${host.loadAverage.end.toFixed(1)}`,
);
if (stub) {
  head(`1. Stub run (CONFORMANCE_TARGET=stub, ${stub.workers} workers, JSON reporter)`);
  testsRow(stub);
  row('HTTP requests (exchanges.json entries)', n(stub.requests));
  row('suite wall time', s(stub.suiteMs), stub.failed.max ? `${stub.failed.max} test(s) failed in some run` : '');
  row(`floor: ${stub.tests} empty tests in one project`, s(stub.floorMs));
  row('suite / floor', n(stub.ratio, 2), `goal ≤ ${stub.goal}: ${mark(stub.ratio.median <= stub.goal)}`);
  if (stub.ownRatio.median > 0) {
    // The suite's tests start from Playwright's root test type, which spends less per test than the
    // floor's `test` (decision 0014): this ratio is the suite's own work alone.
    row('suite / empty tests of its own test type', n(stub.ownRatio, 2), 'no goal: the suite’s own work (requests, checks, redaction, modules)');
  }
  row('where the difference goes:', '', stub.cpuMs ? `CPU time (runner + workers; ${host.cores} cores)` : '');
  const cpu = (v: Summary | undefined): string => (v ? s(v) : '');
  row('  floor, as above', s(stub.floorMs), cpu(stub.cpuMs?.floor));
  if (stub.floorImportsMs.median > 0) {
    row("  empty tests, the suite's test type and modules", s(stub.floorImportsMs), `${cpu(stub.cpuMs?.floorImports)}  playwright.extend.ts, derived cases`);
  }
  row('  the suite, as above', s(stub.suiteMs), cpu(stub.cpuMs?.suite));
  row('  test time per worker (durations / workers)', s(stub.testBusyMsPerWorker), `${stub.workerStarts} worker processes`);
  row('    of which waiting for responses', s(stub.requestMsPerWorker), "the client, nock's playback, the stub");
  row('  first test of each worker (summed)', s(stub.firstTestsMs), 'worker fixtures: client, stub, schemas');
  row('  slowest tests of the median run:', '');
  for (const t of stub.slowest) row(`    ${title(t.title)}`, `${(t.durationMs / 1000).toFixed(2)} s`, `${t.requests} requests`);
}
if (latency) {
  head(`2. Latency run (live mode against the HTTP stub, ${latency.delayMs} ms a response, ${latency.workers} workers)`);
  testsRow(latency);
  row('HTTP requests (answered by the stub servers)', n(latency.requests), `${n(latency.attachedRequests)} in the attachments`);
  row('suite wall time', s(latency.suiteMs), latency.failed.max ? `${latency.failed.max} test(s) failed in some run` : '');
  row(`floor: ${latency.tests} empty tests, ${latency.workers} workers`, s(latency.floorMs));
  if (latency.cpuMs) row('CPU time of the suite (runner + workers)', s(latency.cpuMs));
  row(`ideal = requests × ${latency.delayMs} ms / ${latency.workers} + floor`, s(latency.idealMs));
  row('suite / ideal', n(latency.ratio, 2), `goal ≤ ${latency.goal}: ${mark(latency.ratio.median <= latency.goal)}`);
  row('where the difference goes:', '');
  row('  longest test (one test runs in one worker)', s(latency.longestTestMs));
  row('  time in tests not waiting for a response', s(latency.outsideRequestsMs), `summed over tests; ${latency.workerStarts} worker processes`);
  row('  tests with the most of it (median run):', '');
  for (const t of latency.topOutside) {
    row(`    ${title(t.title)}`, `${(t.durationMs / 1000).toFixed(2)} s`, `${t.requests} requests, ${(t.requestMs / 1000).toFixed(2)} s of responses`);
  }
}
if (walks) {
  head(`3. Long walks (${entries.toLocaleString('en')} entries, pages of ${pageSize}, the HTTP stub; the walker in its own process)`);
  const cols = (a: string, b: string, c: string, d: string, e: string): string =>
    `  ${a.padEnd(14)} ${b.padEnd(24)} ${c.padEnd(24)} ${d.padEnd(24)} ${e}`.trimEnd();
  rows.push(cols('mode', 'time (goal < 5 s)', 'heap growth (< 50 MB)', 'RSS growth', 'stub handler time'));
  for (const w of walks) rows.push(cols(w.mode, s(w.ms, 2), mb(w.peakHeapGrowth), mb(w.peakRssGrowth), s(w.handlerMs, 2)));
  for (const w of walks) {
    rows.push(
      `  ${w.mode}: ${w.label}; ${w.entries} entries in ${w.pages} pages${w.problems.length ? `; PROBLEMS: ${w.problems.join('; ')}` : ', each once'}; ` +
        `${mb(w.retainedHeapGrowth)} held after GC, committed heap +${mb(w.peakHeapTotalGrowth)}`,
    );
  }
}
if (costs) {
  head(`4. One stub-mode request, stage by stage (ms per request, ${costs.n} of each after a warm-up; median run)`);
  const cols = (...c: string[]): string =>
    `  ${c[0]!.padEnd(26)} ${c
      .slice(1)
      .map((x) => x.padEnd(10))
      .join(' ')}`.trimEnd();
  rows.push(cols('request', 'bytes', 'handler', 'via nock', 'over HTTP', 'checks', 'redaction', 'attachment'));
  const ms = (v: number): string => v.toFixed(3);
  for (const c of costs.costs) {
    rows.push(cols(c.request, String(c.bytes), ms(c.handlerMs), ms(c.throughNockMs), ms(c.overHttpMs), ms(c.checksMs), ms(c.redactionMs), ms(c.attachmentMs)));
  }
  rows.push(
    "  via nock = the suite's client, nock's interception and the handler; the rest of it is nock's and the client's.",
    `  per request, via nock + checks + redaction + attachment: ${show(costs.perRequestMs, 'ms', 2)}`,
  );
}
head('Goals');
for (const g of goals) row(g.name, `${g.value}`, `${g.goal}: ${mark(g.met)}`);
const elapsed = (performance.now() - started) / 1000;
rows.push('', `Total benchmark time ${elapsed.toFixed(0)} s. Figures in bench/results.json.`);
console.log(rows.join('\n'));

const results = {
  generatedAt: new Date().toISOString(),
  command: `npm run bench -- --runs ${runs} --only ${[...only].join(',')} --delay-ms ${delayMs} --entries ${entries} --page-size ${pageSize} --requests ${requests}`,
  runs,
  machine: host,
  units: 'times in milliseconds, memory in bytes; each figure { median, min, max, runs }',
  stubRun: stub,
  latencyRun: latency,
  longWalks: walks,
  requestCosts: costs,
  goals,
  elapsedSeconds: Math.round(elapsed),
};
writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
