#!/usr/bin/env node
/**
 * The variants self-test (`npm run variants`, a stage of `npm test`): every broken variant of the
 * stub is caught by each case it names, every latitude variant passes the suite. Prints one line
 * per variant and exits 1 when a broken variant survives a case or a latitude variant fails one.
 * Options pass to Playwright; CONFORMANCE_VARIANTS=<id>,<id> selects variants.
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
const dir = mkdtempSync(join(tmpdir(), 'conformance-variants-'));
const reportFile = join(dir, 'variants.json');
const run = spawnSync(process.execPath, [cli, 'test', '--config', 'playwright.variants.config.ts', ...process.argv.slice(2)], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, CONFORMANCE_TARGET: 'stub', CONFORMANCE_VARIANTS_REPORT: reportFile },
});
let report;
try {
  report = JSON.parse(readFileSync(reportFile, 'utf8'));
} catch {
  console.error(`variants self-test: no report (playwright exited ${run.status})`);
  process.exit(1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Per variant (the describe title "<kind> <id>"): tests passed, failed, skipped, and the first failures. */
const byVariant = new Map();
const visit = (suite, variant) => {
  const here = /^(broken|latitude) /.test(suite.title ?? '') ? suite.title : variant;
  for (const spec of suite.specs ?? []) {
    for (const t of spec.tests) {
      const row = byVariant.get(here) ?? { passed: 0, failed: 0, skipped: 0, errors: [], misnamed: false };
      const status = t.results.at(-1)?.status;
      if (status === 'skipped') row.skipped++;
      else if (status === 'passed') row.passed++;
      else {
        row.failed++;
        // tests/variants/variants.spec.ts: a case id that matches nothing, or no case named at all.
        if (/^names (the case|no case)/.test(spec.title)) row.misnamed = true;
        if (row.errors.length < 2) row.errors.push(`${spec.title}: ${(t.results.at(-1)?.error?.message ?? '').split('\n')[0].slice(0, 200)}`);
      }
      byVariant.set(here, row);
    }
  }
  for (const s of suite.suites ?? []) visit(s, here);
};
for (const s of report.suites) visit(s, undefined);
for (const e of report.errors ?? []) console.error(e.message?.split('\n')[0]);

let bad = 0;
const rows = [...byVariant].sort(([a], [b]) => a.localeCompare(b));
for (const [variant, row] of rows) {
  const [kind, id] = variant.split(' ');
  const ok = row.failed === 0;
  if (!ok) bad++;
  const verdict = row.misnamed ? 'MISNAMED' : kind === 'broken' ? (ok ? 'caught  ' : 'SURVIVED') : ok ? 'passes  ' : 'FAILS   ';
  console.log(
    `${verdict} ${kind.padEnd(8)} ${id} (${row.passed} passed, ${row.failed} failed, ${row.skipped} skipped)${ok ? '' : `\n    ${row.errors.join('\n    ')}`}`,
  );
}
const broken = rows.filter(([v]) => v.startsWith('broken')).length;
console.log(`\nvariants: ${broken} broken (each caught by every case it names), ${rows.length - broken} latitude (the suite passes); ${bad} problem(s)`);
process.exit(bad === 0 && rows.length > 0 && !report.errors?.length ? 0 : 1);
