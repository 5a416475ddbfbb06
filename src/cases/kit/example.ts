/**
 * The plain case: an operation whose response has no `x-cases` is tested by sending its
 * documented examples (path and query parameters, request body) and checking the documented
 * status, content type and schema. Headers are the product's configured ones (a tenant's
 * companyId is not the document's example). No scenario code is needed: adding an operation
 * with its examples to a spec adds its test.
 */
import { templateParams } from '../../spec/url.ts';
import { type CaseContext, scenario } from '../context.ts';

/** Why the documented example must not be sent to this target, or undefined. */
export function exampleSkipReason(ctx: Pick<CaseContext, 'live' | 'config' | 'case'>): string | undefined {
  const op = ctx.case.op;
  // The example's data carries no run marker: on a live target only an operation that changes
  // nothing may send it as written, unless the user allowed changes to data the suite did not create.
  if (ctx.live && op.safety !== 'read-only' && !ctx.config.destructive) {
    return `the documented example of ${op.operationId} would write data the suite cannot mark or remove (${op.safety}); set CONFORMANCE_DESTRUCTIVE=1 to send it`;
  }
  const missing = templateParams(op.path).filter((n) => op.parameters.find((p) => p.in === 'path' && p.name === n)?.example === undefined);
  if (missing.length) return `specs: ${op.operationId} documents no example for the path parameter(s) ${missing.join(', ')}`;
  return undefined;
}

export const example = scenario(async (ctx) => {
  const op = ctx.op();
  const reason = exampleSkipReason(ctx);
  if (reason) ctx.skip(reason);
  const path: Record<string, string> = {};
  const query: Record<string, string> = {};
  for (const p of op.parameters) {
    if (p.example === undefined) continue;
    if (p.in === 'path') path[p.name] = String(p.example);
    else if (p.in === 'query') query[p.name] = String(p.example);
  }
  const answer = await ctx.call(op.operationId, { path, query, body: op.requestBody?.example });
  // A documented example id is the document's record, not this server's: "not found" for it says
  // nothing about the operation (a conforming server holds other records), unless 404 is the case.
  const ids = Object.entries(path).map(([k, v]) => `${k}=${v}`);
  if (answer.status === 404 && ids.length > 0 && ctx.case.status !== '404') {
    ctx.skip(`the documented example (${ids.join(', ')}) names nothing on this target (404): ${op.operationId} needs an existing one to be tested`);
  }
  answer.expect();
});
