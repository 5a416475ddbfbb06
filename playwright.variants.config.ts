/**
 * The variants self-test: broken variants of the stub must be caught by the cases they name,
 * latitude variants must pass (tests/variants/variants.spec.ts). One project: a worker serves
 * every variant, each variant's tests run in order in one worker. scripts/variants.mjs runs it
 * and prints one line per variant.
 */
import { defineConfig } from '@playwright/test';

process.env.CONFORMANCE_TARGET = 'stub';

export default defineConfig({
  testDir: 'tests/variants',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  reporter: [['json', { outputFile: process.env.CONFORMANCE_VARIANTS_REPORT ?? 'test-results/variants.json' }], ['dot']],
  outputDir: 'test-results/variants',
  use: { trace: 'off' },
  projects: [{ name: 'variants', testMatch: 'variants.spec.ts' }],
});
