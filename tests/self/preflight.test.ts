/**
 * The live preflight names the right cause (src/client/preflight.ts), judged against small
 * loopback servers: a refused login blames the credentials, a 404, an HTML page, a redirect or a
 * 5xx blames the URL or the server and shows what answered, a self-signed certificate names
 * CONFORMANCE_INSECURE_TLS and NODE_EXTRA_CA_CERTS, a closed port says nothing listens.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { PreflightError, preflight, preflightAll, preflightOutcome } from '../../src/client/preflight.ts';
import { createClient } from '../../src/client/products.ts';
import { loadConfig, type ProductId } from '../../src/config/index.ts';
import { Redactor } from '../../src/report/redact.ts';
import { STUB_CREDENTIALS } from '../../src/stub/credentials.ts';
import { startStubServers } from '../../src/stub/serve.ts';
import { generateSelfSignedCertificate } from '../../src/stub/tls.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
async function serve(handler: Handler, tls?: { cert: string; key: string }): Promise<string> {
  const server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
test.afterAll(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

const answer =
  (status: number, contentType: string, body: string, headers: Record<string, string> = {}): Handler =>
  (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': contentType, ...headers });
      res.end(body);
    });
  };

const PASSWORD = 'preflight-Passw0rd!';
const soarEnv = (url: string, extra: Record<string, string> = {}) => ({
  CONFORMANCE_TARGET: 'live',
  FORTISOAR_URL: url,
  FORTISOAR_USERNAME: 'csadmin',
  FORTISOAR_PASSWORD: PASSWORD,
  CONFORMANCE_TIMEOUT_MS: '5000',
  ...extra,
});

/** Runs the preflight of `product` with the configuration of `env`; returns its error (or undefined when it passed). */
async function run(_playwright: unknown, product: ProductId, env: Record<string, string>): Promise<PreflightError | undefined> {
  const config = loadConfig(env);
  const redactor = new Redactor(config.secrets);
  const client = createClient(product, config, redactor);
  try {
    await preflight(product, client, config);
    return undefined;
  } catch (e) {
    if (!(e instanceof PreflightError)) throw e;
    // Never a secret in the message.
    expect(e.message).not.toContain(PASSWORD);
    return e;
  } finally {
    client.close();
  }
}

