/**
 * The client against a hostile target (issue 15), loopback only: links and redirects to another
 * origin, huge and compressed bodies, deep nesting, secrets echoed in many encodings, a target
 * that hangs or drops connections, throttling. Each test starts its own small servers.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { refuseForeignRecords } from '../../src/cases/kit/ownership.ts';
import { ConformanceError } from '../../src/checks/response.ts';
import { type ApiClient, NetworkError, ThrottledError } from '../../src/client/api.ts';
import { RequestLimiter, retryAfterMs } from '../../src/client/limits.ts';
import { createClient } from '../../src/client/products.ts';
import { loadConfig } from '../../src/config/index.ts';
import { redactExchange } from '../../src/report/attachments.ts';
import { ISSUED_TOKENS_FILE, recordIssued } from '../../src/report/issued.ts';
import { REDACTED, Redactor, secretForms } from '../../src/report/redact.ts';
import { configuredSecrets, prepareSecrets, scanArtefacts, scanBuffer } from '../../src/report/secret-scan.ts';
import { loadSpec } from '../../src/spec/load.ts';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
}

type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A loopback server answering by path; records every request it receives. */
async function serve(routes: Record<string, Route>): Promise<{ url: string; seen: Seen[]; server: Server; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      const route = routes[(req.url ?? '/').split('?')[0]!];
      if (route) route(req, res, body);
      else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"message":"no such route"}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const TOKEN = 'fmbs-token-0123456789-abcdef';
/** A password with the characters that escaping changes: `"`, `\`, `<`, `&`, `'`, a space. */
const PASSWORD = `p"a\\ss <w>&'rd-4711`;

function fmbsClient(url: string, extra: Record<string, string> = {}): ApiClient {
  const config = loadConfig({ CONFORMANCE_TARGET: 'live', FMBS_URL: url, FMBS_TOKEN: TOKEN, CONFORMANCE_TIMEOUT_MS: '1500', ...extra });
  return createClient('fmbs', config, new Redactor(config.secrets));
}

