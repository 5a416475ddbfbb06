/**
 * The conformance report as text: the summary printed at the end of a run, and the Markdown a
 * vendor can publish (`reports/conformance-report.md`). Both are views of the JSON document,
 * which stays the reference.
 */
import { gist } from './findings.ts';
import type { ConformanceReport, TargetInfo } from './report.ts';
import { type Counts, describeCounts, type ProductSummary, type SummaryRow } from './summary.ts';

const rowMark = (c: Counts): string => (c.failed > c.accepted ? 'FAIL' : c.failed ? 'accepted' : c.skipped === c.total ? 'skip' : 'pass');
const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const firstLine = (s: string | undefined): string =>
  (s ?? '')
    .split('\n')
    .find((l) => l.trim() !== '')
    ?.trim() ?? '';

const targetOf = (r: ConformanceReport, product: string): TargetInfo | undefined => r.targets.find((t) => t.product === product);
/** Products whose tests ran or whose preflight failed get a section; products left out are one line. */
const shown = (r: ConformanceReport, p: ProductSummary): boolean => (targetOf(r, p.id)?.status ?? 'tested') !== 'skipped';

function heading(r: ConformanceReport): string {
  const soar = r.checkedAgainst.fortisoar ? ` · FortiSOAR ${r.checkedAgainst.fortisoar.version}` : '';
  const part = r.run.shard
    ? ` · shard ${r.run.shard.current}/${r.run.shard.total}`
    : r.run.merged
      ? ` · merged from ${r.run.merged.shards.length}/${r.run.merged.total} shards`
      : '';
  return `target ${r.run.target}${soar}${part} · ${r.summary.counts.total} tests: ${describeCounts(r.summary.counts)}`;
}

const sections = (row: SummaryRow): string => row.documents.join('; ');
const statusOf = (row: SummaryRow): string => `${row.status || '-'}${row.paging ? ` ${row.paging}` : ''}`;

