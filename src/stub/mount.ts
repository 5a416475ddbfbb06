/**
 * Stub mode: the stubs answer in-process through nock, at the `.invalid` base URLs of
 * `credentials.ts`. Every other network connection is refused, so a test that strays off the
 * stub fails loudly instead of reaching the network.
 */
import nock from 'nock';
import type { Stub } from './core/stub.ts';
import { answer, toStubRequest } from './core/wire.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

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
