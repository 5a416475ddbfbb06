/**
 * The mutation self-test: one project per broken variant of the stub (src/stub/mutants/), each
 * running the tests that concern it. scripts/mutants.mjs runs this and requires every project to
 * fail at least one test.
 */
import { defineConfig } from '@playwright/test';
import base from './playwright.config.ts';
import { loadSpec } from './src/spec/load.ts';
import type { Mutant } from './src/stub/core/types.ts';
import { MUTANTS } from './src/stub/index.ts';

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The tests that concern a variant: its own grep, else the titles of the operations it wraps. */
function grepOf(m: Mutant): RegExp | undefined {
  if (m.grep) return new RegExp(m.grep);
  if (m.operations === '*') return undefined;
  const ops = loadSpec(m.product).operations.filter((o) => m.operations.includes(o.operationId));
  return new RegExp(ops.map((o) => escapeRegex(`${o.method} ${o.path} →`)).join('|'));
}

const only = process.env.CONFORMANCE_MUTANTS?.split(',').filter(Boolean);

// The worker option `stubMutant` is declared by tests/playwright.extend.ts.
export default defineConfig<object, { stubMutant: string | undefined }>({
  ...(base as object),
  reporter: [['json', { outputFile: process.env.CONFORMANCE_MUTANTS_REPORT ?? 'test-results/mutants.json' }], ['dot']],
  retries: 0,
  projects: MUTANTS.filter((m) => !only?.length || only.includes(m.id)).map((m) => ({
    name: `mutant:${m.id}`,
    testMatch: `conformance/${m.product}.spec.ts`,
    grep: grepOf(m),
    use: { stubMutant: m.id },
  })),
});
