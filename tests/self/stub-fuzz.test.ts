/**
 * The stub cannot be knocked over (issue 15): malformed requests over every route of `npm run
 * stub`'s servers answer 4xx, never 5xx, and the servers stay up. A smaller run of the fuzz that
 * `scripts/live-against-stub.ts` sends before its live suite, plus the requests the issue names.
 */
import { connect } from 'node:net';
import { expect, test } from '@playwright/test';
import { fuzzStubs } from '../../scripts/fuzz-stub.ts';
import { STUB_CREDENTIALS } from '../../src/stub/credentials.ts';
import { createStub } from '../../src/stub/index.ts';
import { type RunningStubs, startStubServers } from '../../src/stub/serve.ts';

let running: RunningStubs;
test.beforeAll(async () => {
  running = await startStubServers({ port: 0 });
});
test.afterAll(async () => {
  await running.close();
});

/** The status line a raw request gets ('' when the connection closes without one). */
function raw(url: string, text: string): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(u.port), u.hostname, () => socket.end(text));
    let out = '';
    socket.on('data', (d: Buffer) => {
      out += d.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(out.split('\r\n')[0] ?? ''));
  });
}

test('a request line that is not a URL is a 400, and the server goes on', async () => {
  expect(await raw(running.urls.fortisoar, 'GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toBe('HTTP/1.1 400 Bad Request');
  expect(await raw(running.urls.fortisoar, 'NOT HTTP AT ALL\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
  expect((await fetch(`${running.urls.fortisoar}/no-such-route`)).status).toBe(404);
});

test('malformed percent-encoding is a 400', async () => {
  const res = await fetch(`${running.urls.fmbs}/api/admin-audit-log-entries/%E0%A4%A`, { headers: { authorization: `Bearer ${STUB_CREDENTIALS.fmbs.token}` } });
  expect(res.status).toBe(400);
  expect((await res.json()).message).toMatch(/percent-encoding/);
});

test('JSON nested past the limit is a 400; a body over the limit a 413', async () => {
  const deep = `{"credentials":${'['.repeat(5000)}${']'.repeat(5000)}}`;
  const nested = await fetch(`${running.urls.fortisoar}/auth/authenticate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep });
  expect(nested.status).toBe(400);
  expect((await nested.json()).message).toMatch(/nests deeper than/);
  const huge = await fetch(`${running.urls.fortisoar}/auth/authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: Buffer.alloc(17 * 1024 * 1024, 0x20),
  }).then(
    (r) => r.status,
    () => 'connection closed while sending',
  );
  // The server answers 413 and stops reading; a client still sending may see the close first.
  expect([413, 'connection closed while sending']).toContain(huge);
  expect((await fetch(`${running.urls.fortisoar}/no-such-route`)).status).toBe(404);
});

test('the core refuses the same without an HTTP server (nock mounts it)', async () => {
  const stub = createStub('fmbs');
  const at = (path: string, rawBody = '') => stub.handle({ method: 'GET', path, query: new URLSearchParams(), headers: {}, rawBody });
  expect((await at('/api/admin-audit-log-entries/%zz')).status).toBe(400);
  expect((await at('/api/admin-audit-log-entries', 'x'.repeat(17 * 1024 * 1024))).status).toBe(413);
});

test('a fuzz of every route of every product answers no 5xx and leaves the servers up', async () => {
  test.setTimeout(120_000);
  const result = await fuzzStubs(running.urls, running.stubs, { perRoute: 12, hugeBodies: 1, seed: 7 });
  expect(result.problems).toEqual([]);
  expect(result.requests).toBeGreaterThan(500);
  // Malformed requests were refused, not answered as if they were fine.
  expect(result.byStatus['400'] ?? 0).toBeGreaterThan(100);
});
