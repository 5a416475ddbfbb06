/**
 * Two conformance reports compared (`npm run conformance:diff <before.json> <after.json>`), for an
 * upgrade: the current FortiSOAR against the candidate, last week's staging run against today's.
 * Tests are matched by title (titles are unique and stable: tests/self/cases.txt).
 *
 * - regressions: passed (or flaky) before, failed after: the exit code is 1 when there is one;
 * - fixes: failed before, passed after;
 * - newly skipped: ran before (passed or failed), skipped after, with the reason;
 * - newly judged: skipped before, ran after (for information, with the outcome);
 * - tests gained (only after) and lost (only before);
 * - products whose version or status changed (tested, skipped, not judged).
 *
 * Reads every report of format 1.x and 2.x (docs/report-format.md).
 */
import { readFileSync } from 'node:fs';
import { gist } from './findings.ts';
import { cell } from './render.ts';

export class DiffInputError extends Error {
  override name = 'DiffInputError';
}

type Outcome = 'passed' | 'failed' | 'skipped' | 'flaky';

export interface DiffCase {
  readonly title: string;
  readonly product: string;
  readonly outcome: Outcome;
  readonly skipReason?: string;
  readonly error?: string;
  readonly accepted?: boolean;
  readonly document?: string;
}

export interface DiffTarget {
  readonly product: string;
  readonly name: string;
  readonly status: 'tested' | 'skipped' | 'not-judged';
  readonly reason?: string;
  readonly version?: string;
}

