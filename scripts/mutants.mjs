#!/usr/bin/env node
/**
 * Mutation self-test: runs the suite against every broken variant of the stub and fails unless
 * each variant makes at least one test fail. Prints one line per variant.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const cli = require.resolve('@playwright/test/cli');
// The report holds the broken stubs' answers (tokens among them): it stays out of reports/, in a
// directory of this run's own, so two runs never share it.
const dir = mkdtempSync(join(tmpdir(), 'conformance-mutants-'));
const reportFile = join(dir, 'mutants.json');
const run = spawnSync(process.execPath, [cli, 'test', '--config', 'playwright.mutants.config.ts', ...process.argv.slice(2)], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, CONFORMANCE_TARGET: 'stub', CONFORMANCE_MUTANTS_REPORT: reportFile },
});
let report;
try {
  report = JSON.parse(readFileSync(reportFile, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
} catch {
  console.error(`mutation self-test: no report (playwright exited ${run.status})`);
  process.exit(1);
}
const byProject = new Map();
const visit = (suite) => {
  for (const spec of suite.specs ?? []) {
    for (const t of spec.tests) {
      const row = byProject.get(t.projectName) ?? { failed: 0, passed: 0, skipped: 0, errors: [] };
      const status = t.results.at(-1)?.status;
      if (status === 'skipped') row.skipped++;
      else if (status === 'passed') row.passed++;
      else {
        row.failed++;
        if (row.errors.length < 1) row.errors.push(`${spec.title}: ${(t.results.at(-1)?.error?.message ?? '').split('\n')[0].slice(0, 160)}`);
      }
      byProject.set(t.projectName, row);
    }
  }
  for (const s of suite.suites ?? []) visit(s);
};
for (const s of report.suites) visit(s);
if (report.errors?.length) for (const e of report.errors) console.error(e.message?.split('\n')[0]);
let survived = 0;
for (const [project, row] of [...byProject].sort()) {
  const caught = row.failed > 0;
  if (!caught) survived++;
  console.log(
    `${caught ? 'caught  ' : 'SURVIVED'} ${project.replace('mutant:', '')} (${row.failed} failed, ${row.passed} passed)${caught ? ` — ${row.errors[0]}` : ''}`,
  );
}
const caught = byProject.size - survived;
console.log(`\nmutants: ${caught} passed, ${survived} failed`);
process.exit(survived === 0 && byProject.size > 0 && !report.errors?.length ? 0 : 1);
