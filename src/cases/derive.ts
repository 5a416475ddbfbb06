/**
 * Operation → test cases. A pure function of the spec: the same cases, ids, titles and tags in
 * every worker and every run (no faker, no clock), so `--list` is the coverage table and a spec
 * edit shows as a diff of tests gained or lost (tests/self/cases.test.ts keeps that list).
 */
import type { ProductId } from '../config/index.ts';
import { loadSpec, SpecError } from '../spec/load.ts';
import type { CaseSpec, DocRef, Operation, ProductSpec, Safety, SpecLocation } from '../spec/model.ts';

/** How a case runs: the plain example case, a scenario by id, or a walk in a paging mode. */
export type CaseKind =
  | { readonly kind: 'example' }
  | { readonly kind: 'scenario'; readonly scenario: string }
  | { readonly kind: 'paging'; readonly mode: string };

export type Case = CaseKind & {
  /** `<operationId>.<status>` or `<operationId>.<status>.<x-cases id>`: what broken variants name. */
  readonly id: string;
  /** `<METHOD> <path template> → <status> <behaviour>`: the test title. */
  readonly title: string;
  readonly product: ProductId;
  readonly op: Operation;
  readonly status: string;
  readonly behaviour: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly doc: DocRef;
  readonly safety: Safety;
  readonly since?: string;
  readonly until?: string;
  readonly tags: readonly string[];
  /** Where the case is written in its spec (the test's location in every report). */
  readonly where: SpecLocation;
};

/** The closed list of tags a case may carry; an operation's OpenAPI `tags` name them without the `@`. */
export const TAGS = ['@fortisoar', '@forticasb', '@fmbs', '@paging', '@destructive', '@auth', '@bulk', '@async'] as const;

export function titleOf(op: Operation, status: string, behaviour: string): string {
  return `${op.method} ${op.path} → ${status} ${behaviour}`;
}

/** What a case runs, in one word: `example`, the scenario id, or `paging:<mode>` (the listing and the reports). */
export function runLabel(c: CaseKind): string {
  return c.kind === 'example' ? 'example' : c.kind === 'scenario' ? c.scenario : `paging:${c.mode}`;
}

function kindOf(c: CaseSpec): CaseKind {
  if (c.kind === 'scenario') return { kind: 'scenario', scenario: c.scenario };
  if (c.kind === 'paging') return { kind: 'paging', mode: c.mode };
  return { kind: 'example' };
}

function tagsOf(op: Operation, status: string, c: CaseSpec, safety: Safety): string[] {
  const tags = new Set<string>([`@${op.product}`]);
  for (const t of op.tags) {
    const tag = `@${t}`;
    if (!(TAGS as readonly string[]).includes(tag)) throw new SpecError(`${op.where.file}:${op.where.line}`, `tag "${t}" is not one of ${TAGS.join(', ')}`);
    tags.add(tag);
  }
  if (c.kind === 'paging') tags.add('@paging');
  if (safety === 'destructive') tags.add('@destructive');
  if (status === '401' || status === '403') tags.add('@auth');
  if (status === '202') tags.add('@async');
  return TAGS.filter((t) => tags.has(t));
}

function caseOf(op: Operation, status: string, c: CaseSpec): Case {
  const safety = c.safety ?? op.safety;
  return {
    ...kindOf(c),
    id: c.id ? `${op.operationId}.${status}.${c.id}` : `${op.operationId}.${status}`,
    title: titleOf(op, status, c.behaviour),
    product: op.product,
    op,
    status,
    behaviour: c.behaviour,
    params: c.params,
    doc: op.doc,
    safety,
    since: c.since ?? op.since,
    until: c.until,
    tags: tagsOf(op, status, c, safety),
    where: c.where,
  };
}

export function deriveCases(spec: ProductSpec): Case[] {
  const cases: Case[] = [];
  for (const op of spec.operations) {
    for (const [status, response] of Object.entries(op.responses)) {
      for (const c of response.cases) cases.push(caseOf(op, status, c));
    }
  }
  const titles = new Set<string>();
  const ids = new Set<string>();
  for (const c of cases) {
    if (titles.has(c.title)) throw new SpecError(`${c.where.file}:${c.where.line}`, `two cases share the title "${c.title}"`);
    if (ids.has(c.id)) throw new SpecError(`${c.where.file}:${c.where.line}`, `two cases share the id "${c.id}"`);
    titles.add(c.title);
    ids.add(c.id);
  }
  return cases;
}

/** The cases a product's suite declares: those of its spec's operations, the auxiliary ones (no cases of their own) left out. */
export function suiteCases(product: ProductId): Case[] {
  return deriveCases(loadSpec(product)).filter((c) => c.op.auxiliary === undefined);
}
