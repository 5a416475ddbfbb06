/**
 * Stub mode: the stubs answer in-process through nock, at the `.invalid` base URLs of
 * `credentials.ts`. Every other network connection is refused, so a test that strays off the
 * stub fails loudly instead of reaching the network.
 */
import nock from 'nock';
import { BadRequest, error } from './core/http.ts';
import type { Stub } from './core/stub.ts';
import type { StubRequest, StubResponse } from './core/types.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

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

/** Mounts each stub at its base URL; returns the function that unmounts them all. */
export function mountStubs(stubs: ReadonlyArray<{ url: string; stub: Stub<unknown> }>): () => void {
  nock.disableNetConnect();
  for (const { url, stub } of stubs) {
    const scope = nock(url).persist();
    for (const method of METHODS) {
      scope
        .intercept(() => true, method)
        .reply(function (uri, body, callback) {
          const headers = this.req.headers as Record<string, string>;
          void answer(stub, () => {
            const raw = body === undefined || body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body);
            return toStubRequest(method, uri, headers, raw);
          }).then((w) => callback(null, [w.status, w.body, w.headers]));
        });
    }
  }
  return () => {
    nock.cleanAll();
  };
}
