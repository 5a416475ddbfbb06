/**
 * Stub mode: the stubs answer in-process through nock, at the `.invalid` base URLs of
 * `credentials.ts`. Every other network connection is refused, so a test that strays off the
 * stub fails loudly instead of reaching the network.
 *
 * nock 13, not 14: the client sends through Node's `http.request` (src/client/transport.ts), which
 * nock 13 replaces directly. nock 14 routes each request through @mswjs/interceptors, a mock
 * socket and a fetch `Request` and `Response` and back: 0.87 ms a request against 0.11 ms, most of
 * a stub run's waiting (decision 0014). nock 15 needs Node 22.
 */
import { createRequire } from 'node:module';
import nock from 'nock';
import type { Stub } from './core/stub.ts';
import { answer, toStubRequest } from './core/wire.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/**
 * nock plays every reply back after two `setTimeout(…, 0)` (one before the response, one before its
 * body; `nock/lib/playback_interceptor.js`), and Node makes each wait at least 1 ms: without this,
 * two thirds of a stub-mode request's time was spent waiting on nothing (issue 14, `npm run bench
 * -- --only costs`). Zero-delay timers of nock's playback run as immediates instead: still after
 * the current I/O, in the same order, cleared by `nock.cleanAll()` like nock's own immediates.
 * Delays set on purpose are untouched. Returns whether nock still has the timer this relies on (a
 * self-test holds it to true).
 */
export function playBackWithoutTimerFloor(): boolean {
  const common = createRequire(import.meta.url)('nock/lib/common.js') as {
    setTimeout?: (fn: () => void, ms?: number) => unknown;
    setImmediate?: (fn: () => void) => unknown;
    zeroDelayAsImmediate?: true;
  };
  const { setTimeout: timeout, setImmediate: immediate } = common;
  if (typeof timeout !== 'function' || typeof immediate !== 'function') return false;
  if (common.zeroDelayAsImmediate) return true;
  common.setTimeout = (fn, ms) => (ms ? timeout(fn, ms) : immediate(fn));
  common.zeroDelayAsImmediate = true;
  return true;
}

/** Mounts each stub at its base URL; returns the function that unmounts them all. */
export function mountStubs(stubs: ReadonlyArray<{ url: string; stub: Stub<unknown> }>): () => void {
  nock.disableNetConnect();
  playBackWithoutTimerFloor();
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