test.describe('credentials stay on the configured origin', () => {
  test('an absolute hydra:next to another origin is a [link] finding; nothing reaches that origin', async () => {
    const elsewhere = await serve({ '/api/3/alerts': (_q, res) => json(res, 200, { 'hydra:member': [] }) });
    const target = await serve({
      '/api/3/alerts': (_q, res) =>
        json(res, 200, {
          'hydra:member': [{ '@id': `${elsewhere.url}/api/3/alerts/1` }],
          'hydra:view': { 'hydra:next': `${elsewhere.url}/api/3/alerts?$page=2` },
        }),
    });
    const api = fmbsClient(target.url);
    try {
      const page = (await api.get('/api/3/alerts')).json();
      const next = page['hydra:view']['hydra:next'] as string;
      await expect(api.get(next)).rejects.toThrow(ConformanceError);
      await expect(api.get(next)).rejects.toThrow(/^\[link\] .*127\.0\.0\.1.*another origin/);
      await expect(api.delete(page['hydra:member'][0]['@id'])).rejects.toThrow(/^\[link\]/);
      // Protocol-relative, other schemes: the same.
      await expect(api.get(`//127.0.0.1:${new URL(elsewhere.url).port}/x`)).rejects.toThrow(/^\[link\]/);
      await expect(api.get('file:///etc/passwd')).rejects.toThrow(/^\[link\]/);
      expect(elsewhere.seen).toEqual([]);
      // A link on the same origin is followed.
      expect((await api.get(`${target.url}/api/3/alerts?$page=2`)).status).toBe(200);
      expect(target.seen.every((s) => s.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    } finally {
      api.close();
      await Promise.all([target.close(), elsewhere.close()]);
    }
  });

  test('a redirect to another origin is answered as it came, never followed', async () => {
    const elsewhere = await serve({ '/steal': (_q, res) => json(res, 200, {}) });
    const target = await serve({ '/moved': (_q, res) => json(res, 302, {}, { location: `${elsewhere.url}/steal` }) });
    const api = fmbsClient(target.url);
    try {
      const res = await api.get('/moved');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`${elsewhere.url}/steal`);
      expect(elsewhere.seen).toEqual([]);
    } finally {
      api.close();
      await Promise.all([target.close(), elsewhere.close()]);
    }
  });

  test('client credentials go to the configured token URL, the issued token only to the base URL', async () => {
    const issued = `issued-${randomBytes(12).toString('hex')}`;
    const tokens = await serve({ '/oauth2/token': (_q, res) => json(res, 200, { access_token: issued, token_type: 'bearer' }) });
    const target = await serve({ '/api/admin-audit-log-entries': (_q, res) => json(res, 200, { items: [] }) });
    const config = loadConfig({
      CONFORMANCE_TARGET: 'live',
      FMBS_URL: target.url,
      FMBS_CLIENT_ID: 'client',
      FMBS_CLIENT_SECRET: 'client-secret-value',
      FMBS_TOKEN_URL: `${tokens.url}/oauth2/token`,
    });
    const api = createClient('fmbs', config, new Redactor(config.secrets));
    try {
      expect((await api.get('/api/admin-audit-log-entries')).status).toBe(200);
      expect(tokens.seen.map((s) => s.headers.authorization)).toEqual([`Basic ${Buffer.from('client:client-secret-value').toString('base64')}`]);
      expect(target.seen.map((s) => s.headers.authorization)).toEqual([`Bearer ${issued}`]);
      // Another path on the token URL's origin, or the token URL with the bearer token: refused.
      await expect(api.get(`${tokens.url}/other`)).rejects.toThrow(/^\[link\]/);
      await expect(api.get(`${tokens.url}/oauth2/token`)).rejects.toThrow(/^\[link\].*only the token request/);
      expect(tokens.seen).toHaveLength(1);
    } finally {
      api.close();
      await Promise.all([target.close(), tokens.close()]);
    }
  });
});

test.describe('bounded answers', () => {
  test('a body over CONFORMANCE_MAX_RESPONSE_MB is one [body] finding, read no further', async () => {
    let written = 0;
    const target = await serve({
      '/huge': (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        // 200 MB, if anyone read it.
        const write = (): void => {
          while (written < 200 * 1024 * 1024) {
            written += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', write);
              return;
            }
          }
          res.end();
        };
        res.on('close', () => res.removeAllListeners('drain'));
        write();
      },
    });
    const api = fmbsClient(target.url, { CONFORMANCE_MAX_RESPONSE_MB: '2' });
    try {
      const error = await api.get('/huge').then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(ConformanceError);
      expect(error?.message).toMatch(/^\[body\] GET .*\/huge answered 200, but the body exceeds 2\.0 MB/);
      expect(written).toBeLessThan(100 * 1024 * 1024);
      expect(api.log.at(-1)?.error).toMatch(/exceeds/);
    } finally {
      api.close();
      await target.close();
    }
  });

  test('a gzip bomb stops at the limit after decompression, in bounded memory', async () => {
    // 512 MB of zeros, about 0.5 MB compressed.
    const bomb = gzipSync(Buffer.alloc(512 * 1024 * 1024), { level: 9 });
    const target = await serve({
      '/bomb': (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
        res.end(bomb);
      },
    });
    const api = fmbsClient(target.url, { CONFORMANCE_MAX_RESPONSE_MB: '4' });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    try {
      await expect(api.get('/bomb')).rejects.toThrow(/^\[body\] .* exceeds 4\.0 MB after decompression \(content-encoding gzip\)/);
      peak = Math.max(peak, process.memoryUsage().rss);
      expect(peak - before).toBeLessThan(256 * 1024 * 1024);
    } finally {
      clearInterval(sampler);
      api.close();
      await target.close();
    }
  });

  test('compressed answers are decoded (gzip, deflate with and without zlib header, br)', async () => {
    const { deflateRawSync, deflateSync, brotliCompressSync } = await import('node:zlib');
    const body = Buffer.from(JSON.stringify({ items: [{ id: 'x'.repeat(1000) }] }));
    const encoders: Record<string, (b: Buffer) => Buffer> = { gzip: gzipSync, deflate: deflateSync, 'deflate-raw': deflateRawSync, br: brotliCompressSync };
    const routes: Record<string, Route> = {};
    for (const [name, encode] of Object.entries(encoders)) {
      routes[`/${name}`] = (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': name === 'deflate-raw' ? 'deflate' : name });
        res.end(encode(body));
      };
    }
    const target = await serve(routes);
    const api = fmbsClient(target.url);
    try {
      for (const name of Object.keys(encoders)) expect((await api.get(`/${name}`)).json(), name).toEqual(JSON.parse(body.toString()));
      expect(target.seen[0]?.headers['accept-encoding']).toMatch(/gzip/);
    } finally {
      api.close();
      await target.close();
    }
  });

  test('a body nested 100,000 deep is a [body] finding, not a stack overflow', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const target = await serve({
      '/deep': (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`{"a":${deep}}`);
      },
    });
    const api = fmbsClient(target.url);
    try {
      await expect(api.get('/deep')).rejects.toThrow(/^\[body\] GET .* nested deeper than 1000 levels/);
      // What the reports do with that exchange is bounded too.
      const redactor = new Redactor([TOKEN]);
      expect(() => redactExchange(api.log.at(-1)!, redactor)).not.toThrow();
      expect(redactor.body(`{"a":${deep}}`)).toContain('[[[');
    } finally {
      api.close();
      await target.close();
    }
  });

  test('a target that never answers costs CONFORMANCE_TIMEOUT_MS, as a NetworkError with its code', async () => {
    const target = await serve({ '/hang': () => {} });
    const api = fmbsClient(target.url, { CONFORMANCE_TIMEOUT_MS: '500' });
    try {
      const started = Date.now();
      const error = await api.get('/hang').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).code).toBe('ETIMEDOUT');
      expect((error as Error).message).toMatch(/^\[network\] GET .* no complete answer within 500 ms/);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      api.close();
      await target.close();
    }
  });

  test('a refused connection is a NetworkError naming ECONNREFUSED', async () => {
    const gone = await serve({});
    const url = gone.url;
    await gone.close();
    const api = fmbsClient(url);
    try {
      const error = await api.get('/x').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((error as NetworkError).code).toBe('ECONNREFUSED');
    } finally {
      api.close();
    }
  });
});

