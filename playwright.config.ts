/**
 * The configuration is read (and a bad one stops the run with one message naming the variable)
 * before any test starts. Every product's tests share one project, so one set of workers serves
 * them all; `--project=<product>` gives each product a project of its own.
 */
import { defineConfig, type Project } from '@playwright/test';
import { config as dotenv } from 'dotenv';
import { newRunId } from './src/client/marker.ts';
import { loadConfigOrExit, PRODUCTS } from './src/config/index.ts';

dotenv({ quiet: true });
// One run marker for the whole run, unique per run (src/client/marker.ts): workers inherit the runner's environment.
process.env.CONFORMANCE_RUN_ID ||= newRunId();

const config = loadConfigOrExit(process.env);
// Playwright starts a set of workers per project: three products in three projects cost three
// start-ups. One project runs them all, unless `--project` picks products. Workers inherit the choice.
process.env.CONFORMANCE_PROJECTS ??= process.argv.some((a) => a === '--project' || a.startsWith('--project=')) ? 'per-product' : 'one';
const live = config.target === 'live';
if (!process.env.TEST_WORKER_INDEX) {
  for (const reason of Object.values(config.skipped)) console.log(reason);
}

// `--list` (and `npm run conformance -- --list`) runs the reporters too: the HTML, JUnit and
// Allure reporters would replace the last run's reports with a list of tests that did not run,
// beside that run's conformance report. Listing prints, and writes nothing.
const listing = process.argv.includes('--list');

export default defineConfig({
  // The repository root, so that every location reads `specs/fortisoar.yaml:364:15` (and
  // `tests/preflight/...`): Playwright shows locations relative to testDir.
  testDir: '.',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  workers: process.env.CONFORMANCE_WORKERS ? Number(process.env.CONFORMANCE_WORKERS) : config.target === 'live' ? 4 : 2,
  // A live target may answer slowly; a test of a dozen sequential requests must not time out on it.
  timeout: config.target === 'live' ? 180_000 : 60_000,
  // The conformance reporter comes first: it redacts each result before the others see it and
  // records the run's metadata before the blob reporter (added for a shard, to be merged) reads it.
  reporter: listing
    ? [['./src/report/list-reporter.ts']]
    : [
        ['./src/report/conformance-reporter.ts'],
        ['list'],
        ['html', { open: 'never', outputFolder: 'reports/html' }],
        // Our own JUnit: conformance findings are <failure>, errors of the suite <error> (see the file).
        ['./src/report/junit-reporter.ts', { outputFile: 'reports/junit.xml' }],
        // allure-playwright, tolerant of `merge-reports` (see the file); `npm run report` builds the HTML.
        ['./src/report/allure-reporter.ts', { resultsDir: 'allure-results', detail: false }],
        ...(process.argv.some((a) => a.startsWith('--shard')) ? [['blob', { outputDir: 'reports/blob' }] as const] : []),
      ],
  outputDir: 'test-results',
  use: { trace: 'off' },
  // The runner checks the specs' cases (cached per content), then in live mode each product
  // (reachable, credentials accepted), before any worker starts; a product that fails has its
  // preflight test fail and its other tests skipped, so a wrong URL or credential is one failure,
  // not hundreds.
  globalSetup: ['./tests/check-cases.setup.ts', ...(live ? ['./tests/preflight/global-setup.ts'] : [])],
  projects:
    process.env.CONFORMANCE_PROJECTS === 'one'
      ? [{ name: 'conformance', testMatch: live ? ['tests/preflight/preflight.setup.ts', 'tests/conformance/*.spec.ts'] : 'tests/conformance/*.spec.ts' }]
      : PRODUCTS.map(
          (p): Project =>
            live
              ? { name: p, testMatch: ['tests/preflight/preflight.setup.ts', `tests/conformance/${p}.spec.ts`], grep: new RegExp(`@${p}\\b`) }
              : { name: p, testMatch: `tests/conformance/${p}.spec.ts` },
        ),
});
