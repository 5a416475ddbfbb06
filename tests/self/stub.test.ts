/**
 * The stub core: routing (literal segments before templates, trailing slashes), loud unknown
 * routes, 400 and never 500 for malformed bodies, authentication enforced.
 */
import { expect, test } from '@playwright/test';
import type { StubRequest } from '../../src/stub/core/types.ts';
import { STUB_CREDENTIALS } from '../../src/stub/credentials.ts';
import { type FortiSoarSettings, JOB_SECONDS } from '../../src/stub/fortisoar/settings.ts';
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

async function soar(settings?: Partial<FortiSoarSettings>) {
  const stub = createStub('fortisoar', undefined, settings);
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

/** A FortiSOAR stub whose clock the test moves. */
async function clocked() {
  let now = Date.UTC(2024, 0, 1);
  const { stub, auth } = await soar({ now: () => now });
  const call = async (method: string, path: string, body?: unknown) => stub.handle(req(method, path, body, auth));
  return { call, advance: (seconds: number) => void (now += seconds * 1000) };
}

test.describe('FortiSOAR stub jobs advance with time as well as by polls', () => {
  test('a log collection nobody polls ends by itself, so a later one can start and the file is there', async () => {
    const { call, advance } = await clocked();
    const first = await call('POST', '/api/3/utils/log-collect', { password: 'p' });
    expect(first.body).toEqual({ filename: 'fortisoar-logs.tar.gz.gpg' });
    expect((await call('POST', '/api/3/utils/log-collect', {})).status).toBe(202);
    advance(JOB_SECONDS - 1);
    expect((await call('POST', '/api/3/utils/log-collect', {})).status).toBe(202);
    advance(1);
    expect((await call('POST', '/api/3/utils/log-collect', {})).status).toBe(200);
    expect((await call('GET', '/api/3/utils/log-collect?filename=fortisoar-logs.tar.gz.gpg')).status).toBe(200);
    // Polled at once, the new one answers "still running" twice, then the file.
    const polls = [];
    for (let i = 0; i < 3; i++) polls.push((await call('GET', '/api/3/utils/log-collect?filename=fortisoar-logs.tar.gz')).status);
    expect(polls).toEqual([202, 202, 200]);
  });

  test('an export or import job completes after two "still running" polls, or with time when nobody polls', async () => {
    const { call, advance } = await clocked();
    const template = await call('POST', '/api/3/export_templates', { name: 'clock', options: { modules: ['alerts'] } });
    const uuid = String((template.body as { uuid: string }).uuid);
    const exportJob = async () => String(((await call('PUT', `/api/export?fileName=x.zip&template=${uuid}`)).body as { jobUuid: string }).jobUuid);
    const status = async (job: string) => ((await call('GET', `/api/3/export_jobs/${job}`)).body as { status: string }).status;

    const polled = await exportJob();
    expect([await status(polled), await status(polled), await status(polled)]).toEqual(['Export In Progress', 'Export In Progress', 'Export Complete']);
    const abandoned = await exportJob();
    advance(JOB_SECONDS);
    expect(await status(abandoned)).toBe('Export Complete');

    const file = ((await call('GET', `/api/3/export_jobs/${polled}`)).body as { file: { '@id': string } }).file['@id'];
    const importJob = (await call('POST', '/api/3/import_jobs', { status: 'In Progress', file })).body as { uuid: string };
    expect((await call('PUT', `/api/import/${importJob.uuid}`)).status).toBe(200);
    expect(((await call('GET', `/api/3/import_jobs/${importJob.uuid}`)).body as { status: string }).status).toBe('Importing');
    advance(JOB_SECONDS);
    expect(((await call('GET', `/api/3/import_jobs/${importJob.uuid}`)).body as { status: string }).status).toBe('Import Complete');
  });
});

test.describe('FortiSOAR stub settings', () => {
  test('a reset keeps the behaviour the stub was made with', async () => {
    const { stub } = await soar({ behaviour: 'recorded' });
    stub.reset();
    expect((await stub.handle(req('GET', '/api/version'))).body).toEqual({ version: '7.6.5-5662' });
    expect((await createStub('fortisoar').handle(req('GET', '/api/version'))).body).toEqual({ version: '7.0.2-0' });
  });

  test('before 7.0.0 a collection carries the legacy paging keys without $legacy_collection_view, as the guide says', async () => {
    const keys = async (settings: Partial<FortiSoarSettings> | undefined, query = '') => {
      const { stub, auth } = await soar(settings);
      return Object.keys((await stub.handle(req('GET', `/api/3/alerts?$limit=5${query}`, undefined, auth))).body as object);
    };
    expect(await keys({ version: '6.4.4' })).toContain('hydra:itemsPerPage');
    expect(await keys({ version: '6.4.4' }, '&$legacy_collection_view=false')).not.toContain('hydra:itemsPerPage');
    expect(await keys({ version: '7.0.0' })).not.toContain('hydra:itemsPerPage');
    expect(await keys(undefined)).not.toContain('hydra:itemsPerPage');
    expect(await keys(undefined, '&$legacy_collection_view=true')).toContain('hydra:itemsPerPage');
  });

  test('refuses an unknown behaviour', () => {
    expect(() => createStub('fortisoar', undefined, { behaviour: 'guessed' as never })).toThrow(/behaviour must be documented or recorded/);
  });

  test('takes a multipart upload from the text body where the adapter has no bytes (nock)', async () => {
    const { stub, auth } = await soar();
    const boundary = 'stub-test-boundary';
    const rawBody = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\nsome notes\r\n--${boundary}--\r\n`;
    const r = await stub.handle({
      ...req('POST', '/api/3/files', rawBody, auth),
      headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ '@type': 'File', filename: 'notes.txt', mimeType: 'text/plain', size: 10 });
    const broken = await stub.handle({
      ...req('POST', '/api/3/files', 'not multipart at all', auth),
      headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(broken.status).toBe(400);
  });
});