test.describe('live preflight', () => {
  test('passes against the HTTP stub, for every product', async ({ playwright }) => {
    const running = await startStubServers({ port: 0 });
    try {
      const c = STUB_CREDENTIALS;
      const env = {
        CONFORMANCE_TARGET: 'live',
        FORTISOAR_URL: running.urls.fortisoar,
        FORTISOAR_USERNAME: c.fortisoar.username,
        FORTISOAR_PASSWORD: c.fortisoar.password,
        FORTICASB_URL: running.urls.forticasb,
        FORTICASB_CLIENT_ID: c.forticasb.clientId,
        FORTICASB_CLIENT_SECRET: c.forticasb.clientSecret,
        FORTICASB_COMPANY_ID: c.forticasb.companyId,
        FORTICASB_BU_ID: c.forticasb.buId,
        FORTICASB_SERVICE: c.forticasb.service,
        FMBS_URL: running.urls.fmbs,
        FMBS_TOKEN: c.fmbs.token,
      };
      for (const p of ['fortisoar', 'forticasb', 'fmbs'] as const) expect(await run(playwright, p, env), p).toBeUndefined();
      expect(
        await run(playwright, 'fortisoar', { ...env, FORTISOAR_USERNAME: '', FORTISOAR_PASSWORD: '', FORTISOAR_API_KEY: c.fortisoar.apiKey }),
      ).toBeUndefined();
    } finally {
      await running.close();
    }
  });

  test('a refused login blames the credentials, and only then', async ({ playwright }) => {
    const url = await serve(answer(401, 'application/json', '{"message":"Invalid credentials"}'));
    const e = await run(playwright, 'fortisoar', soarEnv(url));
    expect(e?.reason).toBe('credentials');
    expect(e?.message).toMatch(
      /^\[preflight\] FortiSOAR credentials refused: POST \/auth\/authenticate answered 401 \(application\/json\): ".*Invalid credentials.*": check FORTISOAR_USERNAME\/FORTISOAR_PASSWORD$/,
    );
  });

  test('the refusal the spec documents for the login (400) blames the credentials too', async ({ playwright }) => {
    const url = await serve(answer(400, 'application/json', '{"detail":"Bad credentials"}'));
    expect((await run(playwright, 'fortisoar', soarEnv(url)))?.reason).toBe('credentials');
  });

  const notTheApi: [string, Handler, RegExp][] = [
    ['a 404', answer(404, 'text/plain', 'Not Found'), /answered 404 \(text\/plain\): "Not Found": the FortiSOAR API is not at FORTISOAR_URL=http/],
    ['a 405', answer(405, 'application/json', '{"detail":"Method not allowed"}'), /answered 405 .*the FortiSOAR API is not at FORTISOAR_URL/],
    [
      'an HTML page',
      answer(200, 'text/html; charset=utf-8', '<!DOCTYPE html><html><title>Sign in</title></html>'),
      /answered 200 \(text\/html; charset=utf-8\): "<!DOCTYPE html><html><title>Sign in.*" where JSON is documented: is FORTISOAR_URL=.* the API's base URL\?/,
    ],
    [
      'a redirect',
      answer(302, 'text/html', '', { location: 'https://sso.example/login' }),
      /answered 302 \(text\/html, location https:\/\/sso\.example\/login\): FORTISOAR_URL=.* is not the API's base URL/,
    ],
  ];
  for (const [what, handler, message] of notTheApi) {
    test(`${what} blames the URL and shows what answered`, async ({ playwright }) => {
      const e = await run(playwright, 'fortisoar', soarEnv(await serve(handler)));
      expect(e?.reason).toBe('not-the-api');
      expect(e?.message).toMatch(message);
      expect(e?.message).not.toMatch(/credentials|FORTISOAR_PASSWORD/);
    });
  }

  test('a 5xx blames the server', async ({ playwright }) => {
    const e = await run(playwright, 'fortisoar', soarEnv(await serve(answer(503, 'text/html', '<h1>Service Unavailable</h1>'))));
    expect(e?.reason).toBe('server-error');
    expect(e?.message).toMatch(/answered 503 \(text\/html\): "<h1>Service Unavailable<\/h1>": the server at FORTISOAR_URL=.* is failing/);
  });

  test('a 401 on a read blames the token (FMBS)', async ({ playwright }) => {
    const url = await serve(answer(401, 'application/json', '{"error":"invalid_token"}'));
    const e = await run(playwright, 'fmbs', { CONFORMANCE_TARGET: 'live', FMBS_URL: url, FMBS_TOKEN: 'fmbs-secret-token' });
    expect(e?.reason).toBe('credentials');
    expect(e?.message).toMatch(/GET \/api\/admin-audit-log-entries answered 401 .*: check FMBS_TOKEN$/);
  });

  test('an OAuth2 invalid_client blames the client credentials (FortiCASB)', async ({ playwright }) => {
    const url = await serve(answer(400, 'application/json', '{"error":"invalid_client"}'));
    const e = await run(playwright, 'forticasb', {
      CONFORMANCE_TARGET: 'live',
      FORTICASB_URL: url,
      FORTICASB_CLIENT_ID: 'id',
      FORTICASB_CLIENT_SECRET: 'casb-client-secret',
      FORTICASB_COMPANY_ID: '6',
      FORTICASB_BU_ID: '6384',
      FORTICASB_SERVICE: 'Salesforce',
    });
    expect(e?.reason).toBe('credentials');
    expect(e?.message).toMatch(/POST \/api\/v1\/auth\/credentials\/token\/ answered 400 .*check FORTICASB_CLIENT_ID\/FORTICASB_CLIENT_SECRET/);
    expect(e?.message).not.toContain('casb-client-secret');
  });

  test('a self-signed certificate names CONFORMANCE_INSECURE_TLS and NODE_EXTRA_CA_CERTS', async ({ playwright }) => {
    test.skip(!!process.env.NODE_EXTRA_CA_CERTS?.includes('fortinet-stub-tls'), 'the certificate is trusted here');
    const running = await startStubServers({ port: 0, tls: generateSelfSignedCertificate('127.0.0.1') });
    try {
      const env = soarEnv(running.urls.fortisoar, { FORTISOAR_PASSWORD: STUB_CREDENTIALS.fortisoar.password });
      const e = await run(playwright, 'fortisoar', env);
      expect(e?.reason).toBe('certificate');
      expect(e?.message).toMatch(/the TLS certificate of 127\.0\.0\.1:\d+ was refused \(.*self[- ]signed certificate.*\)/);
      expect(e?.message).toContain('NODE_EXTRA_CA_CERTS=');
      expect(e?.message).toContain('CONFORMANCE_INSECURE_TLS=1');
      // And with CONFORMANCE_INSECURE_TLS=1, the same server is judged.
      expect(await run(playwright, 'fortisoar', { ...env, CONFORMANCE_INSECURE_TLS: '1' })).toBeUndefined();
    } finally {
      await running.close();
    }
  });

  test('a closed port says nothing listens there', async ({ playwright }) => {
    const url = await serve(answer(200, 'application/json', '{}'));
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    const e = await run(playwright, 'fortisoar', soarEnv(url));
    expect(e?.reason).toBe('unreachable');
    expect(e?.message).toMatch(
      /nothing accepts connections at 127\.0\.0\.1:\d+ \(connection refused\): is the server up, and is the port in FORTISOAR_URL right\?/,
    );
  });

  test('a host that does not resolve says so', async ({ playwright }) => {
    const e = await run(playwright, 'fmbs', { CONFORMANCE_TARGET: 'live', FMBS_URL: 'https://fmbs.preflight.invalid', FMBS_TOKEN: 'fmbs-secret-token' });
    expect(e?.reason).toBe('unreachable');
    expect(e?.message).toMatch(/the host name in FMBS_URL does not resolve \(fmbs\.preflight\.invalid\)/);
  });
});

