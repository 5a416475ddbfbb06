#!/usr/bin/env node
/**
 * `npm run conformance [-- <options>]`: runs the conformance suite (against the built-in stub
 * unless CONFORMANCE_TARGET=live), then judges it and checks its artefacts:
 *
 * - the verdict comes from reports/conformance-report.json, written by the conformance reporter
 *   (src/report/conformance-reporter.ts), so a merged sharded run is judged the same way;
 * - failures listed in the baseline (conformance-baseline.json, or CONFORMANCE_BASELINE) are
 *   accepted; `--update-baseline` rewrites it from this run's failures;
 * - every artefact the run wrote is scanned for the configured secrets (src/report/secret-scan.ts).
 *
 * `npm run conformance:merge [-- <dir>]` (`--merge`) merges the blob reports of a sharded run
 * (default dir blob-reports/) into the same reports and verdict instead of running tests.
 *
 * Own options are removed; everything else passes to `playwright test` unchanged
 * (`--project=fortisoar`, `-g "POST /api/3/insert"`, `--list`, `--shard=1/3`).
 * Exit codes (README, "Exit codes"): 0 conforming, 1 a failure not in the baseline,
 * 2 configuration error, 3 a secret found in an artefact, 4 the run did not complete (also when
 * interrupted: Ctrl-C, SIGTERM, SIGHUP stop Playwright gracefully and the summary of what ran is
 * printed), 5 a product could not be judged (its live preflight failed).
 *
 * Each run (and merge) first removes the reports a previous run left (reports/, allure-results/,
 * test-results/), so that nothing describes another run, even when this one stops on a
 * configuration error.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const cli = require.resolve('@playwright/test/cli');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const here = (...p) => join(root, ...p);
// TypeScript modules, loaded with tsx only once Playwright has started (see run()).
const load = async (path) => (await import('tsx/esm/api')).tsImport(here(path), import.meta.url);
// .env, for the secrets the artefact scan looks for (Playwright reads it on its own).
const loadDotenv = async () => (await import('dotenv')).config({ quiet: true });
const rel = (p) => relative(process.cwd(), p) || p;

/** When this command started: the artefact scan looks at what was written since. */
const RUN_STARTED = Date.now();
const EXIT = { conforming: 0, notConforming: 1, configuration: 2, secret: 3, incomplete: 4, notJudged: 5 };
const MEANING = [
  'conforming',
  'not conforming',
  'configuration error',
  'a secret in an artefact',
  'the run did not complete',
  'not judged: a product could not be reached or refused the credentials',
];
const REPORT = here('reports', 'conformance-report.json');
const BLOB_OUT = here('reports', 'blob');
const DEFAULT_BLOB_DIR = 'blob-reports';

function stop(code, message) {
  if (message) console.error(message);
  console.log(`conformance: exit ${code} (${MEANING[code]})`);
  process.exit(code);
}

// --- own options ----------------------------------------------------------------------------
// A leading `--` (copied from `npm run conformance -- ...`) means nothing here: drop it.
const args = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'));
const updateBaseline = args.includes('--update-baseline');
const merge = args.includes('--merge');
const rest = args.filter((a) => a !== '--update-baseline' && a !== '--merge');

