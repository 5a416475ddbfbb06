/**
 * `npm run conformance` end to end, as QA and CI meet it: a failure's reproduce.sh shows the
 * deviation against `npm run stub` running the same broken variant; JUnit counts match the
 * conformance summary; each run starts by clearing the reports of the last one, also when it
 * stops on a configuration error; Ctrl-C and SIGTERM end with the summary of what ran and exit 4.
 *
 * These start the suite itself (a few seconds each) and write reports/ and test-results/, so
 * they run one after the other.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT, runnerEnv } from './nested.ts';

test.describe.configure({ mode: 'serial' });

const MUTANT = 'soar-update-not-persisted';
const UPDATE = 'PUT /api/3/{collection}/{uuid} → 200 updates the record and the change persists';
const grepOf = (title: string): string => title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const conformance = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['scripts/conformance.mjs', ...args], { cwd: ROOT, encoding: 'utf8', env: runnerEnv(env), timeout: 180_000 });

test('a configuration error still clears the reports of the previous run', () => {
  for (const dir of ['reports/html', 'test-results/old', 'allure-results', 'allure-report']) {
    mkdirSync(join(ROOT, dir), { recursive: true });
    writeFileSync(join(ROOT, dir, 'stale.txt'), 'from an earlier run');
  }
  writeFileSync(join(ROOT, 'reports', 'junit.xml'), '<testsuites/>');
  const r = conformance(['--project=fortisoar'], { CONFORMANCE_TARGET: 'prod' });
  expect(r.status, r.stdout + r.stderr).toBe(2);
  expect(r.stderr).toContain('Configuration error: CONFORMANCE_TARGET: must be "stub" or "live", got "prod"');
  for (const p of ['reports', 'test-results', 'allure-results', 'allure-report']) expect(existsSync(join(ROOT, p)), p).toBe(false);
});

test('JUnit files findings as failures and its counts are the summary counts', () => {
  const r = conformance(['--project=fortisoar', '-g', 'PUT /api/3/'], { CONFORMANCE_STUB_MUTANT: MUTANT });
  expect(r.status, r.stdout + r.stderr).toBe(1);
  const report = JSON.parse(readFileSync(join(ROOT, 'reports', 'conformance-report.json'), 'utf8'));
  const junit = readFileSync(join(ROOT, 'reports', 'junit.xml'), 'utf8');
  const root = /<testsuites [^>]*tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/.exec(junit)!;
  const [tests, failures, errors, skipped] = root.slice(1).map(Number);
  const counts = report.summary.counts;
  expect({ tests, failed: failures + errors, skipped }).toEqual({ tests: counts.total, failed: counts.failed, skipped: counts.skipped });
  expect(failures).toBeGreaterThan(0);
  expect(errors).toBe(0);
  expect(junit).toContain(`<failure message="[rule] PUT /api/3/{collection}/{uuid}`);
  expect(junit).toContain('<property name="document" value="fortisoar-api-guide.txt › Model Operations › Update Single Model Records"/>');
  // The Markdown and JSON name only FortiSOAR as run, and why the others were not.
  expect(report.targets.map((t: { product: string; status: string; reason?: string }) => [t.product, t.status, t.reason])).toEqual([
    ['fortisoar', 'tested', undefined],
    ['forticasb', 'skipped', '--project left it out'],
    ['fmbs', 'skipped', '--project left it out'],
  ]);
  expect(readFileSync(join(ROOT, 'reports', 'conformance-report.md'), 'utf8')).toContain('| FortiCASB | not run: --project left it out |');
  expect(junit).toContain('file="specs/fortisoar.yaml"');
});

test('--list prints each test at its spec line with its document section, and leaves the last run’s reports alone', () => {
  const before = ['reports/junit.xml', 'reports/html/index.html', 'reports/conformance-report.json'].map((f) => readFileSync(join(ROOT, f), 'utf8'));
  const r = conformance(['--list', '--project=fortisoar', '-g', 'PUT /api/3/']);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toMatch(
    /\[fortisoar\] › specs\/fortisoar\.yaml:\d+:\d+ › PUT \/api\/3\/\{collection\}\/\{uuid\} → 200 .* — fortisoar-api-guide\.txt › Model Operations › Update Single Model Records/,
  );
  expect(r.stdout).not.toContain('../specs');
  const after = ['reports/junit.xml', 'reports/html/index.html', 'reports/conformance-report.json'].map((f) => readFileSync(join(ROOT, f), 'utf8'));
  expect(after).toEqual(before);
});

/** The part of Playwright's JSON report read here. */
interface JsonSpec {
  tests: { results: { attachments: { name: string; body?: string }[] }[] }[];
}
interface JsonSuite {
  specs?: JsonSpec[];
  suites?: JsonSuite[];
}