test.describe('live preflight in the runner (the global setup of a live run)', () => {
  test('leaves each product passed or failed, with its cause and no secret, for the workers', async () => {
    const running = await startStubServers({ port: 0, products: ['fortisoar'] });
    const saved = process.env.CONFORMANCE_PREFLIGHT;
    try {
      delete process.env.CONFORMANCE_PREFLIGHT;
      expect(preflightOutcome('fortisoar')).toBe('not-run');
      const c = STUB_CREDENTIALS.fortisoar;
      const config = loadConfig({
        CONFORMANCE_TARGET: 'live',
        FORTISOAR_URL: running.urls.fortisoar,
        FORTISOAR_USERNAME: c.username,
        FORTISOAR_PASSWORD: c.password,
        FMBS_URL: 'http://127.0.0.1:9',
        FMBS_TOKEN: 'fmbs-preflight-secret',
        CONFORMANCE_TIMEOUT_MS: '5000',
      });
      const redactor = new Redactor(config.secrets);
      await preflightAll(
        config,
        (product) => createClient(product, config, redactor),
        (s) => redactor.text(s),
      );
      expect(preflightOutcome('fortisoar')).toBe('passed');
      const fmbs = preflightOutcome('fmbs');
      expect(fmbs).toBeInstanceOf(PreflightError);
      expect((fmbs as PreflightError).reason).toBe('unreachable');
      expect((fmbs as PreflightError).message).toMatch(/^\[preflight\] FortiMail Browser Security unreachable: .*FMBS_URL/);
      // FortiCASB is not configured: skipped by the configuration, so never checked.
      expect(preflightOutcome('forticasb')).toBe('passed');
      expect(process.env.CONFORMANCE_PREFLIGHT).not.toContain('fmbs-preflight-secret');
    } finally {
      if (saved === undefined) delete process.env.CONFORMANCE_PREFLIGHT;
      else process.env.CONFORMANCE_PREFLIGHT = saved;
      await running.close();
    }
  });
});
