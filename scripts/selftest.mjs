#!/usr/bin/env node
/**
 * `npm test`: the project's own tests, in order: type check, unit tests (specs, schemas, config,
 * redaction, stub), test-list lint, the suite against the stub (nock), the suite in live mode
 * against the HTTP stub, and the variants self-test (every broken stub variant is caught, every
 * latitude variant passes).
 * Ends with one line "N passed, N failed" counting the stages.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const pw = require.resolve('@playwright/test/cli');
// typescript and tsx export no bin subpaths: find them beside their package.json.
const bin = (pkg, file) => join(dirname(require.resolve(`${pkg}/package.json`)), file);
const tsc = bin('typescript', 'bin/tsc');
const tsx = bin('tsx', 'dist/cli.mjs');
const node = process.execPath;

const stages = [
  ['type check', [tsc, '--noEmit', '-p', '.']],
  ['lint and format (Biome)', [bin('@biomejs/biome', 'bin/biome'), 'check', '.']],
  ['unit tests', [pw, 'test', '--config', 'playwright.self.config.ts']],
  ['operations the stub does not implement yet (listed, not failed)', [tsx, 'scripts/stub-coverage.ts']],
  ['test list lint (--list --forbid-only)', [pw, 'test', '--list', '--forbid-only', '--reporter=dot']],
  // Reversed, and the live run shuffled with destructive tests on: no test may depend on what ran before it (issue 10).
  ['suite against the stub, in reverse order', ['scripts/conformance.mjs'], { CONFORMANCE_ORDER: 'reverse' }],
  [
    'suite in live mode against the fuzzed HTTP stub, shuffled, destructive tests on',
    [tsx, 'scripts/live-against-stub.ts', '--reporter=dot'],
    { CONFORMANCE_ORDER: 'shuffle:20261130', CONFORMANCE_DESTRUCTIVE: '1' },
  ],
  ['variants self-test (broken variants caught, latitude variants pass)', ['scripts/variants.mjs']],
];

let passed = 0;
let failed = 0;
for (const [name, args, env = {}] of stages) {
  console.log(`\n=== ${name}`);
  const started = Date.now();
  const r = spawnSync(node, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, CONFORMANCE_TARGET: 'stub', ...env } });
  const ok = r.status === 0;
  console.log(`=== ${name}: ${ok ? 'ok' : `FAILED (exit ${r.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (ok) passed++;
  else failed++;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