/** A report reduced to what a comparison reads, whatever its format version. */
export interface ComparableReport {
  readonly file: string;
  readonly formatVersion: string;
  readonly runId?: string;
  readonly target: string;
  readonly generatedAt?: string;
  readonly verdict?: string;
  readonly targets: readonly DiffTarget[];
  readonly cases: readonly DiffCase[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a report of format 1.x or 2.x; anything else is a DiffInputError naming the file. */
export function comparable(raw: unknown, file: string): ComparableReport {
  if (!isObject(raw) || typeof raw.formatVersion !== 'string' || !Array.isArray(raw.cases)) {
    throw new DiffInputError(`${file}: not a conformance report (reports/conformance-report.json has formatVersion and cases)`);
  }
  const major = raw.formatVersion.split('.')[0];
  if (major !== '1' && major !== '2') throw new DiffInputError(`${file}: report format ${raw.formatVersion} is newer than this suite reads (1.x, 2.x)`);
  const cases: DiffCase[] = [];
  for (const [i, c] of (raw.cases as unknown[]).entries()) {
    if (!isObject(c) || typeof c.title !== 'string' || typeof c.outcome !== 'string') throw new DiffInputError(`${file}: cases[${i}] has no title or outcome`);
    cases.push({
      title: c.title,
      product: typeof c.product === 'string' ? c.product : '',
      outcome: c.outcome as Outcome,
      ...(typeof c.skipReason === 'string' ? { skipReason: c.skipReason } : {}),
      ...(typeof c.error === 'string' ? { error: c.error } : {}),
      ...(isObject(c.accepted) ? { accepted: true } : {}),
      ...(typeof c.document === 'string' ? { document: c.document } : {}),
    });
  }
  const checked = isObject(raw.checkedAgainst) && isObject(raw.checkedAgainst.fortisoar) ? raw.checkedAgainst.fortisoar.version : undefined;
  const targets: DiffTarget[] = (Array.isArray(raw.targets) ? raw.targets : []).filter(isObject).map((t) => {
    const product = String(t.product ?? '');
    // 1.x: `skipped` (a reason) or tested; the FortiSOAR version from checkedAgainst.
    const status = (typeof t.status === 'string' ? t.status : typeof t.skipped === 'string' ? 'skipped' : 'tested') as DiffTarget['status'];
    const reason = typeof t.reason === 'string' ? t.reason : typeof t.skipped === 'string' ? t.skipped : undefined;
    const version =
      status !== 'tested'
        ? undefined
        : typeof t.version === 'string'
          ? t.version
          : product === 'fortisoar' && typeof checked === 'string'
            ? checked
            : undefined;
    return { product, name: String(t.name ?? product), status, ...(reason ? { reason } : {}), ...(version ? { version } : {}) };
  });
  const run = isObject(raw.run) ? raw.run : {};
  return {
    file,
    formatVersion: raw.formatVersion,
    ...(typeof run.id === 'string' ? { runId: run.id } : {}),
    target: typeof run.target === 'string' ? run.target : '?',
    ...(typeof run.generatedAt === 'string' ? { generatedAt: run.generatedAt } : {}),
    ...(isObject(raw.verdict) && typeof raw.verdict.result === 'string' ? { verdict: raw.verdict.result } : {}),
    targets,
    cases,
  };
}

export function readReport(file: string): ComparableReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DiffInputError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new DiffInputError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return comparable(raw, file);
}

export interface Change {
  readonly title: string;
  readonly product: string;
  readonly before?: DiffCase;
  readonly after?: DiffCase;
}

export interface ProductChange {
  readonly product: string;
  readonly name: string;
  readonly before?: DiffTarget;
  readonly after?: DiffTarget;
}

export interface ReportDiff {
  readonly before: ComparableReport;
  readonly after: ComparableReport;
  readonly regressions: readonly Change[];
  readonly fixes: readonly Change[];
  readonly newlySkipped: readonly Change[];
  readonly newlyJudged: readonly Change[];
  readonly gained: readonly Change[];
  readonly lost: readonly Change[];
  /** Products whose version or status changed. */
  readonly products: readonly ProductChange[];
  /** Tests with the same outcome in both. */
  readonly unchanged: number;
}

const ran = (o: Outcome): boolean => o !== 'skipped';
const passed = (o: Outcome): boolean => o === 'passed' || o === 'flaky';

export function diffReports(before: ComparableReport, after: ComparableReport): ReportDiff {
  const old = new Map(before.cases.map((c) => [c.title, c]));
  const now = new Map(after.cases.map((c) => [c.title, c]));
  const out = { regressions: [] as Change[], fixes: [] as Change[], newlySkipped: [] as Change[], newlyJudged: [] as Change[], gained: [] as Change[] };
  let unchanged = 0;
  for (const a of after.cases) {
    const b = old.get(a.title);
    const change = { title: a.title, product: a.product, ...(b ? { before: b } : {}), after: a };
    if (!b) out.gained.push(change);
    else if (passed(b.outcome) && a.outcome === 'failed') out.regressions.push(change);
    else if (b.outcome === 'failed' && passed(a.outcome)) out.fixes.push(change);
    else if (ran(b.outcome) && !ran(a.outcome)) out.newlySkipped.push(change);
    else if (!ran(b.outcome) && ran(a.outcome)) out.newlyJudged.push(change);
    else unchanged++;
  }
  const lost = before.cases.filter((c) => !now.has(c.title)).map((b) => ({ title: b.title, product: b.product, before: b }));
  const names = new Map([...before.targets, ...after.targets].map((t) => [t.product, t.name]));
  const products: ProductChange[] = [];
  for (const product of names.keys()) {
    const b = before.targets.find((t) => t.product === product);
    const a = after.targets.find((t) => t.product === product);
    if (b?.version !== a?.version || b?.status !== a?.status)
      products.push({ product, name: names.get(product)!, ...(b ? { before: b } : {}), ...(a ? { after: a } : {}) });
  }
  return { before, after, ...out, lost, products, unchanged };
}

/** 1 when a test that passed now fails, else 0. */
export const diffExitCode = (d: ReportDiff): 0 | 1 => (d.regressions.length > 0 ? 1 : 0);

const first = (c: DiffCase | undefined): string => (c?.error ? gist(c.error, 240).join(' — ') : '');
const label = (r: ComparableReport): string => `${r.file}${r.runId ? ` (${r.runId})` : ''}`;
const targetText = (t: DiffTarget | undefined): string =>
  !t
    ? 'absent'
    : t.status === 'tested'
      ? t.version
        ? `${t.version}`
        : 'tested'
      : t.status === 'not-judged'
        ? `NOT JUDGED: ${t.reason ?? ''}`
        : `not run: ${t.reason ?? ''}`;

function counts(d: ReportDiff): string {
  const part = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  return [
    part(d.regressions.length, 'regression'),
    part(d.fixes.length, 'fix', 'fixes'),
    `${d.newlySkipped.length} newly skipped`,
    `${d.newlyJudged.length} newly judged`,
    `${part(d.gained.length, 'test')} gained`,
    `${d.lost.length} lost`,
    `${d.unchanged} unchanged`,
  ].join(' · ');
}

/** For the terminal. */
export function renderDiffText(d: ReportDiff): string {
  const out = [`Conformance diff: ${label(d.before)} → ${label(d.after)}`, counts(d)];
  for (const p of d.products) out.push(`  ${p.name}: ${targetText(p.before)} → ${targetText(p.after)}`);
  const list = (title: string, changes: readonly Change[], line: (c: Change) => string[]) => {
    if (!changes.length) return;
    out.push('', `${title} (${changes.length}):`);
    for (const c of changes) out.push(...line(c));
  };
  list('Regressions: passed before, fail now', d.regressions, (c) => [
    `  ✗ ${c.title}${c.after?.accepted ? ' (accepted by the baseline)' : ''}`,
    `      ${first(c.after)}`,
  ]);
  list('Fixes: failed before, pass now', d.fixes, (c) => [`  ✓ ${c.title}`]);
  list('Newly skipped', d.newlySkipped, (c) => [`  ~ ${c.title} (was ${c.before?.outcome}): ${c.after?.skipReason ?? ''}`]);
  list('Newly judged: skipped before', d.newlyJudged, (c) => [`  + ${c.title}: ${c.after?.outcome}`]);
  list('Tests gained', d.gained, (c) => [`  + ${c.title}: ${c.after?.outcome}`]);
  list('Tests lost', d.lost, (c) => [`  - ${c.title} (was ${c.before?.outcome})`]);
  out.push('', d.regressions.length ? `REGRESSIONS: ${d.regressions.length} (exit 1)` : 'No regression (exit 0)');
  return `${out.join('\n')}\n`;
}

const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

/** For a pull-request comment. */
export function renderDiffMarkdown(d: ReportDiff): string {
  const out = [
    `## Conformance diff${d.regressions.length ? ': ❌ regressions' : ': ✅ no regression'}`,
    '',
    `${label(d.before)} → ${label(d.after)}`,
    '',
    `**${counts(d)}**`,
    '',
    '| | before | after |',
    '| --- | --- | --- |',
    `| Verdict | ${d.before.verdict ?? '?'} | ${d.after.verdict ?? '?'} |`,
    `| Target | ${d.before.target} | ${d.after.target} |`,
  ];
  const names = new Map([...d.before.targets, ...d.after.targets].map((t) => [t.product, t.name]));
  for (const [product, name] of names) {
    const b = d.before.targets.find((t) => t.product === product);
    const a = d.after.targets.find((t) => t.product === product);
    const changed = d.products.some((p) => p.product === product);
    out.push(`| ${cell(name)} | ${cell(targetText(b))} | ${changed ? '**' : ''}${cell(targetText(a))}${changed ? '**' : ''} |`);
  }
  out.push('');
  if (d.regressions.length) {
    out.push('### ❌ Regressions: passed before, fail now', '', '| Test | Failure |', '| --- | --- |');
    for (const c of d.regressions) out.push(`| ${cell(c.title)}${c.after?.accepted ? ' (accepted by the baseline)' : ''} | ${code(cell(first(c.after)))} |`);
    out.push('');
  }
  if (d.fixes.length) out.push('### ✅ Fixes: failed before, pass now', '', ...d.fixes.map((c) => `- ${cell(c.title)}`), '');
  if (d.newlySkipped.length) {
    out.push('### ⏭ Newly skipped', '', '| Test | Before | Reason |', '| --- | --- | --- |');
    for (const c of d.newlySkipped) out.push(`| ${cell(c.title)} | ${c.before?.outcome} | ${cell(c.after?.skipReason)} |`);
    out.push('');
  }
  const details = (title: string, changes: readonly Change[], line: (c: Change) => string) => {
    if (!changes.length) return;
    out.push(`<details><summary>${title} (${changes.length})</summary>`, '', ...changes.map(line), '', '</details>', '');
  };
  details('Newly judged: skipped before', d.newlyJudged, (c) => `- ${cell(c.title)}: ${c.after?.outcome}`);
  details('Tests gained', d.gained, (c) => `- ${cell(c.title)}: ${c.after?.outcome}`);
  details('Tests lost', d.lost, (c) => `- ${cell(c.title)} (was ${c.before?.outcome})`);
  return out.join('\n');
}
