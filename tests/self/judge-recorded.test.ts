/**
 * scripts/judge-recorded.ts: recorded answers are mapped to their operation by method and path
 * template and judged by the suite's own response checks. The recordings below are hand-written
 * in the format of the script's input (the shapes real FortiSOAR 7.6.x servers answer, per
 * ../shared/docs/field-notes.md), not copies of anyone's recordings.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { InputError, judgeAll, operationFor, readRecordings, type Verdict } from '../../scripts/judge-recorded.ts';
import { loadSpec, ROOT } from '../../src/spec/load.ts';

const RECORDINGS = {
  'GET /api/wf/api/workflows/{pk}/': {
    by_auth: {
      apikey: {
        captured_at: '2026-01-01',
        request_body: null,
        response_status: 200,
        response_body: {
          '@id': '/wf/api/workflows/4745/',
          '@type': 'Workflow',
          name: 'Ingest',
          status: 'finished',
          tags: 'dataingestion,ingest',
          parent_wf: null,
        },
      },
      jwt: { captured_at: '2026-01-01', gated_upstream: true, response_status: null },
    },
  },
  'GET /api/integration/connectors/healthcheck/{name}/{version}/': {
    by_auth: {
      jwt: { response_status: 200, response_body: { status: 'Available', message: 'Connector is available', name: 'imap', version: '3.5.6', config_id: null } },
    },
  },
  'GET /api/auth/cluster/health': { by_auth: { apikey: { response_status: 403, response_body: null } } },
  'GET /api/3/utils/log-collect': { response_status: 400, response_body: null },
  'POST /api/3/alerts': [
    { response_status: 201, response_body: { '@context': '/api/3/contexts/Alert', '@id': '/api/3/alerts/0f1e', '@type': 'Alert', id: 12, name: 'x' } },
    { response_status: 201, response_body: { '@type': 'Alert', name: 'no iri' } },
  ],
  'DELETE /api/3/alerts/{uuid}': { response_status: 200, response_body: { '@id': '/api/3/alerts/0f1e', '@type': 'Alert' } },
  'POST /api/public/license': { request_body: { action: 'get_status' }, response_status: 200, response_body: { depl_status: 'finished', depl_message: null } },
  'GET /api/3/contexts/Alert': { response_status: 200, response_body: { '@context': { '@vocab': '/api/3/docs.jsonld#' } } },
  'GET /api/version': { response_status: 200, response_body: { version: '7.6.5' } },
};

const byKey = (verdicts: Verdict[], key: string): Verdict[] => verdicts.filter((v) => v.recording.key === key);

test.describe('judge-recorded', () => {
  const verdicts = judgeAll('fortisoar', RECORDINGS);

  test('reads by_auth, list and single recordings, skipping those with a null status', () => {
    const recordings = readRecordings(RECORDINGS);
    expect(recordings.map((r) => `${r.key}${r.label ? ` ${r.label}` : ''}`)).toEqual([
      'GET /api/wf/api/workflows/{pk}/ apikey',
      'GET /api/integration/connectors/healthcheck/{name}/{version}/ jwt',
      'GET /api/auth/cluster/health apikey',
      'GET /api/3/utils/log-collect',
      'POST /api/3/alerts',
      'POST /api/3/alerts',
      'DELETE /api/3/alerts/{uuid}',
      'POST /api/public/license',
      'GET /api/3/contexts/Alert',
      'GET /api/version',
    ]);
  });

  test('maps a request to its operation by method and path template, the most literal template first', () => {
    const ops = loadSpec('fortisoar').operations;
    const id = (method: string, path: string) => operationFor(ops, method, path)?.operationId;
    expect(id('GET', '/api/wf/api/workflows/{pk}/')).toBe('getWorkflow');
    expect(id('GET', '/api/wf/api/workflows/29/')).toBe('getWorkflow');
    expect(id('POST', '/api/3/insert/people')).toBe('bulkInsertPeople');
    expect(id('POST', '/api/3/insert/alerts')).toBe('bulkInsert');
    expect(id('GET', '/api/3/import_jobs/{uuid}')).toBe('getImportJob');
    expect(id('GET', '/api/3/alerts/{uuid}')).toBe('getRecord');
    expect(id('GET', '/api/auth/cluster/health/')).toBe('getClusterHealth');
    expect(id('GET', '/api/version')).toBeUndefined();
  });

  test('accepts what real servers send where the documents are silent: tags as a string, no integer id, a null config_id', () => {
    expect(byKey(verdicts, 'GET /api/wf/api/workflows/{pk}/').map((v) => v.kind)).toEqual(['accepted']);
    expect(byKey(verdicts, 'GET /api/integration/connectors/healthcheck/{name}/{version}/').map((v) => v.kind)).toEqual(['accepted']);
    expect(byKey(verdicts, 'POST /api/public/license').map((v) => v.kind)).toEqual(['accepted']);
  });

  test('judges a refusal by the documented status that accepts it (401, 403 accepted)', () => {
    const [v] = byKey(verdicts, 'GET /api/auth/cluster/health');
    expect(v).toMatchObject({ kind: 'accepted', status: '401' });
  });

  test('judges only the status of an error whose body the recorder did not keep', () => {
    const [v] = byKey(verdicts, 'GET /api/3/utils/log-collect');
    expect(v).toMatchObject({ kind: 'accepted', status: '400', note: 'status only: no body recorded' });
  });

  test('rejects what a document sentence rules out, with the check that says why', () => {
    const [good, bad] = byKey(verdicts, 'POST /api/3/alerts');
    expect(good.kind).toBe('accepted');
    expect(bad.kind).toBe('rejected');
    expect(bad.kind === 'rejected' && bad.reason).toContain('missing required property "@id"');
    const [deleted] = byKey(verdicts, 'DELETE /api/3/alerts/{uuid}');
    expect(deleted.kind === 'rejected' && deleted.reason).toMatch(/^\[status\] DELETE \/api\/3\/\{collection\}\/\{uuid\}: 200 is not a documented status/);
  });

  test('leaves out requests of operations the specs do not document', () => {
    expect(byKey(verdicts, 'GET /api/version').map((v) => v.kind)).toEqual(['undocumented']);
    const [context] = byKey(verdicts, 'GET /api/3/contexts/Alert');
    expect(context.kind === 'undocumented' && context.reason).toContain('@context');
  });

  test('judges other products with --product: an FMBS page whose token is null on the empty page', () => {
    const [v] = judgeAll('fmbs', { 'GET /api/admin-audit-log-entries': { response_status: 200, response_body: { items: [], nextPageToken: null } } });
    expect(v.kind).toBe('accepted');
  });

  test('refuses input that is not in the format', () => {
    expect(() => readRecordings([])).toThrow(InputError);
    expect(() => readRecordings({ 'FETCH /x': { response_status: 200 } })).toThrow(/METHOD \/path/);
    expect(() => readRecordings({ 'GET /x': { response_status: '200' } })).toThrow(/integer or null/);
  });

  test('the command prints each rejection and exits 1, 0 when every answer is accepted', () => {
    const require = createRequire(import.meta.url);
    const tsx = join(dirname(require.resolve('tsx/package.json')), 'dist/cli.mjs');
    const dir = mkdtempSync(join(tmpdir(), 'judge-recorded-'));
    try {
      const all = join(dir, 'all.json');
      writeFileSync(all, JSON.stringify(RECORDINGS));
      const run = spawnSync(process.execPath, [tsx, 'scripts/judge-recorded.ts', all], { cwd: ROOT, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(1);
      expect(run.stdout).toContain('REJECTED  POST /api/3/alerts → 201  (createRecord)');
      expect(run.stdout).toContain(
        '8 recorded answer(s) of documented operations: 6 accepted, 2 rejected; 2 answer(s) of operations the specs do not document.',
      );
      const good = join(dir, 'good.json');
      writeFileSync(good, JSON.stringify({ 'GET /api/wf/api/workflows/{pk}/': RECORDINGS['GET /api/wf/api/workflows/{pk}/'] }));
      expect(spawnSync(process.execPath, [tsx, 'scripts/judge-recorded.ts', good], { cwd: ROOT }).status).toBe(0);
      writeFileSync(good, '{');
      expect(spawnSync(process.execPath, [tsx, 'scripts/judge-recorded.ts', good], { cwd: ROOT }).status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
