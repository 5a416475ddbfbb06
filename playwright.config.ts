/**
 * One project per product; the configuration is read (and a bad one stops the run with one
 * message naming the variable) before any test starts.
 */
import { defineConfig } from '@playwright/test';
import { config as dotenv } from 'dotenv';
import { ConfigError, loadConfig, PRODUCTS } from './src/config/index.ts';

dotenv({ quiet: true });
// One run marker for the whole run: workers inherit the runner's environment.
process.env.CONFORMANCE_RUN_ID ??= `run-${Date.now().toString(36)}`;

let config;
try {
  config = loadConfig(process.env);
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(`Configuration error: ${e.message}`);
    process.exit(2);
  }
  throw e;
}
if (!process.env.TEST_WORKER_INDEX) {
  for (const reason of Object.values(config.skipped)) console.log(reason);
}

export default defineConfig({
  testDir: 'tests',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  workers: process.env.CONFORMANCE_WORKERS ? Number(process.env.CONFORMANCE_WORKERS) : config.target === 'live' ? 4 : 2,
  timeout: 60_000,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'reports/html' }], ['junit', { outputFile: 'reports/junit.xml' }]],
  outputDir: 'test-results',
  use: { trace: 'off' },
  projects: PRODUCTS.map((p) => ({ name: p, testMatch: `conformance/${p}.spec.ts` })),
});
