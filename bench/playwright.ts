/**
 * Runs `playwright test` as a user would (the Playwright CLI in a child process) with the JSON
 * reporter, and reads what the benchmark needs from its report: wall time, test counts, and the
 * entries of every `exchanges.json` attachment (one per HTTP request the suite sent, logins and
 * cleanups included; src/report/attachments.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const CLI = require.resolve('@playwright/test/cli');
const CPUTIME = fileURLToPath(new URL('./cputime.mjs', import.meta.url));

export const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
export const WORK = join(ROOT, 'bench', '.work');

export interface TestTiming {
  readonly title: string;
  readonly project: string;
  readonly status: string;
  readonly workerIndex: number;
  /** Offset of the test's start from the run's start. */
  readonly startMs: number;
  readonly durationMs: number;
  /** Exchanges the test attached, and the time they took (response times, summed). */
  readonly requests: number;
  readonly requestMs: number;
}

export interface PlaywrightRun {
  /** From spawning the CLI to its exit: what a user waits for (`npx playwright test`, less npx). */
  readonly wallMs: number;
  /** CPU time (user + system) of the runner and its workers; null off Linux. */
  readonly cpuMs: number | null;
  /** Playwright's own `stats.duration` (from the runner's start, after Node and the config load). */
  readonly reportedMs: number;
  readonly exitCode: number;
  readonly workers: number;
  readonly tests: number;
  readonly passed: number;
  readonly skipped: number;
  readonly failed: number;
  readonly flaky: number;
  readonly exchanges: number;
  readonly perTest: readonly TestTiming[];
  /** Worker processes the run started (a worker serves one project: each project starts its own). */
  readonly workerStarts: number;
}

export interface RunOptions {
  readonly label: string;
  /** Arguments after `playwright test`. */
  readonly args?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Whether to read the exchanges.json attachments (the suite's runs; floors have none). */
  readonly countExchanges?: boolean;
}

interface JsonResult {
  status: string;
  duration: number;
  startTime: string;
  workerIndex: number;
  attachments: { name: string; path?: string; body?: string }[];
}
interface JsonSuite {
  suites?: JsonSuite[];
  specs?: { title: string; tests: { projectName: string; results: JsonResult[] }[] }[];
}
interface JsonReport {
  config: { workers: number };
  suites: JsonSuite[];
  errors: { message?: string }[];
  stats: { startTime: string; duration: number; expected: number; skipped: number; unexpected: number; flaky: number };
}

/** The environment of a child run: the caller's, without settings that would change what is measured. */
export function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The default workers are part of what is measured, and the target and products are the benchmark's to set.
  for (const k of ['CONFORMANCE_WORKERS', 'CONFORMANCE_TARGET', 'PLAYWRIGHT_JSON_OUTPUT_FILE', 'PLAYWRIGHT_JSON_OUTPUT_NAME', 'PLAYWRIGHT_JSON_OUTPUT_DIR'])
    delete env[k];
  for (const [k, v] of Object.entries(env)) if (/^(FORTISOAR|FORTICASB|FMBS)_/.test(k) && v !== undefined) delete env[k];
  return { ...env, ...extra, FORCE_COLOR: '0' };
}