/** Resolves with the child's output once `pattern` appears in it (or it exited). */
function until(child: ChildProcess, pattern: RegExp): Promise<string> {
  let out = '';
  return new Promise((resolve) => {
    const take = (c: Buffer) => {
      out += c.toString();
      if (pattern.test(out)) resolve(out);
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    child.on('exit', () => resolve(out));
  });
}

test("a failing test's reproduce.sh shows the deviation against npm run stub running the same broken variant", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'reproduce-run-'));
  const require = createRequire(import.meta.url);
  const run = spawnSync(
    process.execPath,
    [require.resolve('@playwright/test/cli'), 'test', '--project=fortisoar', '-g', grepOf(UPDATE), '--reporter=json', '--output', join(dir, 'out')],
    { cwd: ROOT, encoding: 'utf8', env: runnerEnv({ CONFORMANCE_STUB_MUTANT: MUTANT, PLAYWRIGHT_JSON_OUTPUT_FILE: join(dir, 'report.json') }) },
  );
  expect(run.status).toBe(1);
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as JsonSuite;
  const specs = (s: JsonSuite): JsonSpec[] => [...(s.specs ?? []), ...(s.suites ?? []).flatMap(specs)];
  const attachment = specs(report)
    .flatMap((s) => s.tests.flatMap((t) => t.results.flatMap((r) => r.attachments)))
    .find((a) => a.name === 'reproduce.sh');
  const script = Buffer.from(attachment!.body!, 'base64').toString('utf8');
  writeFileSync(join(dir, 'reproduce.sh'), script);
  expect(script).toContain(`npm run stub -- --mutant ${MUTANT} --settings-file .stub/settings.env`);

  const stub = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/stub/serve-cli.ts', '--port', '0', '--mutant', MUTANT, '--settings-file', join(dir, 'settings.env')],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    await until(stub, /^ready$/m);
    const replay = spawnSync('sh', [join(dir, 'reproduce.sh'), join(dir, 'settings.env')], { encoding: 'utf8', timeout: 60_000 });
    expect(replay.status, replay.stderr).toBe(0);
    const out = replay.stdout;
    // Every step answered as in the test (its own login first, V1 its token, since it was the
    // worker's first test; V2 the record's @id), and the judged answer shows the deviation again: the description the PUT sent did
    // not persist.
    const steps = [...out.matchAll(/^(\d+)\. (\S+ \S+) -> (\S+) \(in the test: (\S+)\)$/gm)].map((m) => [m[2], m[3], m[4]]);
    expect(steps.filter(([what]) => !what.includes('/auth/'))).toEqual([
      ['POST /api/3/alerts', '201', '201'],
      ['PUT {V2}', '200', '200'],
      ['GET {V2}', '200', '200'],
      ['DELETE {V2}', '204', '204'],
    ]);
    expect(out).toMatch(/--- Step \d+ is the answer the suite judged\. In the test it was judged:\n {2}\[rule\] PUT .*: the change persists/);
    expect(out).toMatch(/--- Its answer now \(first 2000 bytes\):\n\{.*"description":"created by the conformance suite \(update\)"/);
  } finally {
    stub.kill('SIGTERM');
  }
});

for (const [how, signal, group] of [
  ['Ctrl-C (SIGINT to the process group)', 'SIGINT', true],
  ['SIGTERM to the script', 'SIGTERM', false],
] as const) {
  test(`${how} ends the run with the summary of what ran and exit 4`, async () => {
    const child = spawn(process.execPath, ['scripts/conformance.mjs', '--project=fortisoar', '--reporter=line'], {
      cwd: ROOT,
      env: runnerEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Stop it once some tests have run.
    await until(child, /\[\d{2,}\/\d+\]/);
    if (group) process.kill(-child.pid!, signal);
    else child.kill(signal);
    const out = await until(child, /conformance: exit \d/);
    expect(await exited, out).toBe(4);
    expect(out).toContain('Conformance summary — target stub');
    expect(out).toMatch(/Verdict: INCOMPLETE \(exit 4\): the run was interrupted/);
    expect(out).toMatch(/FortiSOAR \(fortisoar-api-guide\.txt\): \d+ passed/);
  });
}
