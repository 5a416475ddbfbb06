/**
 * Operation → test cases. A pure function of the spec: the same cases, titles and tags in every
 * worker and every run (no faker, no clock), so `--list` is the coverage table and a spec edit
 * shows as a diff of tests gained or lost (tests/self/cases.test.ts keeps that list).
 */
import type { ProductId } from '../config/index.ts';
import type { CaseSpec, DocRef, Operation, ProductSpec, Safety } from '../spec/model.ts';

export interface Case {
  /** `<METHOD> <path template> → <status> <behaviour>`: the test title. */
  readonly title: string;
  readonly product: ProductId;
  readonly op: Operation;
  readonly status: string;
  readonly behaviour: string;
  /** Scenario id (`src/cases/provoke/`), `paging:<mode>` for a walk, or `example` for the plain case. */
  readonly scenario: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly doc: DocRef;
  readonly safety: Safety;
  readonly since?: string;
  readonly until?: string;
  readonly tags: readonly string[];
}

/** The closed list of tags a case may carry. */
export const TAGS = ['@fortisoar', '@forticasb', '@fmbs', '@paging', '@destructive', '@auth', '@bulk', '@async'] as const;

export function titleOf(op: Operation, status: string, behaviour: string): string {
  return `${op.method} ${op.path} → ${status} ${behaviour}`;
}

function caseOf(op: Operation, status: string, c: CaseSpec): Case {
  const scenario = c.paging ? `paging:${c.paging}` : (c.scenario ?? 'example');
  const safety = c.safety ?? op.safety;
  const tags = new Set<string>([`@${op.product}`]);
  if (c.paging) tags.add('@paging');
  if (safety === 'destructive') tags.add('@destructive');
  if (status === '401' || status === '403' || op.path.includes('auth')) tags.add('@auth');
  if (/^\/api\/3\/(insert|update|delete|upsert|bulkupsert)\//.test(op.path)) tags.add('@bulk');
  // Jobs that run asynchronously (202, log collection, import, export): polled with a deadline.
  if (status === '202' || /log-collect|\/import|\/export/.test(op.path)) tags.add('@async');
  return {
    title: titleOf(op, status, c.behaviour),
    product: op.product,
    op,
    status,
    behaviour: c.behaviour,
    scenario,
    params: c.params ?? {},
    doc: op.doc,
    safety,
    since: c.since ?? op.since,
    until: c.until,
    tags: [...tags].filter((t) => (TAGS as readonly string[]).includes(t)),
  };
}

export function deriveCases(spec: ProductSpec): Case[] {
  const cases: Case[] = [];
  for (const op of spec.operations) {
    for (const [status, response] of Object.entries(op.responses)) {
      for (const c of response.cases) cases.push(caseOf(op, status, c));
    }
  }
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.title)) throw new Error(`[cases] two cases share the title "${c.title}"`);
    seen.add(c.title);
  }
  return cases;
}