// Playwright's own informational commands pass straight through.
if (!merge && rest.some((a) => a === '--list' || a === '--help' || a === '-h' || a === '--version' || a === '--ui')) {
  const r = spawnSync(process.execPath, [cli, 'test', ...rest], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

/**
 * Reports describe this run only: a stale report must never give this run's verdict, stale Allure
 * results would join the report, and after a configuration error nothing of an earlier run may
 * remain to be mistaken for this one. `keep` (the blobs a merge reads) is never removed.
 */
function clearReports(dirs, keep) {
  const inside = (p, dir) => !relative(dir, p).startsWith('..');
  for (const dir of dirs.map((d) => here(d))) {
    if (!keep || !inside(keep, dir)) rmSync(dir, { recursive: true, force: true });
    else if (existsSync(dir) && keep !== dir)
      for (const e of readdirSync(dir)) if (!inside(keep, join(dir, e))) rmSync(join(dir, e), { recursive: true, force: true });
  }
}

/**
 * The run's private directory (mode 0700, outside the artefacts, removed on exit): the tokens the
 * workers are issued (src/report/issued.ts, named by CONFORMANCE_ISSUED_TOKENS_FILE, so that the
 * redaction in the runner and the artefact scan know them whatever their shape) and the console
 * output as printed, which the scan reads too.
 */
const PRIVATE = mkdtempSync(join(tmpdir(), 'conformance-private-'));
chmodSync(PRIVATE, 0o700);
process.on('exit', () => rmSync(PRIVATE, { recursive: true, force: true }));
const ISSUED = join(PRIVATE, 'issued-tokens.jsonl');
writeFileSync(ISSUED, '', { mode: 0o600 });
process.env.CONFORMANCE_ISSUED_TOKENS_FILE = ISSUED;
const CONSOLE = join(PRIVATE, 'console-output.log');

/**
 * Passes the child's stdout and stderr through the one redactor before they reach the console
 * (and a copy, as printed, to CONSOLE for the scan). Whole lines are redacted, so a secret is
 * never cut in two; a partial line (the dot reporter's progress) is passed on after 100 ms
 * without more output. Output is held until the redactor has loaded.
 */
function relay(child) {
  const copy = createWriteStream(CONSOLE, { mode: 0o600 });
  let redact;
  const streams = [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ].map(([from, to]) => {
    let held = '';
    let timer;
    const emit = (all) => {
      clearTimeout(timer);
      if (!redact) return;
      const cut = all ? held.length : held.lastIndexOf('\n') + 1;
      if (cut > 0) {
        const text = redact(held.slice(0, cut));
        held = held.slice(cut);
        to.write(text);
        copy.write(text);
      }
      if (held) timer = setTimeout(() => emit(true), 100);
    };
    from.setEncoding('utf8');
    from.on('data', (chunk) => {
      held += chunk;
      emit(held.length > 65_536);
    });
    const ended = new Promise((done) => from.on('end', done));
    return { emit, ended };
  });
  return {
    /** Starts redacting (and prints what was held). */
    ready(fn) {
      redact = fn;
      for (const s of streams) s.emit(false);
    },
    async done() {
      await Promise.all(streams.map((s) => s.ended));
      redact ??= (t) => t;
      for (const s of streams) s.emit(true);
      await new Promise((done) => copy.end(done));
    },
  };
}

/**
 * Starts Playwright at once and loads this script's TypeScript modules while it runs (loading
 * them first would delay every run by the TypeScript loader's start). A baseline that cannot be
 * read still stops the run at once: Playwright is stopped and the exit code is 2.
 */
async function run(argv, options) {
  // Colours as on a terminal, although the child's output now goes through a pipe.
  const colour = process.stdout.isTTY && process.env.FORCE_COLOR === undefined ? { FORCE_COLOR: '1' } : {};
  const child = spawn(process.execPath, argv, { stdio: ['inherit', 'pipe', 'pipe'], ...options, env: { ...(options.env ?? process.env), ...colour } });
  const output = relay(child);
  const exited = new Promise((done) => child.on('close', (status, signal) => done({ status, signal })));
  // Ctrl-C reaches Playwright too (the terminal signals the process group); this script outlives
  // it to report what was done. SIGTERM and SIGHUP (a CI job cancelled, a terminal closed) reach
  // this script alone: they become a SIGINT to Playwright, which then stops as on Ctrl-C (its
  // workers end, its reporters write what ran) instead of dying without reports.
  const ignore = () => {};
  const interrupt = () => child.kill('SIGINT');
  process.on('SIGINT', ignore);
  process.on('SIGTERM', interrupt);
  process.on('SIGHUP', interrupt);
  await loadDotenv();
  const [{ loadBaseline, baselinePath, BaselineError }, scan, { Redactor }, { scrubText }] = await Promise.all([
    load('src/report/baseline.ts'),
    load('src/report/secret-scan.ts'),
    load('src/report/redact.ts'),
    load('src/report/scrub.ts'),
  ]);
  const redactor = new Redactor(scan.configuredSecrets(process.env).map((s) => s.value));
  output.ready((text) => scrubText(redactor, text));
  try {
    loadBaseline(baselinePath(process.env));
  } catch (e) {
    if (!(e instanceof BaselineError)) throw e;
    child.kill('SIGTERM');
    await exited;
    await output.done();
    stop(EXIT.configuration, `Baseline error: ${e.message}`);
  }
  const result = await exited;
  await output.done();
  process.off('SIGINT', ignore);
  process.off('SIGTERM', interrupt);
  process.off('SIGHUP', interrupt);
  return { ...result, scan };
}

const env = { ...process.env, ...(updateBaseline ? { CONFORMANCE_UPDATE_BASELINE: '1' } : {}) };
let child;
let scanned;
if (merge) {
  const positional = rest.filter((a) => !a.startsWith('-'));
  const unknown = rest.filter((a) => a.startsWith('-'));
  const dir = resolve(positional[0] ?? DEFAULT_BLOB_DIR);
  clearReports(['reports', 'allure-results', 'allure-report'], dir);
  if (unknown.length || positional.length > 1)
    stop(
      EXIT.configuration,
      `usage: npm run conformance:merge [-- [--update-baseline] [<dir of blob reports>]]; unexpected: ${[...unknown, ...positional.slice(1)].join(' ')}`,
    );
  const zips = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.zip')) : [];
  if (!zips.length) {
    stop(EXIT.configuration, `No blob reports in ${rel(dir)}: put the reports/blob/*.zip of every shard there (README, "Sharding").`);
  }
  console.log(`Merging ${zips.length} blob report(s) from ${rel(dir)}: ${zips.join(', ')}`);
  // Everything a merged report says comes from the blobs; the configuration of this machine only
  // has to load (a merge job rarely has the product credentials).
  await loadDotenv();
  const { loadConfig } = await load('src/config/index.ts');
  try {
    loadConfig({ ...process.env, ...env });
  } catch {
    env.CONFORMANCE_TARGET = 'stub';
  }
  child = await run([cli, 'merge-reports', '--config', here('playwright.config.ts'), dir], { env, cwd: root });
  scanned = [here('reports'), here('allure-results'), dir];
} else {
  // allure-report/ is built by npm run report from allure-results/: the one of an earlier run goes too.
  clearReports(['reports', 'allure-results', 'allure-report', 'test-results']);
  // A --reporter given on the command line replaces the configured ones: keep the conformance
  // reporter first (it redacts results for the others) and the blob reporter of a shard.
  const sharded = rest.some((a) => a.startsWith('--shard'));
  const conformanceReporter = here('src', 'report', 'conformance-reporter.ts');
  const pass = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = a === '--reporter' ? rest[++i] : a.startsWith('--reporter=') ? a.slice('--reporter='.length) : undefined;
    if (value === undefined) pass.push(a);
    else pass.push(`--reporter=${[conformanceReporter, ...value.split(','), ...(sharded ? ['blob'] : [])].join(',')}`);
  }
  if (sharded) env.PLAYWRIGHT_BLOB_OUTPUT_DIR = BLOB_OUT;
  child = await run([cli, 'test', ...pass], { env });
  scanned = [here('reports'), here('test-results'), here('allure-results')];
  if (sharded && existsSync(BLOB_OUT)) {
    const into = resolve(DEFAULT_BLOB_DIR);
    mkdirSync(into, { recursive: true });
    for (const f of readdirSync(BLOB_OUT).filter((f) => f.endsWith('.zip'))) {
      copyFileSync(join(BLOB_OUT, f), join(into, f));
      console.log(`Shard blob report: ${rel(join(into, f))} (gather every shard's in one ${DEFAULT_BLOB_DIR}/, then npm run conformance:merge)`);
    }
  }
}

// --- verdict ----------------------------------------------------------------------------------
let code;
if (!existsSync(REPORT)) {
  if (child.status === EXIT.configuration) stop(EXIT.configuration);
  console.error(`No conformance report was written (Playwright exited ${child.status ?? child.signal}); see its output above.`);
  code = EXIT.incomplete;
} else {
  const report = JSON.parse(readFileSync(REPORT, 'utf8'));
  code = report.verdict.exitCode;
}

// --- the artefacts must not hold a secret ----------------------------------------------------
const { configuredSecrets, scanArtefacts, describeFindings } = child.scan;
// The secrets of this environment (.env included), not of the stand-in a merge may have used.
const secrets = configuredSecrets(process.env);
// Only what this run wrote (mtime granularity: a second's margin).
const scan = scanArtefacts([...scanned, CONSOLE], secrets, process.cwd(), RUN_STARTED - 1000, new Map([[CONSOLE, '(console output)']]));
if (scan.findings.length) {
  console.error(`\nSECRET IN AN ARTEFACT: ${scan.findings.length} finding(s) in ${scan.files} file(s) scanned; do not publish these reports.`);
  for (const line of describeFindings(scan)) console.error(`  ${line}`);
  code = EXIT.secret;
} else {
  console.log(
    `Artefact scan: ${scan.files} files in ${scanned.filter(existsSync).map(rel).join(', ')}; no configured secret (${secrets.length} checked) and no issued token found.`,
  );
}
for (const u of scan.unreadable) console.warn(`Artefact scan could not open ${u}`);
stop(code);
