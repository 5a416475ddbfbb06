/**
 * How a broken variant changes the request before the correct handler sees it (the handler
 * re-reads the query and rawBody): shared by every product's mutants.
 */
import { isObject } from '../core/http.ts';
import type { HandlerContext } from '../core/types.ts';

/** The request with its query edited in place (the server "ignores" or misreads a parameter). */
export function withQuery<C extends HandlerContext<any>>(ctx: C, edit: (q: URLSearchParams) => unknown): C {
  const query = new URLSearchParams(ctx.req.query);
  edit(query);
  return { ...ctx, req: { ...ctx.req, query } };
}

/** The request with its JSON object body replaced by `fn(body)`; any other body is left alone. */
export function replaceJsonBody<C extends HandlerContext<any>>(ctx: C, fn: (body: Record<string, any>) => unknown): C {
  let body: unknown;
  try {
    body = JSON.parse(ctx.req.rawBody);
  } catch {
    return ctx;
  }
  return isObject(body) ? { ...ctx, req: { ...ctx.req, rawBody: JSON.stringify(fn(body)) } } : ctx;
}

/** The request with its JSON object body edited in place. */
export const editJsonBody = <C extends HandlerContext<any>>(ctx: C, edit: (body: Record<string, any>) => unknown): C =>
  replaceJsonBody(ctx, (b) => {
    edit(b);
    return b;
  });
