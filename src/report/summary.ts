/**
 * Test results → the conformance summary: per product, per operation (`METHOD path`), per status
 * and paging mode, how many cases passed, failed or were skipped (and why), and the document
 * section each row enforces. Environment-free: the Playwright reporter
 * (conformance-reporter.ts) turns test cases into `CaseResult`s and writes what this builds.
 *
 * The JSON shape is a public, versioned format: schemas/report/conformance-report.json,
 * documented in docs/report-format.md. A change that only adds fields bumps the minor version;
 * one that renames, removes or changes the meaning of a field bumps the major version.
 */
import { PRODUCT_NAMES, PRODUCTS, type ProductId } from '../config/index.ts';

export const FORMAT_VERSION = '2.0';
export const REPORT_SCHEMA_ID = 'https://fortinet-conformance.local/schemas/report/conformance-report.json';

/** How one test ended: the last attempt's result; `flaky` passed only on a retry. */
export type Outcome = 'passed' | 'failed' | 'skipped' | 'flaky';

export interface CaseResult {
  /** `<METHOD> <path template> → <status> <behaviour>`, the test title. */
  readonly title: string;
  readonly product: string;
  readonly method: string;
  readonly path: string;
  readonly status: string;
  readonly behaviour: string;
  /** Paging mode walked (`src/cases/paging/`), when the case is a walk. */
  readonly paging?: string;
  /** `<file> › <section>` of the vendor document the case enforces. */
  readonly document?: string;
  readonly safety?: string;
  readonly since?: string;
  readonly tags: readonly string[];
  readonly outcome: Outcome;
  readonly skipReason?: string;
  /** The failure, redacted, without colour codes; at most a few lines. */
  readonly error?: string;
  /** A failed case: a conformance `finding` (a check's stage prefix) or an `error` of the suite itself (findings.ts). */
  readonly failureKind?: 'finding' | 'error';
  /** The live preflight of a product (reachable, credentials accepted), not a conformance case. */
  readonly preflight?: boolean;
  readonly durationMs: number;
  readonly retries: number;
  /** Set by the gate: the baseline entry that accepts this failure. */
  readonly accepted?: { readonly reason: string };
}

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  flaky: number;
  /** Failures the baseline accepts (counted in `failed` too). */
  accepted: number;
  total: number;
}

/** One line of the summary: one status (and paging mode) of one operation. */
export interface SummaryRow {
  readonly product: string;
  readonly operation: string;
  readonly status: string;
  readonly paging?: string;
  readonly documents: readonly string[];
  readonly counts: Counts;
  /** Distinct reasons the skipped cases of this row were skipped. */
  readonly skipReasons: readonly string[];
  readonly cases: readonly string[];
}

export interface OperationSummary {
  readonly product: string;
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly counts: Counts;
  readonly rows: readonly SummaryRow[];
}

export interface ProductSummary {
  readonly id: string;
  readonly name: string;
  readonly counts: Counts;
  readonly operations: readonly OperationSummary[];
}

export interface Summary {
  readonly counts: Counts;
  readonly products: readonly ProductSummary[];
}

const TITLE = /^([A-Z]+) (\S+) → (\S+) (.*)$/s;

/** Splits a conformance title; a title of another shape is kept whole as its behaviour. */
export function parseTitle(title: string): { method: string; path: string; status: string; behaviour: string } {
  const m = TITLE.exec(title);
  if (!m) return { method: '', path: '', status: '', behaviour: title };
  return { method: m[1], path: m[2], status: m[3], behaviour: m[4] };
}

/** The product a test's tags name (`@fortisoar`), if any. */
export const productOfTags = (tags: readonly string[]): ProductId | undefined =>
  tags.map((tag) => tag.slice(1)).find((tag): tag is ProductId => (PRODUCTS as readonly string[]).includes(tag));

interface Annotation {
  readonly type: string;
  readonly description?: string;
}

/** A test's annotations: its own, then those its last attempt added. */
export const annotationsOf = (t: {
  readonly annotations: readonly Annotation[];
  readonly results: readonly { readonly annotations: readonly Annotation[] }[];
}): Annotation[] => [...t.annotations, ...(t.results.at(-1)?.annotations ?? [])];

/** Why a test was skipped: the description of its last `skip` or `fixme` annotation. */
export const skipReasonOf = (annotations: readonly Annotation[]): string | undefined =>
  [...annotations].reverse().find((a) => a.type === 'skip' || a.type === 'fixme')?.description;