/** Runs `playwright test` through bench/cputime.mjs, which times it from spawn to exit and adds up its CPU time. */
function spawnCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  timing: string,
): Promise<{ code: number; output: string; ms: number; cpuMs: number | null }> {
  return new Promise((resolve, reject) => {
    mkdirSync(dirname(timing), { recursive: true });
    rmSync(timing, { force: true });
    const child = spawn(process.execPath, [CPUTIME, timing, process.execPath, CLI, 'test', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (d: Buffer) => {
      output = (output + d.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (!existsSync(timing))
        return reject(new Error(`[bench] playwright test ${args.join(' ')} ended (${code ?? signal}) without timing\n${output.slice(-4_000)}`));
      const { wallMs, cpuMs } = JSON.parse(readFileSync(timing, 'utf8')) as { wallMs: number; cpuMs: number | null };
      resolve({ code: code ?? 128, output, ms: wallMs, cpuMs });
    });
  });
}

const slugOf = (label: string): string => label.replace(/[^A-Za-z0-9]+/g, '-');

/** One run of `playwright test`, timed from spawn to exit, with its JSON report read afterwards. */
export async function runPlaywright(options: RunOptions): Promise<PlaywrightRun> {
  const slug = slugOf(options.label);
  const report = join(WORK, 'reports', `${slug}.json`);
  const output = join(WORK, 'test-results', slug);
  rmSync(report, { force: true });
  const env = { ...(options.env ?? cleanEnv({})), PLAYWRIGHT_JSON_OUTPUT_FILE: report };
  const args = [...(options.args ?? []), '--reporter=json', '--output', output];
  const { code, output: log, ms, cpuMs } = await spawnCli(args, env, options.cwd ?? ROOT, join(WORK, 'reports', `${slug}.timing.json`));
  if (!existsSync(report) || (code !== 0 && code !== 1)) {
    throw new Error(`[bench] ${options.label}: playwright test exited ${code} without a report\n${log.slice(-4_000)}`);
  }
  const json = JSON.parse(readFileSync(report, 'utf8')) as JsonReport;
  if (json.errors.length)
    throw new Error(
      `[bench] ${options.label}: ${json.errors
        .map((e) => e.message ?? '')
        .join('\n')
        .slice(0, 4_000)}`,
    );
  const t0 = Date.parse(json.stats.startTime);
  const perTest: TestTiming[] = [];
  const workers = new Set<number>();
  let exchanges = 0;
  const visit = (suite: JsonSuite): void => {
    for (const s of suite.suites ?? []) visit(s);
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        for (const r of test.results) {
          let requests = 0;
          let requestMs = 0;
          if (options.countExchanges) {
            for (const a of r.attachments) {
              if (a.name !== 'exchanges.json') continue;
              const text = a.body !== undefined ? Buffer.from(a.body, 'base64').toString('utf8') : readFileSync(a.path!, 'utf8');
              const list = JSON.parse(text) as { response: { ms?: number } }[];
              requests += list.length;
              requestMs += list.reduce((sum, e) => sum + (e.response.ms ?? 0), 0);
            }
          }
          exchanges += requests;
          if (r.workerIndex >= 0) workers.add(r.workerIndex);
          perTest.push({
            title: spec.title,
            project: test.projectName,
            status: r.status,
            workerIndex: r.workerIndex,
            startMs: Date.parse(r.startTime) - t0,
            durationMs: r.duration,
            requests,
            requestMs,
          });
        }
      }
    }
  };
  for (const s of json.suites) visit(s);
  const { expected, skipped, unexpected, flaky } = json.stats;
  return {
    wallMs: ms,
    cpuMs,
    reportedMs: json.stats.duration,
    exitCode: code,
    workers: json.config.workers,
    tests: expected + skipped + unexpected + flaky,
    passed: expected,
    skipped,
    failed: unexpected,
    flaky,
    exchanges,
    perTest,
    workerStarts: workers.size,
  };
}

/** Tests per project, as `playwright test --list` sees them (also warms Playwright's transform cache). */
export async function listTests(
  label: string,
  env: NodeJS.ProcessEnv,
  args: readonly string[] = [],
): Promise<{ counts: Map<string, number>; workers: number }> {
  const report = join(WORK, 'reports', `${slugOf(label)}.json`);
  rmSync(report, { force: true });
  const { code, output } = await spawnCli(
    [...args, '--list', '--reporter=json'],
    { ...env, PLAYWRIGHT_JSON_OUTPUT_FILE: report },
    ROOT,
    `${report}.timing.json`,
  );
  if (code !== 0 || !existsSync(report)) throw new Error(`[bench] ${label}: playwright test --list exited ${code}\n${output.slice(-4_000)}`);
  const json = JSON.parse(readFileSync(report, 'utf8')) as JsonReport;
  const counts = new Map<string, number>();
  const visit = (suite: JsonSuite): void => {
    for (const s of suite.suites ?? []) visit(s);
    for (const spec of suite.specs ?? []) for (const t of spec.tests) counts.set(t.projectName, (counts.get(t.projectName) ?? 0) + 1);
  };
  for (const s of json.suites) visit(s);
  return { counts, workers: json.config.workers };
}
