/**
 * A fuzz of `npm run stub`'s servers (issue 15: "the stub cannot be knocked over"): malformed
 * requests over every route of every product, each answered without a 5xx, and the servers still
 * up afterwards. Used by `scripts/live-against-stub.ts` (thousands of requests, then the live
 * suite against the same servers) and `tests/self/stub-fuzz.test.ts` (fewer, on fresh servers).
 *
 * What is sent, per route (the spec's operations and each stub's extra routes), with valid
 * credentials (so the handlers run), none, or garbage ones: path parameters with malformed
 * percent-encoding, traversal, huge and odd values; documented query parameters with wrong types;
 * bodies that are not JSON, JSON of the wrong shape, the documented example with each field given
 * a wrong type, JSON nested thousands deep, bodies over the stub's size limit; other methods; and
 * raw request lines and headers Node's parser refuses. Deterministic (seeded), so a failure
 * reproduces.
 */
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import type { ProductId } from '../src/config/index.ts';
import { MAX_BODY_BYTES } from '../src/stub/core/http.ts';
import type { Stub } from '../src/stub/core/stub.ts';
import { STUB_CREDENTIALS } from '../src/stub/credentials.ts';

export interface FuzzOptions {
  /** Requests per route, at most (the first cases are always the same; the rest are drawn at random). */
  readonly perRoute?: number;
  readonly seed?: number;
  /** Bodies over the size limit are 16 MB each: send this many per product. */
  readonly hugeBodies?: number;
  readonly concurrency?: number;
}

export interface FuzzResult {
  readonly requests: number;
  readonly byStatus: Readonly<Record<string, number>>;
  /** Each a 5xx, a dropped connection where an answer was due, or a server that stopped answering. */
  readonly problems: readonly string[];
}

interface Attempt {
  readonly product: ProductId;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
  /** A refused huge body may be cut off by the server while it is still being sent. */
  readonly mayDrop?: boolean;
}

/** mulberry32: a small seeded generator, so a run can be repeated. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATH_VALUES = [
  '%',
  '%zz',
  '%E0%A4%A',
  '%C0%AF',
  '%00',
  '..%2F..%2Fetc',
  '..',
  'a'.repeat(4000),
  '%27%22%3C%3E',
  '%F0%9F%92%A5',
  '-1',
  '1e309',
  'null',
  '%7B%7D',
  '%5B%5D',
  'x;y=z',
];
const QUERY_VALUES = ['%', '%zz', '', '-1', '1e309', 'NaN', 'null', 'true', '[]', '{}', 'a'.repeat(3000), '%00', '0x10', '2024-13-45T99:99:99Z', '%E0%A4%A'];
const WRONG: readonly unknown[] = [null, 0, -1, 1.5, 1e308, '', 'x', true, [], {}, 'a'.repeat(20_000), [[[]]], { $gt: '' }, ['x', 1, null], '%zz', '\u0000'];
const deep = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObject = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const RAW_BODIES = [
  '{',
  '}',
  'null',
  '[]',
  '"text"',
  '123',
  '{"a":}',
  '\u0000\u0001',
  'a=%zz&b',
  '{"__proto__":{"x":1}}',
  deep(5000),
  deepObject(5000),
  deep(100),
];
const CONTENT_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  '',
];

function authHeaders(product: ProductId, kind: 'valid' | 'none' | 'garbage', soarToken: string): Record<string, string> {
  const c = STUB_CREDENTIALS;
  if (kind === 'none') return {};
  if (kind === 'garbage') return { authorization: ['Bearer %zz', 'Basic !!!', 'API-KEY ', `Bearer ${'x'.repeat(8000)}`, 'Negotiate'][soarToken.length % 5]! };
  switch (product) {
    case 'fortisoar':
      return { authorization: `Bearer ${soarToken}` };
    case 'forticasb':
      return { authorization: `Bearer ${c.forticasb.token}`, companyid: c.forticasb.companyId, buid: c.forticasb.buId, service: c.forticasb.service };
    case 'fmbs':
      return { authorization: `Bearer ${c.fmbs.token}` };
  }
}

/** Every route of a stub: its spec's operations and its extra routes. */
function routesOf(stub: Stub<unknown>): { method: string; path: string; example?: unknown; query: string[] }[] {
  const out: { method: string; path: string; example?: unknown; query: string[] }[] = stub.spec.operations.map((op) => ({
    method: op.method,
    path: op.path,
    example: op.requestBody?.example,
    query: op.parameters.filter((p) => p.in === 'query').map((p) => p.name),
  }));
  for (const key of Object.keys(stub.definition.extraRoutes ?? {})) {
    const [method, path] = key.split(' ') as [string, string];
    out.push({ method, path, example: undefined, query: [] });
  }
  return out;
}

