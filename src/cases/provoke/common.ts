/**
 * Scenarios every product shares: the plain case that sends the documented example, and the
 * refusal of a request without valid credentials.
 */
import { randomUUID } from 'node:crypto';
import type { Operation } from '../../spec/model.ts';
import type { CaseContext, Scenario } from '../context.ts';

/** Path params filled from their examples; ids of records replaced by ones that cannot exist. */
export function examplePath(op: Operation, overrides: Readonly<Record<string, string>> = {}): string {
  return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (overrides[name] !== undefined) return encodeURIComponent(overrides[name]!);
    const p = op.parameters.find((x) => x.in === 'path' && x.name === name);
    if (/uuid|id$/i.test(name)) return randomUUID();
    return encodeURIComponent(String(p?.example ?? name));
  });
}

/**
 * A harmless body of the documented type: a destructive operation's documented example (the spec
 * keeps it least harmful: a 1970 date, no users), else one carrying the run marker should a
 * broken server store it.
 */
function markerBody(ctx: CaseContext, op: Operation): unknown {
  if (!op.requestBody) return undefined;
  if (op.safety === 'destructive' && op.requestBody.example !== undefined) return op.requestBody.example;
  const type = (op.requestBody.schema as { type?: string } | undefined)?.type;
  return type === 'array' ? [] : { name: ctx.unique('refused request') };
}

export const common: Readonly<Record<string, Scenario>> = {
  /** The documented example request answers the documented status with a body of the documented schema. */
  example: async (ctx) => {
    const op = ctx.op();
    const query: Record<string, string> = {};
    for (const p of op.parameters) if (p.in === 'query' && p.example !== undefined) query[p.name] = String(p.example);
    const res = await ctx.api.request(op.method, examplePath(op), { query, body: op.requestBody?.example });
    ctx.expect(res);
  },

  /**
   * Requests without a valid token are refused (401 or 403): once with no credentials at all, once
   * with a token the server never issued. Path ids are fresh UUIDs and bodies carry the run marker,
   * so a server that wrongly accepts the request changes nothing that existed before the run.
   */
  'common.no-token': async (ctx) => {
    const op = ctx.op();
    const path = examplePath(op);
    const body = markerBody(ctx, op);
    // Required query parameters as documented (uptoDate=0: a purge of nothing, should it be served).
    const query: Record<string, string> = {};
    for (const p of op.parameters) if (p.in === 'query' && p.example !== undefined) query[p.name] = String(p.example);
    await ctx.step('without credentials', async () => ctx.expect(await ctx.api.request(op.method, path, { auth: false, body, query })));
    await ctx.step('with a token the server never issued', async () =>
      ctx.expect(await ctx.api.request(op.method, path, { auth: 'Bearer conformance.invalid.token', body, query })),
    );
  },
};