test.describe('no duplicate writes; throttling honoured', () => {
  test('a POST whose connection drops after sending is not sent again; a GET is', async () => {
    const target = await serve({ '/drop': (req) => req.socket.destroy() });
    const api = fmbsClient(target.url);
    try {
      await expect(api.post('/drop', { create: 1 })).rejects.toThrow(NetworkError);
      expect(target.seen.filter((s) => s.method === 'POST')).toHaveLength(1);
      await expect(api.get('/drop')).rejects.toThrow(NetworkError);
      expect(target.seen.filter((s) => s.method === 'GET')).toHaveLength(3);
    } finally {
      api.close();
      await target.close();
    }
  });

  test('429 and 503 with Retry-After are waited out and marked; a wait beyond the bound is no answer to judge', async () => {
    let calls = 0;
    let bare = 0;
    const target = await serve({
      '/busy': (_q, res) => (++calls === 1 ? json(res, 429, {}, { 'retry-after': '1' }) : json(res, 200, { ok: true })),
      '/bare': (_q, res) => (++bare === 1 ? json(res, 429, {}) : json(res, 200, { ok: true })),
      '/down': (_q, res) => json(res, 503, {}, { 'retry-after': '3600' }),
    });
    const api = fmbsClient(target.url);
    try {
      const res = await api.post('/busy', { create: 1 });
      expect(res.status).toBe(200);
      expect(api.log.map((e) => [e.status, e.throttled, e.retryAfterMs, e.waitedOut])).toEqual([
        [429, true, 1000, true],
        [200, undefined, undefined, undefined],
      ]);
      api.log = [];
      // A 429 without Retry-After is waited out too (1 s, then 2 s, then 4 s).
      expect((await api.get('/bare')).status).toBe(200);
      expect(api.log.map((e) => [e.status, e.waitedOut])).toEqual([
        [429, true],
        [200, undefined],
      ]);
      api.log = [];
      // An hour is beyond the bound: a busy server, not a finding; the test is skipped, saying so.
      const error = await api.get('/down').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ThrottledError);
      expect((error as Error).message).toMatch(
        /^\[throttled\] GET .*\/down answered 503 and asked to wait 3600 s \(Retry-After\), more than the 30 s the suite waits/,
      );
      expect(api.log.map((e) => [e.status, e.throttled, e.retryAfterMs, e.waitedOut])).toEqual([[503, true, 3_600_000, undefined]]);
    } finally {
      api.close();
      await target.close();
    }
  });

  test('the limiter keeps to its rate and concurrency', async () => {
    const limiter = new RequestLimiter(20, 2);
    let inFlight = 0;
    let most = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 30 }, async () => {
        await limiter.acquire();
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        limiter.release();
      }),
    );
    expect(most).toBeLessThanOrEqual(2);
    // 20 in the first second, the other 10 in the next one.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(retryAfterMs('120')).toBe(120_000);
    expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  test('no second of the run holds more requests than the rate, a share below one included', async () => {
    for (const [rps, n] of [
      [2.5, 7],
      [0.8, 3],
    ] as const) {
      const limiter = new RequestLimiter(rps, Number.POSITIVE_INFINITY);
      const times: number[] = [];
      await Promise.all(
        Array.from({ length: n }, async () => {
          await limiter.acquire();
          times.push(performance.now());
          limiter.release();
        }),
      );
      // Any window of one second (of 1/rps seconds below one a second) holds at most the rate's
      // whole requests. Timed where each acquire resumed, a few milliseconds after the limiter let
      // it go and by a varying lag: the window checked is 50 ms shorter. A token bucket, which let
      // twice the rate through, fails it still.
      const windowMs = (rps < 1 ? 1000 / rps : 1000) - 50;
      const most = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));
      expect(most, `rps ${rps}: ${times.map((t) => Math.round(t - times[0]!)).join(', ')}`).toBeLessThanOrEqual(Math.max(1, Math.floor(rps)));
    }
  });
});

