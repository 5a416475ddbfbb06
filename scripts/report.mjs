#!/usr/bin/env node
/**
 * `npm run report`: builds the Allure HTML report (allure-report/index.html, one file that opens
 * from disk) from the allure-results/ of the last `npm run conformance` or
 * `npm run conformance:merge`, offline, with the `allure` 3 package (no Java). The report is then
 * scanned for the configured secrets like every other artefact.
 * Exit codes: 0 built, 2 no results to build from, 3 a secret found in the report, 4 Allure failed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { config as dotenv } from 'dotenv';
import { tsImport } from 'tsx/esm/api';

dotenv({ quiet: true });
const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'allure-results');
const output = join(root, 'allure-report');
const rel = (p) => relative(process.cwd(), p) || p;

if (!existsSync(results) || readdirSync(results).length === 0) {
  console.error(`No Allure results in ${rel(results)}: run npm run conformance (or npm run conformance:merge) first.`);
  process.exit(2);
}
rmSync(output, { recursive: true, force: true });
// The allure package exports no bin subpath: its CLI sits beside dist/.
const allure = join(dirname(require.resolve('allure')), '..', 'cli.js');
const r = spawnSync(process.execPath, [allure, 'generate', '--config', join(root, 'scripts', 'allurerc.mjs'), '--output', output, results], {
  stdio: 'inherit',
  cwd: root,
});
if (r.status !== 0 || !existsSync(join(output, 'index.html'))) {
  console.error(`allure generate failed (exit ${r.status ?? r.signal}).`);
  process.exit(4);
}

const { configuredSecrets, scanArtefacts, describeFindings } = await tsImport(join(root, 'src', 'report', 'secret-scan.ts'), import.meta.url);
const scan = scanArtefacts([output], configuredSecrets(process.env));
if (scan.findings.length) {
  console.error(`SECRET IN AN ARTEFACT: do not publish ${rel(output)}.`);
  for (const line of describeFindings(scan)) console.error(`  ${line}`);
  process.exit(3);
}
console.log(`Allure report: ${rel(join(output, 'index.html'))} (opens from disk; artefact scan: ${scan.files} files, no secret found)`);
