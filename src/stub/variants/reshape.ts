/**
 * How a variant changes what the handler sees or answers: shared by every product's broken and
 * latitude variants. Request rewriters return a new context (the handler re-reads the query and
 * rawBody); answer rewriters return a new response.
 */
import { isObject, json } from '../core/http.ts';
import type { HandlerContext, StubResponse } from '../core/types.ts';
import type { Wrap } from './types.ts';

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

/** Every string of the request (path parameters, query, raw body) passed through `fn`: ids translated back. */
export function mapRequestStrings<C extends HandlerContext<any>>(ctx: C, fn: (s: string) => string): C {
  const query = new URLSearchParams([...ctx.req.query].map(([k, v]) => [k, fn(v)]));
  const params = Object.fromEntries(Object.entries(ctx.params).map(([k, v]) => [k, fn(v)]));
  return { ...ctx, params, req: { ...ctx.req, path: fn(ctx.req.path), query, rawBody: fn(ctx.req.rawBody) } };
}

/**
 * A JSON value rebuilt bottom-up: `objects` sees every object (after its members), `strings` every
 * string, each with the key it stands under (an array's elements under the array's key).
 */
export function mapJson(
  v: unknown,
  f: { objects?: (o: Record<string, unknown>, key?: string) => unknown; strings?: (s: string, key?: string) => unknown },
  key?: string,
): unknown {
  if (typeof v === 'string') return f.strings ? f.strings(v, key) : v;
  if (Array.isArray(v)) return v.map((x) => mapJson(x, f, key));
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = mapJson(x, f, k);
    return f.objects ? f.objects(out, key) : out;
  }
  return v;
}

/** The JSON object of an answer, the same object (edits stay in the answer); `{}` for any other body. */
export const bodyOf = (r: StubResponse): Record<string, any> => (isObject(r.body) ? r.body : {});

/**
 * A variant that lets the handler answer and rewrites the answer only when it has `status`
 * (a broken server differs there and nowhere else).
 */
export const answered =
  <S>(status: number, edit: (r: StubResponse, ctx: HandlerContext<S>) => StubResponse): Wrap<S> =>
  async (ctx, next) => {
    const r = await next();
    return r.status === status ? edit(r, ctx) : r;
  };

/** The request with an `Authorization` header carrying `token` (a server that does not check it). */
export const withBearer = <C extends HandlerContext<any>>(ctx: C, token: string): C => ({
  ...ctx,
  req: { ...ctx.req, headers: { ...ctx.req.headers, authorization: `Bearer ${token}` } },
});

/** A JSON answer with its body rebuilt by `fn`; other answers (no body, a file) unchanged. */
export function mapAnswer(r: StubResponse, fn: (body: unknown) => unknown): StubResponse {
  if (r.body === undefined || Buffer.isBuffer(r.body)) return r;
  return { ...json(r.status, fn(r.body), r.headers as Record<string, string> | undefined) };
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