/** The encodings a report may hold `secret` in, written out here rather than taken from redact.ts. */
function encodings(secret: string): string[] {
  const once = JSON.stringify(secret).slice(1, -1);
  const twice = JSON.stringify(once).slice(1, -1);
  const thrice = JSON.stringify(twice).slice(1, -1);
  const html = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const out = [secret, once, twice, thrice, html(secret), html(once), encodeURIComponent(secret)];
  // base64 and base64url of the secret preceded by 0, 1 or 2 bytes: the characters that depend on it alone.
  for (const k of [0, 1, 2]) {
    for (const alphabet of ['base64', 'base64url'] as const) {
      const encoded = Buffer.concat([Buffer.alloc(k, 0x41), Buffer.from(secret)]).toString(alphabet);
      out.push(encoded.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + Buffer.byteLength(secret))) / 6)));
    }
  }
  return [...new Set(out)];
}

test.describe('secrets echoed in every encoding', () => {
  test('are redacted from the exchanges, and the scan finds what redaction missed', async () => {
    const issued = `opaque-${randomBytes(16).toString('hex')}`;
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    const target = await serve({
      '/auth/authenticate': (_q, res) => json(res, 200, { token: issued }),
      // Not JSON (cut short): redacted as text, so every escaped form must be known.
      '/echo-text': (_q, res) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(
          `{"once": ${JSON.stringify(PASSWORD)}, "twice": ${JSON.stringify(JSON.stringify(PASSWORD))}, "thrice": ${JSON.stringify(JSON.stringify(JSON.stringify(PASSWORD)))}, "html": "${PASSWORD.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}", "cut`,
        );
      },
      '/echo': (_q, res) =>
        json(
          res,
          200,
          {
            said: `your password is ${PASSWORD}`,
            quotedTwice: JSON.stringify(JSON.stringify({ password: PASSWORD })),
            html: PASSWORD.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;'),
            url: `https://x.example/?p=${encodeURIComponent(PASSWORD)}`,
            base64url: Buffer.from(`xy${issued}`).toString('base64url'),
          },
          { 'x-echo': b64(`a${issued}`), 'x-echo-2': b64(`ab:${PASSWORD}`), 'x-token': issued },
        ),
    });
    const dir = mkdtempSync(join(tmpdir(), 'conformance-self-'));
    const file = join(dir, 'issued.jsonl');
    writeFileSync(file, '', { mode: 0o600 });
    const env = { CONFORMANCE_TARGET: 'live', FORTISOAR_URL: target.url, FORTISOAR_USERNAME: 'csadmin', FORTISOAR_PASSWORD: PASSWORD };
    const config = loadConfig(env);
    const previous = process.env[ISSUED_TOKENS_FILE];
    process.env[ISSUED_TOKENS_FILE] = file;
    const redactor = new Redactor(config.secrets);
    const api = createClient('fortisoar', config, redactor);
    try {
      expect((await api.get('/echo')).status).toBe(200);
      expect((await api.get('/echo-text')).status).toBe(500);
      const attachment = JSON.stringify(api.log.map((e) => redactExchange(e, redactor)));
      // The report stores the attachment inside JSON again (quoted twice), and as HTML.
      const artefacts = [attachment, JSON.stringify({ attachment }), JSON.stringify(JSON.stringify({ attachment }))];
      const secrets = configuredSecrets({ ...env, [ISSUED_TOKENS_FILE]: file });
      expect(secrets.map((s) => s.value)).toEqual(expect.arrayContaining([PASSWORD, issued]));
      const prepared = prepareSecrets(secrets);
      for (const text of artefacts) {
        const findings: { file: string; secret: string; form: string }[] = [];
        scanBuffer('artefact', Buffer.from(text), prepared, findings, []);
        expect(findings).toEqual([]);
        // An oracle independent of the redactor's own list of forms.
        for (const secret of [PASSWORD, issued])
          for (const leaked of encodings(secret)) expect(text, `an encoding of a secret: ${leaked}`).not.toContain(leaked);
      }
      // What the redactor missed (here: never shown to it), the scan finds in every form.
      for (const { form, text } of [...secretForms(PASSWORD), ...secretForms(issued)]) {
        writeFileSync(join(dir, 'leak.txt'), `prefix ${text} suffix`);
        const found = scanArtefacts([join(dir, 'leak.txt')], secrets, dir).findings;
        expect(found.length, `${form}: ${text}`).toBeGreaterThan(0);
      }
    } finally {
      api.close();
      if (previous === undefined) delete process.env[ISSUED_TOKENS_FILE];
      else process.env[ISSUED_TOKENS_FILE] = previous;
      rmSync(dir, { recursive: true, force: true });
      await target.close();
    }
  });

  test('a token recorded by a worker is known to the scan, whatever its shape', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-self-'));
    try {
      const file = join(dir, 'issued.jsonl');
      const token = 'not-a-jwt-but-a-secret-token-42';
      recordIssued(token, 'a FortiSOAR token issued by POST /auth/authenticate', { [ISSUED_TOKENS_FILE]: file });
      writeFileSync(join(dir, 'report.json'), JSON.stringify({ header: Buffer.from(`Bearer ${token}`).toString('base64') }));
      const found = scanArtefacts([join(dir, 'report.json')], configuredSecrets({ [ISSUED_TOKENS_FILE]: file }), dir).findings;
      expect(found).toEqual([{ file: 'report.json', secret: 'a FortiSOAR token issued by POST /auth/authenticate', form: 'base64-encoded' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a token in any JSON answer is learnt, its key written as is or with \\u escapes', async () => {
    const plain = `refresh-${randomBytes(12).toString('hex')}`;
    const escaped = `access-${randomBytes(12).toString('hex')}`;
    const target = await serve({
      '/tokens': (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`{"data":{"REFRESH_TOKEN":"${plain}"},"acc\\u0065ssT\\u006Fken":"${escaped}","note":"none"}`);
      },
      '/records': (_q, res) => json(res, 200, { items: [{ name: 'not-a-credential-value', id: 'abcdef0123456789' }] }),
    });
    const api = fmbsClient(target.url);
    try {
      expect((await api.get('/records')).status).toBe(200);
      expect(api.redactor.text('not-a-credential-value abcdef0123456789')).toBe('not-a-credential-value abcdef0123456789');
      expect((await api.get('/tokens')).status).toBe(200);
      expect(api.redactor.text(`${plain} ${escaped}`)).toBe(`${REDACTED} ${REDACTED}`);
    } finally {
      api.close();
      await target.close();
    }
  });
});

test.describe('records that existed before the run', () => {
  test('a write to a record the server named but this run did not create is refused, nothing sent', async () => {
    const runId = 'hostile-1';
    const ours = `/api/3/alerts/11111111-1111-1111-1111-111111111111`;
    const theirs = `/api/3/alerts/22222222-2222-2222-2222-222222222222`;
    const target = await serve({
      [ours]: (_q, res) => json(res, 200, { '@id': ours, name: `conformance-suite ${runId} w0-1 record` }),
      // A create answered with this @id (a fault, or a hostile target): a record of the SOC's.
      [theirs]: (_q, res) => json(res, 200, { '@id': theirs, name: 'conformance-suite notes kept by the SOC team' }),
    });
    const config = loadConfig({
      CONFORMANCE_TARGET: 'live',
      FORTISOAR_URL: target.url,
      FORTISOAR_API_KEY: 'api-key-0123456789',
      CONFORMANCE_TIMEOUT_MS: '1500',
    });
    const api = createClient('fortisoar', config, new Redactor(config.secrets));
    const spec = loadSpec('fortisoar');
    const op = (id: string) => spec.byId.get(id)!;
    const known = new Set<string>();
    try {
      for (const [id, req] of [
        ['deleteRecord', { link: theirs }],
        ['updateRecord', { link: theirs, body: { description: 'x' } }],
        ['deleteRecord', { path: { collection: 'alerts', uuid: '22222222-2222-2222-2222-222222222222' } }],
        ['bulkDelete', { path: { module: 'alerts' }, body: { ids: ['11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222'] } }],
        ['bulkUpdate', { path: { module: 'alerts' }, body: { data: [{ '@id': theirs, description: 'x' }] } }],
      ] as const) {
        await expect(refuseForeignRecords(api, spec, op(id), req, runId, known), id).rejects.toThrow(/\[safety\].*not one this run \(hostile-1\) created/);
      }
      // Its own record, and one already gone, may be written; the own one is read once.
      await refuseForeignRecords(api, spec, op('deleteRecord'), { link: ours }, runId, known);
      await refuseForeignRecords(api, spec, op('updateRecord'), { link: ours, body: {} }, runId, known);
      await refuseForeignRecords(api, spec, op('deleteRecord'), { link: '/api/3/alerts/33333333-3333-3333-3333-333333333333' }, runId, known);
      expect(target.seen.every((s) => s.method === 'GET')).toBe(true);
      expect(target.seen.filter((s) => s.url === ours)).toHaveLength(1);
    } finally {
      api.close();
      await target.close();
    }
  });
});