/** The example body with one field (at the top or one level down) given a wrong value. */
function mutate(example: unknown, pick: () => number): unknown {
  const wrong = WRONG[Math.floor(pick() * WRONG.length)];
  if (Array.isArray(example)) return example.length ? [mutate(example[0], pick), ...example.slice(1)] : [wrong];
  if (!example || typeof example !== 'object') return wrong;
  const keys = Object.keys(example);
  if (!keys.length) return { field: wrong };
  const key = keys[Math.floor(pick() * keys.length)]!;
  const value = (example as Record<string, unknown>)[key];
  const inner = value && typeof value === 'object' && pick() < 0.4 ? mutate(value, pick) : wrong;
  return { ...(example as Record<string, unknown>), [key]: inner };
}

function attemptsFor(product: ProductId, stub: Stub<unknown>, soarToken: string, options: Required<FuzzOptions>): Attempt[] {
  const pick = random(options.seed ^ product.length);
  const choose = <T>(xs: readonly T[]): T => xs[Math.floor(pick() * xs.length)]!;
  const out: Attempt[] = [];
  for (const route of routesOf(stub)) {
    const fill = (value: () => string): string => route.path.replace(/\{\w+\}/g, value);
    const plain = fill(() => 'conformance-fuzz');
    const json = (body: unknown): Buffer => Buffer.from(JSON.stringify(body) ?? 'null');
    const base = (overrides: Partial<Attempt>): Attempt => ({
      product,
      method: route.method,
      path: plain,
      headers: { ...authHeaders(product, 'valid', soarToken), 'content-type': 'application/json' },
      ...overrides,
    });
    const fixed: Attempt[] = [
      // Every malformed path value, where the route has a parameter.
      ...(route.path.includes('{') ? PATH_VALUES.map((v) => base({ path: fill(() => v) })) : [base({ path: `${plain}/%zz` })]),
      // Every raw body.
      ...RAW_BODIES.map((b) => base({ body: Buffer.from(b) })),
      // The example with each wrong value somewhere.
      ...WRONG.map(() => base({ body: json(mutate(route.example ?? {}, pick)) })),
      // Other methods on the same path.
      ...['PATCH', 'OPTIONS', 'PUT', 'DELETE', 'TRACE'].filter((m) => m !== route.method).map((m) => base({ method: m, body: Buffer.from('{"x":') })),
    ];
    const drawn: Attempt[] = [];
    while (fixed.length + drawn.length < options.perRoute) {
      const query = route.query.length
        ? `?${route.query.map((q) => `${q}=${choose(QUERY_VALUES)}`).join('&')}&${choose(route.query)}=${choose(QUERY_VALUES)}`
        : `?${choose(['%zz', 'a=%', '$limit=-1', '$page=1e309', 'x'])}`;
      const bodyKind = pick();
      const body =
        bodyKind < 0.4
          ? json(mutate(route.example ?? {}, pick))
          : bodyKind < 0.7
            ? Buffer.from(choose(RAW_BODIES))
            : bodyKind < 0.85
              ? json(choose(WRONG))
              : undefined;
      drawn.push(
        base({
          path: (route.path.includes('{') && pick() < 0.5 ? fill(() => choose(PATH_VALUES)) : plain) + query,
          headers: {
            ...authHeaders(product, choose(['valid', 'valid', 'valid', 'none', 'garbage'] as const), soarToken),
            'content-type': choose(CONTENT_TYPES),
          },
          body,
        }),
      );
    }
    out.push(...fixed.slice(0, options.perRoute), ...drawn);
  }
  // Bodies over the size limit, declared and not (chunked), on a route that takes a body.
  const target = routesOf(stub).find((r) => r.method === 'POST') ?? routesOf(stub)[0]!;
  for (let i = 0; i < options.hugeBodies; i++) {
    out.push({
      product,
      method: 'POST',
      path: target.path.replace(/\{\w+\}/g, 'x'),
      headers: { ...authHeaders(product, 'valid', soarToken), 'content-type': 'application/json', ...(i % 2 ? { 'transfer-encoding': 'chunked' } : {}) },
      body: Buffer.alloc(MAX_BODY_BYTES + 1024, 0x20),
      mayDrop: true,
    });
  }
  return out;
}

