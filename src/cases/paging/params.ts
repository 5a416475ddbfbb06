/**
 * What every paging mode shares: reading a mode's params from the spec (a scenario of the same
 * operation walks with the same names), and the sources its rules cite. A mode's rules are about
 * paging in general ("no page holds more than the limit"); the document sentence each enforces
 * for a product is written in the spec, beside the case (`params.sources`), and checked to be in
 * that document by tests/self/sources.test.ts.
 */
import type { Source } from '../../checks/response.ts';
import type { Operation } from '../../spec/model.ts';
import type { CaseContext } from '../context.ts';

/** A quote of the operation's own document, or `{ document, quote }` for another (the field notes). */
export type SourceParam = string | { readonly document: string; readonly quote: string };

export const sourceParamSchema = {
  oneOf: [
    { type: 'string', minLength: 8 },
    {
      type: 'object',
      required: ['document', 'quote'],
      additionalProperties: false,
      properties: { document: { type: 'string' }, quote: { type: 'string', minLength: 8 } },
    },
  ],
} as const;

/** The params schema of a `sources` object with these keys, each required. */
export const sourcesSchema = (keys: readonly string[]): object => ({
  type: 'object',
  required: [...keys],
  additionalProperties: false,
  properties: Object.fromEntries(keys.map((k) => [k, sourceParamSchema])),
});

export const sourceOf = (op: Operation, s: SourceParam): Source => (typeof s === 'string' ? { document: op.doc.document, quote: s } : s);

/**
 * A mode bound to the operation it walks: that operation, `rule` reporting on it (a scenario may
 * walk another operation than its case's), and the case's `sources` resolved against its document.
 */
export function boundTo<K extends string>(ctx: CaseContext, operationId: string, sources: Readonly<Record<K, SourceParam>>) {
  const op = ctx.op(operationId);
  const rule: CaseContext['rule'] = (holds, says, source, evidence) => ctx.rule(holds, says, source, evidence, operationId);
  const src = Object.fromEntries(Object.entries<SourceParam>(sources).map(([k, s]) => [k, sourceOf(op, s)])) as Record<K, Source>;
  return { op, rule, src };
}

/** The params of the operation's case walked in `mode` (a scenario of the same operation reuses them). */
export function pagingParams<P>(op: Operation, mode: string): P {
  for (const r of Object.values(op.responses)) {
    for (const c of r.cases) if (c.kind === 'paging' && c.mode === mode) return c.params as P;
  }
  throw new Error(`[cases] ${op.operationId} has no case walked in the ${mode} paging mode (specs: x-cases paging: ${mode})`);
}
