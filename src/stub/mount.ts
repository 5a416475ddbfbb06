/**
 * Stub mode: the stubs answer in-process through nock, at the `.invalid` base URLs of
 * `credentials.ts`. Every other network connection is refused, so a test that strays off the
 * stub fails loudly instead of reaching the network.
 */
import nock from 'nock';
import type { Stub } from './core/stub.ts';
import type { StubRequest, StubResponse } from './core/types.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** Serialises a stub response for the wire: JSON values as application/json, Buffers as they are. */
export function wire(res: StubResponse): { status: number; headers: Record<string, string>; body: Buffer } {
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
  const url = new URL(rawUrl, 'http://stub.invalid');
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) lower[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return { method: method.toUpperCase(), path: url.pathname, query: url.searchParams, headers: lower, rawBody, ...(bytes ? { bytes } : {}) };
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
          const raw = body === undefined || body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body);
          const req = toStubRequest(method, uri, this.req.headers as Record<string, string>, raw);
          stub.handle(req).then(
            (res) => {
              const w = wire(res);
              callback(null, [w.status, w.body, w.headers]);
            },
            (e: unknown) => callback(e as Error, [500, '']),
          );
        });
    }
  }
  return () => {
    nock.cleanAll();
  };
}
