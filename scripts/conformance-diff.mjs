#!/usr/bin/env node
/**
 * `npm run conformance:diff -- <before.json> <after.json> [--markdown] [--out <file.md>]`:
 * compares two conformance reports (src/report/diff.ts), for example the current FortiSOAR's and
 * the upgrade candidate's: regressions, fixes, newly skipped tests, tests gained or lost, changed
 * product versions.
 *
 * Prints the comparison as text, or as Markdown with --markdown (for a pull-request comment);
 * --out writes the Markdown to a file as well. Exit codes: 0 no regression, 1 a test that passed
 * before fails now, 2 a report cannot be read (or wrong usage).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';

const USAGE = 'usage: npm run conformance:diff -- <before.json> <after.json> [--markdown] [--out <file.md>]';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { markdown: { type: 'boolean', default: false }, out: { type: 'string' }, help: { type: 'boolean' } },
  });
} catch (e) {
  console.error(`conformance:diff: ${e.message}\n${USAGE}`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (positionals.length !== 2) {
  console.error(`conformance:diff: two reports are needed, got ${positionals.length}\n${USAGE}`);
  process.exit(2);
}

const { readReport, diffReports, diffExitCode, renderDiffText, renderDiffMarkdown, DiffInputError } = await tsImport(
  join(root, 'src', 'report', 'diff.ts'),
  import.meta.url,
);
let diff;
try {
  diff = diffReports(readReport(positionals[0]), readReport(positionals[1]));
} catch (e) {
  if (!(e instanceof DiffInputError)) throw e;
  console.error(`conformance:diff: ${e.message}`);
  process.exit(2);
}
const markdown = renderDiffMarkdown(diff);
process.stdout.write(values.markdown ? markdown : renderDiffText(diff));
if (values.out) {
  mkdirSync(dirname(resolve(values.out)), { recursive: true });
  writeFileSync(values.out, markdown);
  if (!values.markdown) console.log(`Markdown: ${values.out}`);
}
process.exit(diffExitCode(diff));
