/**
 * Where a stub-mode request's time goes (issue 14): the same request measured stage by stage in
 * one process, `n` times each after a warm-up, so each figure is a cost per request:
 * - the stub's handler alone (`stub.handle`, no HTTP);
 * - the whole request through the suite's client and nock (transport, interception, handler);
 *   the difference to the handler is the client's and nock's share;
 * - the same request to `npm run stub`'s HTTP server on loopback (no nock);
 * - the checks of the answer (status, content type, JSON, schema validation);
 * - the redaction of the body, and the attachment of the exchange (redacted and serialised as
 *   `exchanges.json` holds it).
 * A record GET and a collection page of 30 records are measured: the one small, the other large.
 */
import { performance } from 'node:perf_hooks';
import nock from 'nock';
import { checkResponse } from '../src/checks/response.ts';
import { callOperation } from '../src/client/operation.ts';
import { createClient } from '../src/client/products.ts';
import { loadConfig } from '../src/config/index.ts';
import { redactExchange } from '../src/report/attachments.ts';
import { Redactor } from '../src/report/redact.ts';
import { operation } from '../src/spec/load.ts';
import { STUB_URLS, stubLiveEnv } from '../src/stub/credentials.ts';
import { createStub } from '../src/stub/index.ts';
import { mountStubs } from '../src/stub/mount.ts';
import { startStubServers } from '../src/stub/serve.ts';
import { type Summary, summary } from './stats.ts';

export interface RequestCost {
  readonly request: string;
  readonly bytes: number;
  /** Milliseconds per request, by stage. */
  readonly handlerMs: number;
  readonly throughNockMs: number;
  readonly overHttpMs: number;
  readonly checksMs: number;
  readonly redactionMs: number;
  readonly attachmentMs: number;
}

export interface RequestCostFigures {
  readonly n: number;
  readonly costs: readonly RequestCost[];
  /** Per request through nock, summed over the measured requests' stages (median of the runs). */
  readonly perRequestMs: Summary;
}

async function timed(n: number, f: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(50, n); i++) await f();
  const started = performance.now();
  for (let i = 0; i < n; i++) await f();
  return (performance.now() - started) / n;
}

export async function requestCosts(opts: { n: number; runs: number; log: (line: string) => void }): Promise<RequestCostFigures> {
  const config = loadConfig({ CONFORMANCE_TARGET: 'stub' });
  const redactor = new Redactor(config.secrets);
  const stub = createStub('fortisoar');
  const unmount = mountStubs([{ url: STUB_URLS.fortisoar, stub }]);
  // The mount refuses every other connection; the loopback HTTP figure needs one.
  nock.enableNetConnect('127.0.0.1');
  const client = createClient('fortisoar', config, redactor);
  const served = await startStubServers({ port: 0, products: ['fortisoar'] });
  // No pacing: the figure is the transport's, not CONFORMANCE_MAX_RPS's.
  const live = createClient(
    'fortisoar',
    loadConfig({
      ...stubLiveEnv({ fortisoar: served.urls.fortisoar }),
      CONFORMANCE_MAX_RPS: '100000',
      CONFORMANCE_MAX_CONCURRENCY: '64',
    }),
    redactor,
  );
  try {
    const list = operation('fortisoar', 'listRecords');
    const get = operation('fortisoar', 'getRecord');
    const page = await callOperation(client, list, { path: { collection: 'alerts' }, query: { $limit: 30 } });
    const first = (JSON.parse(page.text) as { 'hydra:member': { '@id': string }[] })['hydra:member'][0]!['@id'];
    const liveFirst = (
      JSON.parse((await callOperation(live, list, { path: { collection: 'alerts' }, query: { $limit: 1 } })).text) as { 'hydra:member': { '@id': string }[] }
    )['hydra:member'][0]!['@id'];
    const token = client.log.find((e) => e.requestHeaders.authorization)?.requestHeaders.authorization ?? '';
    const cases = [
      { name: 'GET one record', op: get, request: { link: first }, liveRequest: { link: liveFirst }, path: first, query: '' },
      {
        name: 'GET a page of 30 records',
        op: list,
        request: { path: { collection: 'alerts' }, query: { $limit: 30 } },
        liveRequest: { path: { collection: 'alerts' }, query: { $limit: 30 } },
        path: '/api/3/alerts',
        query: '$limit=30',
      },
    ];
    const runs: RequestCost[][] = [];
    for (let r = 0; r < opts.runs; r++) {
      const costs: RequestCost[] = [];
      for (const c of cases) {
        const req = { method: c.op.method, path: c.path, query: new URLSearchParams(c.query), headers: { authorization: token }, rawBody: '' };
        const answer = await callOperation(client, c.op, c.request);
        client.log = [];
        const handlerMs = await timed(opts.n, () => stub.handle(req));
        const throughNockMs = await timed(opts.n, async () => {
          await callOperation(client, c.op, c.request);
          client.log.length = 0;
        });
        const overHttpMs = await timed(opts.n, async () => {
          await callOperation(live, c.op, c.liveRequest);
          live.log.length = 0;
        });
        const checksMs = await timed(opts.n, () => checkResponse(c.op, '200', answer));
        const redactionMs = await timed(opts.n, () => redactor.body(answer.text));
        await callOperation(client, c.op, c.request);
        const exchange = client.log.at(-1)!;
        client.log = [];
        const attachmentMs = await timed(opts.n, () => JSON.stringify([redactExchange(exchange, redactor)], null, 2));
        costs.push({ request: c.name, bytes: answer.body.length, handlerMs, throughNockMs, overHttpMs, checksMs, redactionMs, attachmentMs });
        opts.log(
          `request costs ${r + 1}/${opts.runs}: ${c.name}: handler ${handlerMs.toFixed(2)} ms, through nock ${throughNockMs.toFixed(2)} ms, over HTTP ${overHttpMs.toFixed(2)} ms, checks ${checksMs.toFixed(2)} ms`,
        );
      }
      runs.push(costs);
    }
    // The median run by the sum of its stages.
    const total = (cs: readonly RequestCost[]): number => cs.reduce((s, c) => s + c.throughNockMs + c.checksMs + c.redactionMs + c.attachmentMs, 0);
    const sorted = [...runs].sort((a, b) => total(a) - total(b));
    return { n: opts.n, costs: sorted[sorted.length >> 1]!, perRequestMs: summary(runs.map((cs) => total(cs) / cs.length)) };
  } finally {
    unmount();
    client.close();
    live.close();
    await served.close();
  }
}
