/**
 * `npm run cleanup` deletes what the suite wrote and nothing else (issue 15), against the HTTP
 * stub: look-alike records that existed before survive, the marked records of a run go (also
 * past the first 5,000 records of a module), and an `@id` leading elsewhere is refused. Also the
 * naming rule itself (src/client/marker.ts).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { isSuiteName, newRunId, runIdProblem, suiteName } from '../../src/client/marker.ts';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { STUB_CREDENTIALS } from '../../src/stub/credentials.ts';
import type { FortiSoarState } from '../../src/stub/fortisoar/state.ts';
import { startStubServers } from '../../src/stub/serve.ts';

const require = createRequire(import.meta.url);
const tsx = join(dirname(require.resolve('tsx/package.json')), 'dist/cli.mjs');
const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..');

const LOOK_ALIKES = [
  'conformance-suite notes kept by the SOC team',
  'Conformance-Suite-checklist',
  'conformance-suite',
  'Conformance-suite 20261122t101500-abc123 w0-1 record',
  'old conformance-suite 20261122t101500-abc123 w0-1 record',
  'conformance-suite 20261122t101500-abc123 notes',
  'conformance-suite-checklist',
  'conformance-suite-20261122t101500-abc123-notes',
];

test.describe('the naming rule', () => {
  test('names and slugs of a run match; look-alikes do not', () => {
    const run = newRunId();
    expect(runIdProblem(run)).toBeUndefined();
    const { name, slug } = suiteName(run, 3, 17, 'user 1');
    expect(name).toBe(`conformance-suite ${run} w3-17 user 1`);
    expect(slug).toBe(`conformance-suite-${run}-w3-17-user-1`);
    for (const v of [name, slug, `${slug}@example.invalid`, `${slug}.tar.gz`]) {
      expect(isSuiteName(v), v).toBe(true);
      expect(isSuiteName(v, run), v).toBe(true);
      expect(isSuiteName(v, 'other-run'), v).toBe(false);
    }
    for (const v of LOOK_ALIKES) expect(isSuiteName(v), v).toBe(false);
  });

  test('run ids are unique per run and validated', () => {
    expect(newRunId()).not.toBe(newRunId());
    expect(newRunId()).toMatch(/^\d{8}t\d{6}-[a-z0-9]{6}$/);
    expect(loadConfig({}).runId).not.toBe(loadConfig({}).runId);
    expect(loadConfig({ CONFORMANCE_RUN_ID: 'nightly-42' }).runId).toBe('nightly-42');
    for (const bad of ['Nightly', 'a b', 'x--y', '-x', 'x'.repeat(65), 'run_1']) {
      expect(() => loadConfig({ CONFORMANCE_RUN_ID: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ CONFORMANCE_RUN_ID: bad }), bad).toThrow(/^CONFORMANCE_RUN_ID:/);
    }
  });
});

function cleanup(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsx, 'scripts/cleanup.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const liveEnv = (url: string): Record<string, string> => ({
  CONFORMANCE_TARGET: 'live',
  FORTISOAR_URL: url,
  FORTISOAR_USERNAME: STUB_CREDENTIALS.fortisoar.username,
  FORTISOAR_PASSWORD: STUB_CREDENTIALS.fortisoar.password,
  FORTICASB_URL: '',
  FMBS_URL: '',
  CONFORMANCE_MAX_RPS: '1000',
});

test('cleanup deletes the marked records of a run, past 5,000 records, and none of the look-alikes', async () => {
  test.setTimeout(180_000);
  const running = await startStubServers({ port: 0, products: ['fortisoar'] });
  try {
    const state = running.stubs.get('fortisoar')!.state as FortiSoarState;
    const before = new Set<string>();
    for (const [module, records] of state.modules) for (const uuid of records.keys()) before.add(`${module}/${uuid}`);
    for (const name of LOOK_ALIKES) {
      before.add(`alerts/${state.insert('alerts', { name }).uuid}`);
      before.add(
        `people/${state.insert('people', { username: `${name.replace(/ /g, '-')}@example.invalid`, email: `${name.replace(/ /g, '.')}@example.invalid` }).uuid}`,
      );
    }
    // More than 50 pages of 100 (the old bound), the run's record last.
    for (let i = 0; i < 5_200; i++) before.add(`alerts/${state.insert('alerts', { name: `filler ${i}` }).uuid}`);
    const runA = 'ci-build-1';
    const runB = 'ci-build-2';
    const a = [
      state.insert('alerts', { name: suiteName(runA, 0, 1, 'record').name }),
      state.insert('people', { username: `${suiteName(runA, 1, 2, 'user 1').slug}@example.invalid` }),
      state.insert('export_templates', { name: suiteName(runA, 0, 3, 'export template').name }),
      state.insert('alerts', { name: suiteName(runA, 2, 9, 'last').name }),
    ];
    const b = [state.insert('alerts', { name: suiteName(runB, 0, 1, 'record').name })];
    const iris = (records: { '@id'?: unknown }[]): string[] => records.map((r) => String(r['@id']));
    const env = liveEnv(running.urls.fortisoar);

    const dry = await cleanup(env, '--run', runA, '--dry-run');
    expect(dry.code, dry.out).toBe(0);
    for (const iri of iris(a)) expect(dry.out).toContain(`would delete ${iri}`);
    expect(dry.out).toMatch(/alerts: 50 pages, 5000 of \d+ records read/);
    expect(dry.out).toContain('4 record(s) of run ci-build-1 found (dry run: nothing deleted).');
    expect(state.records('alerts').size).toBeGreaterThan(5_200);
    for (const r of a) expect(state.getByIri(r['@id'])).toBeDefined();

    const one = await cleanup(env, '--run', runA);
    expect(one.code, one.out).toBe(0);
    for (const iri of iris(a)) expect(one.out).toContain(`deleted ${iri}`);
    for (const r of a) expect(state.getByIri(r['@id'])).toBeUndefined();
    for (const r of b) expect(state.getByIri(r['@id'])).toBeDefined();

    const all = await cleanup(env);
    expect(all.code, all.out).toBe(0);
    expect(all.out).toContain(`deleted ${iris(b)[0]}`);
    const after = new Set<string>();
    for (const [module, records] of state.modules) for (const uuid of records.keys()) after.add(`${module}/${uuid}`);
    const lost = [...before].filter((k) => !after.has(k));
    expect(lost, 'records that existed before were deleted').toEqual([]);
  } finally {
    await running.close();
  }
});

test('cleanup refuses an @id on another origin or of another module, and says where a walk stopped', async () => {
  const elsewhere: string[] = [];
  const other = createServer((req, res) => {
    elsewhere.push(`${req.method} ${req.url}`);
    res.end();
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  const deletes: string[] = [];
  const fake = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === '/auth/authenticate') return send(200, { token: 'fake-token-0123456789' });
    if (req.method === 'DELETE') {
      deletes.push(path!);
      return send(204, {});
    }
    if (path === '/api/3/alerts')
      return send(200, {
        'hydra:member': [
          { '@id': `${otherUrl}/api/3/alerts/0b9a3f7e-0000-4000-8000-000000000001`, name: suiteName('run-x', 0, 1, 'a').name },
          { '@id': '/api/3/people/0b9a3f7e-0000-4000-8000-000000000002', name: suiteName('run-x', 0, 2, 'b').name },
          { '@id': '/api/3/alerts/0b9a3f7e-0000-4000-8000-000000000003', name: suiteName('run-x', 0, 3, 'c').name },
        ],
        'hydra:totalItems': 3,
      });
    if (path === '/api/3/people') return send(500, { message: 'boom' });
    return send(200, { 'hydra:member': [], 'hydra:totalItems': 0 });
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  try {
    const result = await cleanup(liveEnv(`http://127.0.0.1:${(fake.address() as AddressInfo).port}`));
    expect(result.code, result.out).toBe(1);
    expect(result.out).toMatch(/refused http:\/\/127\.0\.0\.1:\d+\/api\/3\/alerts\/\S+ .*another origin/);
    expect(result.out).toMatch(/refused \/api\/3\/people\/\S+ .*not a record of alerts/);
    expect(result.out).toContain('deleted /api/3/alerts/0b9a3f7e-0000-4000-8000-000000000003');
    expect(result.out).toMatch(/people: .*STOPPED: page 1 answered 500/);
    expect(result.out).toContain('Not every record was checked');
    expect(deletes).toEqual(['/api/3/alerts/0b9a3f7e-0000-4000-8000-000000000003']);
    expect(elsewhere).toEqual([]);
  } finally {
    await new Promise<void>((resolve) => fake.close(() => resolve()));
    await new Promise<void>((resolve) => other.close(() => resolve()));
  }
});