/** Requests Node's HTTP parser refuses, or that are valid HTTP with an unparsable target, sent on a raw socket. */
const RAW_REQUESTS = [
  'GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'GET http://[::1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'GET //%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'GET /api/3/alerts/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'GET http://user:pa%ss@host/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'GARBAGE\r\n\r\n',
  'GET / HTTP/9.9\r\n\r\n',
  'GET / HTTP/1.1\r\nBad Header\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
  `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
  '\r\n\r\n\r\n',
  'GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'CONNECT x:1 HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET /\u0000 HTTP/1.1\r\n\r\n',
];

function rawRequest(url: string, text: string): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(u.port), u.hostname, () => socket.end(text));
    let out = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      out += d;
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(out.split('\r\n')[0] ?? ''));
    socket.setTimeout(5_000, () => socket.destroy());
  });
}

function send(agent: Agent, base: string, a: Attempt): Promise<{ status?: number; message: string }> {
  return new Promise((resolve) => {
    const url = new URL(base);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: a.method,
        path: a.path,
        headers: a.body ? { ...a.headers, ...(a.headers['transfer-encoding'] ? {} : { 'content-length': String(a.body.length) }) } : a.headers,
        agent,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          if (text.length < 300) text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode, message: text.slice(0, 200) }));
        res.on('error', (e) => resolve({ status: res.statusCode, message: e.message }));
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error('no answer within 15 s')));
    req.on('error', (e) => resolve({ message: e.message }));
    req.end(a.body);
  });
}

async function soarLogin(url: string): Promise<string> {
  const c = STUB_CREDENTIALS.fortisoar;
  const res = await fetch(`${url}/auth/authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ credentials: { loginid: c.username, password: c.password } }),
  });
  return ((await res.json()) as { token: string }).token;
}

/**
 * A client finishes what it started: a FortiSOAR log collection the fuzz triggered is polled to its
 * end, as the guide's client would ("Log Collection Operations": one collection runs at a time, so
 * an abandoned one holds off the next; the stub advances it only when polled).
 */
async function settle(url: string, soarToken: string): Promise<string | undefined> {
  for (const filename of ['fortisoar-logs.tar.gz', 'fortisoar-logs.tar.gz.gpg']) {
    for (let poll = 0; ; poll++) {
      const res = await fetch(`${url}/api/3/utils/log-collect?filename=${filename}`, { headers: { authorization: `Bearer ${soarToken}` } });
      await res.arrayBuffer();
      if (res.status !== 202) break;
      if (poll === 200) return `the log collection ${filename} the fuzz started still runs after 200 polls`;
    }
  }
  return undefined;
}

/** Fuzzes the servers at `urls` (one stub per product, as `startStubServers` runs them). */
export async function fuzzStubs(
  urls: Readonly<Partial<Record<ProductId, string>>>,
  stubs: ReadonlyMap<ProductId, Stub<unknown>>,
  options: FuzzOptions = {},
): Promise<FuzzResult> {
  const o: Required<FuzzOptions> = { perRoute: 40, seed: 15, hugeBodies: 2, concurrency: 8, ...options };
  const byStatus: Record<string, number> = {};
  const problems: string[] = [];
  let requests = 0;
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
  const soarToken = urls.fortisoar ? await soarLogin(urls.fortisoar) : '';
  const attempts: Attempt[] = [];
  for (const [product, stub] of stubs) if (urls[product]) attempts.push(...attemptsFor(product, stub, soarToken, o));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < attempts.length) {
      const a = attempts[next++]!;
      const r = await send(agent, urls[a.product]!, a);
      requests++;
      const key = r.status === undefined ? 'no answer' : String(r.status);
      byStatus[key] = (byStatus[key] ?? 0) + 1;
      const what = `${a.product} ${a.method} ${a.path.slice(0, 120)} (${a.headers['content-type'] ?? 'no content type'}, body ${a.body ? JSON.stringify(a.body.subarray(0, 60).toString('latin1')) : 'none'})`;
      if (r.status !== undefined && r.status >= 500) problems.push(`${what} → ${r.status} ${r.message}`);
      if (r.status === undefined && !a.mayDrop) problems.push(`${what} → no answer: ${r.message}`);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  agent.destroy();
  if (urls.fortisoar) {
    const unsettled = await settle(urls.fortisoar, soarToken);
    if (unsettled) problems.push(`fortisoar: ${unsettled}`);
  }
  for (const [product, url] of Object.entries(urls) as [ProductId, string][]) {
    for (const text of RAW_REQUESTS) {
      requests++;
      const line = await rawRequest(url, text);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(line)?.[1];
      byStatus[status ?? 'closed'] = (byStatus[status ?? 'closed'] ?? 0) + 1;
      if (status && Number(status) >= 500) problems.push(`${product} raw ${JSON.stringify(text.slice(0, 60))} → ${line}`);
    }
    // Still up, and still answering what it documents.
    const alive = await fetch(`${url}/no-such-route`).then(
      (r) => r.status,
      (e: Error) => e.message,
    );
    if (alive !== 404) problems.push(`${product}: after the fuzz the server answers ${alive} to an unknown route, not 404`);
  }
  return { requests, byStatus, problems };
}
