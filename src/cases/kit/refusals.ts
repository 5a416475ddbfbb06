/**
 * Refusals every product shares: a request without valid credentials, and the tolerant check of
 * a refusal whose body no document describes.
 */
import { randomUUID } from 'node:crypto';
import type { Operation } from '../../spec/model.ts';
import { templateParams } from '../../spec/url.ts';
import { type Answer, type CaseContext, scenario } from '../context.ts';

/**
 * A refusal: the documented status (or one of its `x-accept-status`). Where no document describes
 * an error body, a body that is empty or not JSON is judged by its status alone; a JSON body is
 * checked against the response's schema as any other.
 */
export function expectRefusal(ctx: CaseContext, answer: Answer, status: string = ctx.case.status): void {
  if (answer.res.body.length === 0 || !/json/i.test(answer.res.contentType)) {
    if (!answer.accepted(status)) answer.expect(status); // the [status] finding, with the request and body
    return;
  }
  answer.expect(status);
}

/** Path parameters from their examples; ids replaced by fresh UUIDs, so that nothing that exists is addressed. */
export function harmlessPath(op: Operation): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of templateParams(op.path)) {
    const p = op.parameters.find((x) => x.in === 'path' && x.name === name);
    out[name] = /uuid|id$/i.test(name) ? randomUUID() : String(p?.example ?? name);
  }
  return out;
}

/** Documented query examples (a required `uptoDate=0` purges nothing, should it be served). */
export function exampleQuery(op: Operation): Record<string, string> {
  const query: Record<string, string> = {};
  for (const p of op.parameters) if (p.in === 'query' && p.example !== undefined) query[p.name] = String(p.example);
  return query;
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

/**
 * Requests without a valid token are refused (401 or 403): once with no credentials at all, once
 * with a token the server never issued. Path ids are fresh UUIDs and bodies carry the run marker,
 * so a server that wrongly accepts the request changes nothing that existed before the run.
 */
export const noToken = scenario(async (ctx) => {
  const op = ctx.op();
  const request = { path: harmlessPath(op), body: markerBody(ctx, op), query: exampleQuery(op) };
  await ctx.step('without credentials', async () => (await ctx.call(op.operationId, { ...request, auth: false })).expect());
  await ctx.step('with a token the server never issued', async () =>
    (await ctx.call(op.operationId, { ...request, auth: 'Bearer conformance.invalid.token' })).expect(),
  );
});