/** The summary printed at the end of a run. */
export function renderText(r: ConformanceReport, files: readonly string[] = []): string {
  const out: string[] = ['', `Conformance summary — ${heading(r)}`];
  const notRun = r.targets.filter((t) => t.status === 'skipped');
  if (notRun.length) out.push(`Not run: ${notRun.map((t) => `${t.name} (${t.reason})`).join('; ')}`);
  if (r.run.throttled)
    out.push(
      `Throttled: ${r.run.throttled} answer(s) 429 or 503 with Retry-After were waited out and sent again (pace: CONFORMANCE_MAX_RPS, CONFORMANCE_MAX_CONCURRENCY; a test whose server kept throttling is skipped, not judged)`,
    );
  for (const p of r.summary.products.filter((x) => shown(r, x))) {
    const target = targetOf(r, p.id);
    if (target?.status === 'not-judged') {
      out.push(
        '',
        `${p.name}: NOT JUDGED — ${target.reason}`,
        `  ↳ ${p.counts.total - 1} tests not run: its environment is broken, not its API (fix the cause above and run again)`,
      );
      continue;
    }
    // The document file is printed once per product, each row shows its section (when it changes).
    const docs = [...new Set(p.operations.flatMap((o) => o.rows.flatMap((row) => row.documents.map((d) => d.split(' › ')[0]))))];
    out.push('', `${p.name}${docs.length === 1 ? ` (${docs[0]})` : ''}: ${describeCounts(p.counts)}`);
    // Tests skipped for one reason across the product are one line, and their rows are left
    // out; the JSON and Markdown keep every row.
    const reasons = new Set(p.operations.flatMap((o) => o.rows.flatMap((row) => row.skipReasons)));
    const collapse = reasons.size === 1 && p.counts.skipped > 3;
    if (collapse) out.push(`  ↳ ${p.counts.skipped} skipped: ${[...reasons][0]}`);
    let lastReason = '';
    const opWidth = Math.min(60, Math.max(...p.operations.map((o) => o.operation.length)));
    const stWidth = Math.max(...p.operations.flatMap((o) => o.rows.map((row) => statusOf(row).length)));
    const cWidth = Math.max(...p.operations.flatMap((o) => o.rows.map((row) => describeCounts(row.counts).length)));
    for (const op of p.operations) {
      let previous = '';
      const rows = collapse ? op.rows.filter((row) => row.counts.skipped < row.counts.total) : op.rows;
      rows.forEach((row, i) => {
        const section = docs.length === 1 ? row.documents.map((d) => d.split(' › ').slice(1).join(' › ')).join('; ') : sections(row);
        out.push(
          `  ${pad(rowMark(row.counts), 8)} ${pad(i === 0 ? op.operation : '', opWidth)}  ${pad(statusOf(row), stWidth)}  ${pad(describeCounts(row.counts), cWidth)}  ${section === previous ? '' : section}`.trimEnd(),
        );
        previous = section;
        for (const reason of collapse ? [] : row.skipReasons) {
          out.push(`  ${' '.repeat(8)} ${' '.repeat(opWidth)}  ↳ skipped: ${reason === lastReason ? '(as above)' : reason}`);
          lastReason = reason;
        }
      });
    }
  }
  const b = r.baseline;
  const failed = r.cases.filter((c) => c.outcome === 'failed' && !c.preflight);
  const fresh = failed.filter((c) => !c.accepted);
  if (fresh.length) {
    out.push('', `Failures${b.exists || b.updated ? ' not in the baseline' : ''} (${fresh.length}):`);
    for (const c of fresh)
      out.push(`  ✗ ${c.title}${c.failureKind === 'error' ? ' (an error of the suite, not a finding)' : ''}`, ...gist(c.error).map((l) => `      ${l}`));
  }
  if (b.acceptedFailures.length) {
    out.push('', `Accepted by the baseline ${b.path} (${b.acceptedFailures.length}):`);
    for (const e of b.acceptedFailures) out.push(`  ~ ${e.title} — ${e.reason}`);
  }
  if (b.nowPassing.length) {
    out.push('', `Baseline entries that now pass — remove them from ${b.path} (or run --update-baseline):`);
    for (const e of b.nowPassing) out.push(`  ✓ ${e.title}`);
  }
  if (b.unknown.length) {
    out.push('', `Baseline entries that name no test of the suite (renamed or removed?):`);
    for (const e of b.unknown) out.push(`  ? ${e.title}`);
  }
  if (b.notRun.length) out.push('', `Baseline entries not judged in this run (skipped or not selected): ${b.notRun.length}`);
  for (const w of b.warnings) out.push(`Baseline warning: ${w}`);
  if (b.updated) out.push('', `Baseline written to ${b.path}: ${b.updated.added} added, ${b.updated.removed} removed, ${b.updated.kept} kept`);
  if (r.errors.length) {
    out.push('', `Errors outside the tests (${r.errors.length}):`);
    for (const e of r.errors) out.push(`  ${firstLine(e)}`);
  }
  const v = r.verdict;
  out.push('', `Verdict: ${v.result.toUpperCase().replace('-', ' ')} (exit ${v.exitCode})${v.reasons.length ? `: ${v.reasons.join('; ')}` : ''}`);
  if (files.length) out.push(`Reports: ${files.join(', ')}`);
  return `${out.join('\n')}\n`;
}