export const emptyCounts = (): Counts => ({ passed: 0, failed: 0, skipped: 0, flaky: 0, accepted: 0, total: 0 });

function count(into: Counts, c: CaseResult): void {
  into.total++;
  if (c.outcome === 'flaky') {
    into.flaky++;
    into.passed++;
  } else into[c.outcome]++;
  if (c.outcome === 'failed' && c.accepted) into.accepted++;
}

/** `METHOD path`; a test whose title is not a conformance title (a preflight) is its own operation. */
const operationOf = (c: CaseResult): string => (c.method ? `${c.method} ${c.path}` : c.title);
const productOrder = (id: string): number => {
  const i = (Object.keys(PRODUCT_NAMES) as string[]).indexOf(id);
  return i === -1 ? Number.MAX_SAFE_INTEGER : i;
};
const statusOrder = (s: string): number => (/^\d+$/.test(s) ? Number(s) : 1000);

/**
 * Groups results by product, operation, status and paging mode. Products keep the suite's order
 * (FortiSOAR, FortiCASB, FMBS); operations and rows keep the order the cases were declared in,
 * which is the spec's order, except that rows of one operation are sorted by status.
 */
export function summarize(cases: readonly CaseResult[]): Summary {
  const counts = emptyCounts();
  const products = new Map<
    string,
    { counts: Counts; operations: Map<string, { method: string; path: string; counts: Counts; rows: Map<string, RowBuilder> }> }
  >();
  for (const c of cases) {
    count(counts, c);
    let p = products.get(c.product);
    if (!p) products.set(c.product, (p = { counts: emptyCounts(), operations: new Map() }));
    count(p.counts, c);
    const opKey = operationOf(c);
    let op = p.operations.get(opKey);
    if (!op) p.operations.set(opKey, (op = { method: c.method, path: c.path, counts: emptyCounts(), rows: new Map() }));
    count(op.counts, c);
    const rowKey = `${c.status}\u0000${c.paging ?? ''}`;
    let row = op.rows.get(rowKey);
    if (!row)
      op.rows.set(rowKey, (row = { status: c.status, paging: c.paging, documents: new Set(), counts: emptyCounts(), skipReasons: new Set(), cases: [] }));
    count(row.counts, c);
    if (c.document) row.documents.add(c.document);
    if (c.outcome === 'skipped' && c.skipReason) row.skipReasons.add(c.skipReason);
    row.cases.push(c.title);
  }
  return {
    counts,
    products: [...products]
      .sort(([a], [b]) => productOrder(a) - productOrder(b))
      .map(([id, p]) => ({
        id,
        name: PRODUCT_NAMES[id as ProductId] ?? id,
        counts: p.counts,
        operations: [...p.operations].map(([operation, op]) => ({
          product: id,
          operation,
          method: op.method,
          path: op.path,
          counts: op.counts,
          rows: [...op.rows.values()]
            .sort((a, b) => statusOrder(a.status) - statusOrder(b.status))
            .map((r) => ({
              product: id,
              operation,
              status: r.status,
              ...(r.paging ? { paging: r.paging } : {}),
              documents: [...r.documents],
              counts: r.counts,
              skipReasons: [...r.skipReasons],
              cases: r.cases,
            })),
        })),
      })),
  };
}

interface RowBuilder {
  status: string;
  paging?: string;
  documents: Set<string>;
  counts: Counts;
  skipReasons: Set<string>;
  cases: string[];
}

/** `3 passed · 1 failed (1 accepted) · 2 skipped`, leaving out what is zero. */
export function describeCounts(c: Counts): string {
  const parts: string[] = [];
  if (c.passed) parts.push(`${c.passed} passed${c.flaky ? ` (${c.flaky} flaky)` : ''}`);
  if (c.failed) parts.push(`${c.failed} failed${c.accepted ? ` (${c.accepted} accepted)` : ''}`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  return parts.length ? parts.join(' · ') : 'no tests';
}

/** The row's verdict mark: a failure not accepted by the baseline wins, then accepted, skipped, passed. */
export function markOf(c: Counts): 'FAIL' | 'ACCEPTED' | 'SKIP' | 'PASS' | 'PARTIAL-SKIP' {
  if (c.failed > c.accepted) return 'FAIL';
  if (c.failed) return 'ACCEPTED';
  if (c.skipped === c.total) return 'SKIP';
  if (c.skipped) return 'PARTIAL-SKIP';
  return 'PASS';
}
