/**
 * A stub request from what an adapter received, and a stub response for the wire: shared by the
 * nock mount (`../mount.ts`) and the HTTP server (`../serve.ts`), without loading either (nock
 * patches `http.request` for the whole process as soon as it is loaded).
 */
import { BadRequest, error } from './http.ts';
import type { Stub } from './stub.ts';
import type { StubRequest, StubResponse } from './types.ts';

export interface Wire {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** Serialises a stub response for the wire: JSON values as application/json, Buffers as they are. */
export function wire(res: StubResponse): Wire {
  const headers: Record<string, string> = { ...res.headers };
  if (res.body === undefined) return { status: res.status, headers, body: Buffer.alloc(0) };
  if (Buffer.isBuffer(res.body)) return { status: res.status, headers: { 'content-type': 'application/octet-stream', ...headers }, body: res.body };
  return { status: res.status, headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(JSON.stringify(res.body)) };
}

export function toStubRequest(
  method: string,
  rawUrl: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  bytes?: Buffer,
): StubRequest {
  let url: URL;
  try {
    url = new URL(rawUrl, 'http://stub.invalid');
  } catch {
    // A request line such as `GET http://[ HTTP/1.1` (issue 15: it ended the stub).
    throw new BadRequest(`the request target ${JSON.stringify(rawUrl.slice(0, 200))} is not a valid URL`);
  }
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) lower[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return { method: method.toUpperCase(), path: url.pathname, query: url.searchParams, headers: lower, rawBody, ...(bytes ? { bytes } : {}) };
}

/**
 * The stub's answer to a request, on the wire. A request that cannot be parsed is the client's
 * mistake (400); only a fault of the stub itself answers 500, and nothing a request does throws
 * out of here (an adapter's listener must never end the process).
 */
export async function answer(stub: Stub<unknown>, parse: () => StubRequest): Promise<Wire> {
  try {
    return wire(await stub.handle(parse()));
  } catch (e) {
    if (e instanceof BadRequest) return wire(error(e.status, e.message));
    try {
      return wire(error(500, `stub fault: ${(e as Error)?.message ?? String(e)}`));
    } catch {
      return { status: 500, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"message":"stub fault"}') };
    }
  }
}