/** Text for a Markdown table cell (or a list item): `|` escaped, on one line. */
export const cell = (s: string | number | undefined): string =>
  String(s ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
const mdMark = (c: Counts): string =>
  c.failed > c.accepted ? '❌ fails' : c.failed ? '⚠️ accepted deviation' : c.skipped === c.total ? '⏭ skipped' : '✅ conforms';

function targetCell(t: TargetInfo): string {
  if (t.status === 'not-judged') return `**NOT JUDGED**: ${cell(t.reason)}`;
  if (t.status === 'skipped') return `not run: ${cell(t.reason)}`;
  return t.version ? `tested, version ${t.version} checked` : 'tested';
}

/** The Markdown report for a vendor to publish. */
export function renderMarkdown(r: ConformanceReport): string {
  const tested = r.targets.filter((t) => t.status !== 'skipped').map((t) => t.name);
  const out: string[] = [
    `# Conformance report: ${tested.join(', ') || 'no products'}`,
    '',
    `Generated by ${r.suite.name} ${r.suite.version} (report format ${r.formatVersion}) on ${r.run.generatedAt}.`,
    '',
    '| | |',
    '| --- | --- |',
    `| Verdict | **${r.verdict.result}**${r.verdict.reasons.length ? ` (${cell(r.verdict.reasons.join('; '))})` : ''} |`,
    `| Target | ${r.run.target} |`,
    ...r.targets.map((t) => `| ${cell(t.name)} | ${targetCell(t)} |`),
    `| Run | ${r.run.id ? `${cell(r.run.id)}, ` : ''}${r.run.startedAt} to ${r.run.finishedAt}${r.run.shard ? `, shard ${r.run.shard.current}/${r.run.shard.total} only` : ''}${r.run.merged ? `, merged from ${r.run.merged.shards.length} of ${r.run.merged.total} shards` : ''} |`,
    `| Tests | ${describeCounts(r.summary.counts)} |`,
    ...(r.run.throttled ? [`| Throttled | ${r.run.throttled} answer(s) 429 or 503 with Retry-After waited out and sent again |`] : []),
    '',
  ];
  for (const p of r.summary.products.filter((x) => shown(r, x))) {
    const target = targetOf(r, p.id);
    if (target?.status === 'not-judged') {
      out.push(
        `## ${p.name}`,
        '',
        `**Not judged**: its live preflight failed, so its ${p.counts.total - 1} tests did not run. A broken environment is not a verdict on the API.`,
        '',
        `> ${cell(target.reason)}`,
        '',
      );
      continue;
    }
    out.push(
      `## ${p.name}`,
      '',
      describeCounts(p.counts),
      '',
      '| Operation | Status | Paging | Result | Passed | Failed | Skipped | Document section |',
      '| --- | --- | --- | --- | ---: | ---: | ---: | --- |',
    );
    for (const op of p.operations) {
      for (const row of op.rows) {
        out.push(
          `| \`${cell(op.operation)}\` | ${cell(row.status)} | ${cell(row.paging ?? '')} | ${mdMark(row.counts)} | ${row.counts.passed} | ${row.counts.failed} | ${row.counts.skipped} | ${cell(sections(row))} |`,
        );
      }
    }
    out.push('');
    const skipped = [...new Set(p.operations.flatMap((o) => o.rows.flatMap((row) => row.skipReasons)))];
    if (skipped.length) out.push('Skipped, and why:', '', ...skipped.map((s) => `- ${s}`), '');
  }
  const failures = r.cases.filter((c) => c.outcome === 'failed' && !c.preflight);
  const deviations = failures.filter((c) => c.accepted);
  const fresh = failures.filter((c) => !c.accepted);
  if (deviations.length) {
    out.push(
      '## Accepted deviations',
      '',
      '| Test | Reason |',
      '| --- | --- |',
      ...deviations.map((c) => `| ${cell(c.title)} | ${cell(c.accepted!.reason)} |`),
      '',
    );
  }
  if (fresh.length) {
    out.push('## Failures', '');
    for (const c of fresh) {
      const [check, ...evidence] = gist(c.error);
      out.push(`- **${cell(c.title)}**${c.document ? ` (${c.document})` : ''}: \`${cell(check.replace(/`/g, "'"))}\``);
      for (const line of evidence) out.push(`  - \`${cell(line.replace(/`/g, "'"))}\``);
    }
    out.push('');
  }
  return out.join('\n');
}
