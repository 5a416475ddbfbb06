/**
 * The stub core: routing (literal segments before templates, trailing slashes), loud unknown
 * routes, 400 and never 500 for malformed bodies, authentication enforced.
 */
import { expect, test } from '@playwright/test';
import type { StubRequest } from '../../src/stub/core/types.ts';
import { STUB_CREDENTIALS } from '../../src/stub/credentials.ts';
import { createStub } from '../../src/stub/index.ts';

const req = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): StubRequest => {
  const url = new URL(path, 'http://x');
  return {
    method,
    path: url.pathname,
    query: url.searchParams,
    headers,
    rawBody: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
  };
};

async function soar() {
  const stub = createStub('fortisoar');
  const login = await stub.handle(
    req('POST', '/auth/authenticate', { credentials: { loginid: STUB_CREDENTIALS.fortisoar.username, password: STUB_CREDENTIALS.fortisoar.password } }),
  );
  expect(login.status).toBe(200);
  const auth = { authorization: `Bearer ${(login.body as { token: string }).token}` };
  return { stub, auth };
}

test.describe('FortiSOAR stub', () => {
  test('refuses requests without a token', async () => {
    const { stub } = await soar();
    expect((await stub.handle(req('GET', '/api/3/alerts'))).status).toBe(401);
    expect((await stub.handle(req('GET', '/api/3/alerts', undefined, { authorization: 'Bearer nope' }))).status).toBe(401);
  });

  test('answers 400, never 500, for malformed or wrongly typed bodies', async () => {
    const { stub, auth } = await soar();
    for (const [method, path, body] of [
      ['POST', '/api/3/alerts', '{"name": '],
      ['POST', '/api/3/alerts', '[1,2]'],
      ['POST', '/api/3/alerts', { name: 42 }],
      ['POST', '/api/3/insert/alerts', { data: 'x' }],
      ['PUT', '/api/3/update/alerts', '{'],
      ['DELETE', '/api/3/delete/alerts', { ids: 'x' }],
      ['POST', '/api/3/bulkupsert/alerts', { not: 'an array' }],
      ['POST', '/auth/authenticate', { credentials: 'x' }],
      ['GET', '/api/3/alerts?$limit=zero', undefined],
    ] as const) {
      const r = await stub.handle(req(method, path, body, auth));
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
    }
  });

  test('answers 404 for unknown records, modules and routes', async () => {
    const { stub, auth } = await soar();
    expect((await stub.handle(req('GET', '/api/3/alerts/00000000-0000-0000-0000-000000000000', undefined, auth))).status).toBe(404);
    expect((await stub.handle(req('GET', '/api/3/no_such_module', undefined, auth))).status).toBe(404);
    const unknown = await stub.handle(req('GET', '/nothing/here', undefined, auth));
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.body)).toContain('specs/fortisoar.yaml');
  });

  test('routes literal segments before templates', async () => {
    const { stub, auth } = await soar();
    const r = await stub.handle(req('DELETE', '/api/3/delete/alerts', { ids: [] }, auth));
    expect(r.status).toBe(200);
  });

  test('accepts a trailing slash and repeated slashes', async () => {
    const { stub, auth } = await soar();
    expect((await stub.handle(req('GET', '/api/3//alerts/', undefined, auth))).status).toBe(200);
  });

  test('is seeded deterministically', async () => {
    const a = await soar();
    const b = await soar();
    const page = async (s: typeof a) => JSON.stringify((await s.stub.handle(req('GET', '/api/3/alerts?$limit=5', undefined, s.auth))).body);
    const [x, y] = [await page(a), await page(b)];
    expect(x.replace(/"uuid":"[^"]+"/g, '')).toBe(y.replace(/"uuid":"[^"]+"/g, ''));
    expect(x).toBe(y);
  });
});
