/**
 * The stub as a stand-in for real servers (issue 7, ../shared/docs/field-notes.md): the calls
 * public clients make (pyfsr, Fortinet's FortiCASB connector, an OAuth2 FMBS client), sent with
 * fetch to the HTTP servers of `npm run stub`, in the order and shape those clients send them.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { STUB_CREDENTIALS } from '../../src/stub/credentials.ts';
import { RECORDED_DIFFERENCES } from '../../src/stub/fortisoar/settings.ts';
import { createStub } from '../../src/stub/index.ts';
import { type RunningStubs, startStubServers } from '../../src/stub/serve.ts';
import { generateSelfSignedCertificate } from '../../src/stub/tls.ts';

type Json = Record<string, any>;

const TSX = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/cli.mjs');

const SERVED_KEY = 'served-api-key-for-the-test';
const C = STUB_CREDENTIALS;
const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

let running: RunningStubs;
test.beforeAll(async () => {
  running = await startStubServers({ port: 0, apiKey: SERVED_KEY });
});
test.afterAll(async () => {
  await running.close();
});

async function call(
  product: 'fortisoar' | 'forticasb' | 'fmbs',
  method: string,
  path: string,
  init: { headers?: Record<string, string>; json?: unknown; form?: Record<string, string>; multipart?: FormData; base?: string } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | FormData | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  } else if (init.multipart !== undefined) {
    body = init.multipart; // fetch writes multipart/form-data with its boundary, as requests' files= does
  }
  const res = await fetch(`${init.base ?? running.urls[product]}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Json, headers: res.headers };
}

// ── FortiSOAR ─────────────────────────────────────────────────────────────────────────────────

async function soarLogin(): Promise<Record<string, string>> {
  const r = await call('fortisoar', 'POST', '/auth/authenticate', { json: { credentials: { loginid: C.fortisoar.username, password: C.fortisoar.password } } });
  expect(r.status).toBe(200);
  return { authorization: `Bearer ${r.body.token}` };
}
const apiKey = (key: string) => ({ authorization: `API-KEY ${key}` });
const soar = async (method: string, path: string, json?: unknown, headers?: Record<string, string>) =>
  call('fortisoar', method, path, { json, headers: headers ?? (await soarLogin()) });

/** The IRI of `itemValue` in the picklist `listName`, looked up as pyfsr does: picklist_names by name, then its items. */
async function picklistItem(auth: Record<string, string>, listName: string, itemValue: string): Promise<string> {
  const names = await call('fortisoar', 'GET', `/api/3/picklist_names?name=${encodeURIComponent(listName)}`, { headers: auth });
  expect(names.body['hydra:member']).toHaveLength(1);
  const listIri = names.body['hydra:member'][0]['@id'];
  const items = await call('fortisoar', 'GET', `/api/3/picklists?listName=${encodeURIComponent(listIri)}&$limit=100`, { headers: auth });
  const item = items.body['hydra:member'].find((i: Json) => i.itemValue === itemValue);
  expect(item, `${listName} has ${itemValue}`).toBeTruthy();
  return item['@id'];
}

test.describe('FortiSOAR stub for clients', () => {
  test('accepts API-KEY on /api/3, /api/query, /api/wf and /api/integration, and answers 403 on /api/auth', async () => {
    for (const key of [C.fortisoar.apiKey, SERVED_KEY]) {
      expect((await soar('GET', '/api/3/people', undefined, apiKey(key))).status).toBe(200);
      expect((await soar('POST', '/api/query/alerts', { logic: 'AND', filters: [] }, apiKey(key))).status).toBe(200);
      expect((await soar('GET', '/api/wf/api/workflows/?format=json', undefined, apiKey(key))).status).toBe(200);
      expect((await soar('GET', '/api/integration/connectors/', undefined, apiKey(key))).status).toBe(200);
      for (const path of ['/api/auth/license', '/api/auth/cluster/health']) {
        const refused = await soar('GET', path, undefined, apiKey(key));
        expect(refused.status, path).toBe(403);
        expect(refused.body.message).toContain('/auth/authenticate');
      }
    }
    expect((await soar('GET', '/api/3/people', undefined, apiKey('not-a-key'))).status).toBe(401);
  });

  test('lists its API keys in GET /api/3/api_keys without showing them', async () => {
    const keys = await soar('GET', '/api/3/api_keys');
    expect(keys.status).toBe(200);
    expect(keys.body['hydra:member'].map((k: Json) => k.name)).toEqual(expect.arrayContaining(['stub well-known API key', 'npm run stub API key']));
    for (const k of keys.body['hydra:member']) expect(k).toMatchObject({ '@type': 'ApiKey', userId: expect.any(String), roles: [], teams: [] });
    expect(JSON.stringify(keys.body)).not.toContain(SERVED_KEY);
  });

  test('the in-process stub accepts the well-known API key', async () => {
    const stub = createStub('fortisoar');
    const r = await stub.handle({
      method: 'GET',
      path: '/api/3/alerts',
      query: new URLSearchParams('$limit=1'),
      headers: apiKey(C.fortisoar.apiKey),
      rawBody: '',
    });
    expect(r.status).toBe(200);
  });

  test('serves the seeded picklists by name and by list, items carrying listName and itemValue', async () => {
    const auth = await soarLogin();
    for (const [listName, someItem] of [
      ['Severity', 'Critical'],
      ['AlertStatus', 'Open'],
      ['Priority', 'High'],
      ['TaskPriority', 'Low'],
    ] as const) {
      const names = await call('fortisoar', 'GET', `/api/3/picklist_names?name=${listName}`, { headers: auth });
      expect(names.body['@type']).toBe('hydra:Collection');
      const list = names.body['hydra:member'][0];
      expect(list).toMatchObject({ '@type': 'PicklistName', name: listName });
      const items = await call('fortisoar', 'GET', `/api/3/picklists?listName=${encodeURIComponent(list['@id'])}`, { headers: auth });
      expect(items.body['hydra:member'].length).toBeGreaterThan(1);
      for (const item of items.body['hydra:member']) expect(item).toMatchObject({ '@type': 'Picklist', listName: list['@id'], itemValue: expect.any(String) });
      expect(items.body['hydra:member'].map((i: Json) => i.itemValue)).toContain(someItem);
      // pyfsr looks items up through the list's name too.
      const byName = await call('fortisoar', 'GET', `/api/3/picklists?listName.name=${listName}`, { headers: auth });
      expect(byName.body['hydra:totalItems']).toBe(items.body['hydra:totalItems']);
    }
  });

  test('describes modules in staging_model_metadatas with the picklist each field binds to', async () => {
    const meta = await soar('GET', '/api/3/staging_model_metadatas?$limit=2147483647&$orderby=type&$relationships=true');
    const alerts = meta.body['hydra:member'].find((m: Json) => m.type === 'alerts');
    const severity = alerts.attributes.find((a: Json) => a.name === 'severity');
    expect(severity.dataSource.query.filters).toContainEqual(expect.objectContaining({ field: 'listName__name', value: 'Severity' }));
  });

  test('creates, reads, updates and deletes a record as real servers answer', async () => {
    const auth = await soarLogin();
    const high = await picklistItem(auth, 'Severity', 'High');
    const open = await picklistItem(auth, 'AlertStatus', 'Open');
    const created = await call('fortisoar', 'POST', '/api/3/alerts', { headers: auth, json: { name: 'client CRUD', severity: high, status: open } });
    expect(created.status).toBe(201);
    const alert = created.body;
    expect(alert['@context']).toBe('/api/3/contexts/Alert');
    expect(alert).toMatchObject({ '@type': 'Alert', uuid: expect.any(String), id: expect.any(Number), createDate: expect.any(Number) });
    expect(alert.severity).toMatchObject({ '@id': high, '@type': 'Picklist', itemValue: 'High', orderIndex: expect.any(Number) });
    expect(alert.status).toMatchObject({ '@id': open, itemValue: 'Open' });
    for (const who of ['createUser', 'modifyUser'])
      expect(alert[who]).toMatchObject({ '@id': expect.stringMatching(/^\/api\/3\/people\//), '@type': 'Person' });
    for (const rel of ['assets', 'indicators', 'tasks', 'comments', 'incidents']) expect(alert[rel], rel).toEqual([]);

    const got = await call('fortisoar', 'GET', alert['@id'], { headers: auth });
    expect(got.body['@context']).toBe('/api/3/contexts/Alert');
    expect(got.body.severity['@id']).toBe(high);

    // A reference sent back expanded, as the client received it, is taken by its @id.
    const critical = await picklistItem(auth, 'Severity', 'Critical');
    const updated = await call('fortisoar', 'PUT', alert['@id'], {
      headers: auth,
      json: { severity: { '@id': critical, itemValue: 'Critical' }, status: got.body.status },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'client CRUD', severity: { '@id': critical, itemValue: 'Critical' }, '@context': '/api/3/contexts/Alert' });

    expect((await call('fortisoar', 'DELETE', alert['@id'], { headers: auth })).status).toBe(204);
    expect((await call('fortisoar', 'GET', alert['@id'], { headers: auth })).status).toBe(404);
  });

  test("refuses a plain string or another list's item in a picklist field", async () => {
    const auth = await soarLogin();
    const open = await picklistItem(auth, 'AlertStatus', 'Open');
    for (const severity of ['High', open, '/api/3/picklists/00000000-0000-4000-8000-000000000000']) {
      const r = await call('fortisoar', 'POST', '/api/3/alerts', { headers: auth, json: { name: 'bad severity', severity } });
      expect(r.status, JSON.stringify(severity)).toBe(400);
      expect(r.body.message).toContain('"Severity" picklist');
    }
    const bulk = await call('fortisoar', 'POST', '/api/3/insert/alerts', {
      headers: auth,
      json: { data: [{ name: 'bulk ok' }, { name: 'bulk bad', severity: 'High' }] },
    });
    expect(bulk.status).toBe(207);
    expect(bulk.body.failure).toEqual([expect.stringMatching(/^POST method for object at index #1 in the request payload failed with error: .*Severity/)]);
    for (const r of bulk.body.success) await call('fortisoar', 'DELETE', r['@id'], { headers: auth });
  });

  test('answers collections typed hydra:Collection with a hydra:view whose links encode $', async () => {
    const r = await soar('GET', '/api/3/alerts?$limit=2&$page=2');
    expect(r.body['@type']).toBe('hydra:Collection');
    expect(r.body['hydra:member']).toHaveLength(2);
    expect(r.body['hydra:view']).toMatchObject({
      '@type': 'hydra:PartialCollectionView',
      '@id': '/api/3/alerts?%24limit=2&%24page=2',
      'hydra:first': '/api/3/alerts?%24limit=2&%24page=1',
      'hydra:next': '/api/3/alerts?%24limit=2&%24page=3',
      'hydra:last': expect.stringMatching(/^\/api\/3\/alerts\?%24limit=2&%24page=\d+$/),
    });
  });

  test('links and unlinks by update with __link and __unlink, and by a relation field on create', async () => {
    const auth = await soarLogin();
    const incident = (await call('fortisoar', 'POST', '/api/3/incidents', { headers: auth, json: { name: 'client linking' } })).body;
    const asset = (await call('fortisoar', 'POST', '/api/3/assets', { headers: auth, json: { hostname: 'client-linking.example' } })).body;
    const assetsOf = async () =>
      (await call('fortisoar', 'GET', `${incident['@id']}/assets`, { headers: auth })).body['hydra:member'].map((a: Json) => a['@id']);

    const linked = await call('fortisoar', 'PUT', incident['@id'], { headers: auth, json: { __link: { assets: [asset['@id']] } } });
    expect(linked.status).toBe(200);
    expect(linked.body.assets).toEqual([asset['@id']]);
    expect(await assetsOf()).toEqual([asset['@id']]);
    expect((await call('fortisoar', 'GET', `${asset['@id']}/incidents`, { headers: auth })).body['hydra:totalItems']).toBe(1);

    const unlinked = await call('fortisoar', 'PUT', incident['@id'], { headers: auth, json: { __unlink: { assets: [asset['@id']] } } });
    expect(unlinked.body.assets).toEqual([]);
    expect(await assetsOf()).toEqual([]);
    expect(
      (await call('fortisoar', 'PUT', incident['@id'], { headers: auth, json: { __link: { assets: ['/api/3/assets/00000000-0000-4000-8000-000000000000'] } } }))
        .status,
    ).toBe(400);

    // pyfsr creates a task linked to its parent with the parent module as a field: {"incidents": [iri]}.
    const task = await call('fortisoar', 'POST', '/api/3/tasks', { headers: auth, json: { name: 'client task', incidents: [incident['@id']] } });
    expect(task.status).toBe(201);
    expect(task.body.incidents).toEqual([incident['@id']]);
    expect((await call('fortisoar', 'GET', `${incident['@id']}/tasks`, { headers: auth })).body['hydra:member'].map((t: Json) => t['@id'])).toEqual([
      task.body['@id'],
    ]);
    for (const r of [task.body, asset, incident]) await call('fortisoar', 'DELETE', r['@id'], { headers: auth });
  });

  test('queries records with logic, nested filters, operators, sort and aggregates, paged by $limit and $page', async () => {
    const auth = await soarLogin();
    const marker = `client query ${Date.now()}`;
    const sev = {
      High: await picklistItem(auth, 'Severity', 'High'),
      Low: await picklistItem(auth, 'Severity', 'Low'),
      Critical: await picklistItem(auth, 'Severity', 'Critical'),
    };
    const made: Json[] = [];
    for (const [i, s] of (['High', 'Low', 'Critical', 'High'] as const).entries()) {
      made.push((await call('fortisoar', 'POST', '/api/3/alerts', { headers: auth, json: { name: `${marker} ${i}`, severity: sev[s] } })).body);
    }
    const query = (body: unknown, qs = '') => call('fortisoar', 'POST', `/api/query/alerts${qs}`, { headers: auth, json: body });

    const q = {
      logic: 'AND',
      filters: [
        { field: 'name', operator: 'contains', value: marker },
        {
          logic: 'OR',
          filters: [
            { field: 'severity.itemValue', operator: 'eq', value: 'High' },
            { field: 'severity.itemValue', operator: 'eq', value: 'Critical' },
          ],
        },
      ],
      sort: [{ field: 'name', direction: 'DESC' }],
      limit: 1, // ignored: paging is in the query string
    };
    const page1 = await query(q, '?$limit=2&$page=1');
    expect(page1.status).toBe(200);
    expect(page1.body['@type']).toBe('hydra:Collection');
    expect(page1.body['hydra:totalItems']).toBe(3);
    expect(page1.body['hydra:member'].map((a: Json) => a.name)).toEqual([`${marker} 3`, `${marker} 2`]);
    expect(page1.body['hydra:member'][0].severity).toMatchObject({ '@id': sev.High, itemValue: 'High' });
    expect(page1.body['hydra:view']['hydra:next']).toBe('/api/query/alerts?%24limit=2&%24page=2');
    const page2 = await query(q, '?$limit=2&$page=2');
    expect(page2.body['hydra:member'].map((a: Json) => a.name)).toEqual([`${marker} 0`]);
    expect(page2.body['hydra:view']['hydra:next']).toBeUndefined();

    const cases: [string, unknown[], number][] = [
      ['neq', [{ field: 'severity.itemValue', operator: 'neq', value: 'High' }], 2],
      ['ncontains', [{ field: 'name', operator: 'ncontains', value: `${marker} 1` }], 3],
      ['in', [{ field: 'severity', operator: 'in', value: [sev.Low, sev.Critical] }], 2],
      ['gte', [{ field: 'id', operator: 'gte', value: made[2]!.id }], 2],
      ['lte', [{ field: 'id', operator: 'lte', value: made[0]!.id }], 1],
    ];
    for (const [name, filters, expected] of cases) {
      const r = await query({ logic: 'AND', filters: [{ field: 'name', operator: 'contains', value: marker }, ...filters] });
      expect(r.body['hydra:totalItems'], name).toBe(expected);
    }
    const or = await query({
      logic: 'OR',
      filters: [
        { field: 'name', operator: 'eq', value: `${marker} 0` },
        { field: 'name', operator: 'eq', value: `${marker} 1` },
      ],
    });
    expect(or.body['hydra:totalItems']).toBe(2);

    const groups = await query({
      filters: [{ field: 'name', operator: 'contains', value: marker }],
      aggregates: [
        { operator: 'groupBy', field: 'severity.itemValue' },
        { operator: 'count', field: 'id' },
      ],
    });
    expect(groups.body['hydra:member']).toEqual(
      expect.arrayContaining([
        { 'severity.itemValue': 'High', count: 2 },
        { 'severity.itemValue': 'Low', count: 1 },
        { 'severity.itemValue': 'Critical', count: 1 },
      ]),
    );

    expect((await query({ filters: [{ field: 'name', operator: 'sounds-like', value: 'x' }] })).status).toBe(400);
    expect((await query({ filters: [] }, '?$limit=0')).status).toBe(400);
    expect((await call('fortisoar', 'POST', '/api/query/no_such_module', { headers: auth, json: {} })).status).toBe(404);
    for (const r of made) await call('fortisoar', 'DELETE', r['@id'], { headers: auth });
  });

  test('answers licence details at GET /api/auth/license and the cluster health to a logged-in client', async () => {
    const licence = await soar('GET', '/api/auth/license');
    expect(licence.status).toBe(200);
    expect(licence.body).toMatchObject({ expired: false, nodes: expect.any(Object) });
    const health = await soar('GET', '/api/auth/cluster/health');
    expect(health.status).toBe(200);
    expect(Array.isArray(health.body)).toBe(true);
  });
});

const NO_SUCH = '00000000-0000-4000-8000-000000000000';

/** The stub's admin person, as clients find a user to assign: GET /api/3/people?username=. */
async function adminPerson(auth: Record<string, string>): Promise<string> {
  const people = await call('fortisoar', 'GET', '/api/3/people?username=csadmin', { headers: auth });
  expect(people.body['hydra:member']).toHaveLength(1);
  return people.body['hydra:member'][0]['@id'];
}

test.describe('FortiSOAR stub for clients: references', () => {
  test('refuses a create, update, upsert or relationship append whose reference points at nothing (400 naming the field)', async () => {
    const auth = await soarLogin();
    const csadmin = await adminPerson(auth);
    const nobody = `/api/3/people/${NO_SUCH}`;
    for (const assignedTo of [nobody, { '@id': nobody, '@type': 'Person' }]) {
      const r = await call('fortisoar', 'POST', '/api/3/alerts', { headers: auth, json: { name: 'client bad reference', assignedTo } });
      expect(r.status, JSON.stringify(assignedTo)).toBe(400);
      expect(r.body.message).toContain('"assignedTo"');
      expect(r.body.message).toContain(nobody);
    }
    // Any field holding the IRI of a module the stub holds is a reference, lookup field or not.
    const other = await call('fortisoar', 'POST', '/api/3/incidents', {
      headers: auth,
      json: { name: 'client bad reference', relatedAsset: `/api/3/assets/${NO_SUCH}` },
    });
    expect(other.status).toBe(400);
    expect(other.body.message).toContain('relatedAsset');
    // A lookup field takes a record of its module only.
    const alert0 = (await call('fortisoar', 'GET', '/api/3/alerts?$limit=1', { headers: auth })).body['hydra:member'][0];
    const wrongModule = await call('fortisoar', 'POST', '/api/3/alerts', { headers: auth, json: { name: 'client wrong module', assignedTo: alert0['@id'] } });
    expect(wrongModule.status).toBe(400);
    expect(wrongModule.body.message).toContain('people');

    const good = await call('fortisoar', 'POST', '/api/3/alerts', { headers: auth, json: { name: 'client assigned alert', assignedTo: csadmin } });
    expect(good.status).toBe(201);
    expect(good.body.assignedTo).toMatchObject({ '@id': csadmin, '@type': 'Person' });
    const iri = good.body['@id'];
    expect((await call('fortisoar', 'PUT', iri, { headers: auth, json: { assignedTo: nobody } })).status).toBe(400);
    expect(
      (await call('fortisoar', 'POST', '/api/3/upsert/alerts', { headers: auth, json: { name: 'client upsert bad ref', assignedTo: nobody } })).status,
    ).toBe(400);
    const append = await call('fortisoar', 'POST', `${iri}/assets`, { headers: auth, json: { '@id': `/api/3/assets/${NO_SUCH}` } });
    expect(append.status).toBe(400);
    expect(append.body.message).toContain(`/api/3/assets/${NO_SUCH}`);
    // Nothing of the refused calls was stored.
    expect((await call('fortisoar', 'GET', iri, { headers: auth })).body.assignedTo['@id']).toBe(csadmin);
    expect(
      (await call('fortisoar', 'GET', `/api/3/alerts?name=${encodeURIComponent('client upsert bad ref')}`, { headers: auth })).body['hydra:totalItems'],
    ).toBe(0);
    await call('fortisoar', 'DELETE', iri, { headers: auth });
  });

  test('names the bulk row whose reference points at nothing: 207 for insert, update and upsert, 400 when no upsert row succeeds', async () => {
    const auth = await soarLogin();
    const csadmin = await adminPerson(auth);
    const nobody = `/api/3/people/${NO_SUCH}`;
    const insert = await call('fortisoar', 'POST', '/api/3/insert/alerts', {
      headers: auth,
      json: {
        data: [
          { name: 'client bulk ok', assignedTo: csadmin },
          { name: 'client bulk bad ref', assignedTo: nobody },
        ],
      },
    });
    expect(insert.status).toBe(207);
    expect(insert.body.success).toHaveLength(1);
    expect(insert.body.failure).toEqual([expect.stringMatching(/^POST method for object at index #1 in the request payload failed with error: .*assignedTo/)]);
    const kept = insert.body.success[0]['@id'];

    const update = await call('fortisoar', 'PUT', '/api/3/update/alerts', {
      headers: auth,
      json: {
        data: [
          { '@id': kept, assignedTo: { '@id': nobody } },
          { '@id': kept, description: 'client bulk update ok' },
        ],
      },
    });
    expect(update.status).toBe(207);
    expect(update.body.failure).toEqual([expect.stringMatching(/^PUT method for object at index #0 .*assignedTo/)]);

    const partial = await call('fortisoar', 'POST', '/api/3/bulkupsert/alerts', {
      headers: auth,
      json: [
        { name: 'client bulkupsert bad ref', assignedTo: nobody },
        { name: 'client bulkupsert ok', assignedTo: csadmin },
      ],
    });
    expect(partial.status).toBe(207);
    expect(partial.body.failure).toEqual([expect.stringMatching(/index #0 .*assignedTo/)]);
    const none = await call('fortisoar', 'POST', '/api/3/bulkupsert/alerts', {
      headers: auth,
      json: [
        { name: 'a', assignedTo: nobody },
        { name: 'b', owner: `/api/3/teams/${NO_SUCH}` },
      ],
    });
    expect(none.status).toBe(400);
    for (const r of [...insert.body.success, ...partial.body.success]) await call('fortisoar', 'DELETE', r['@id'], { headers: auth });
  });
});

test.describe('FortiSOAR stub for clients: upsert by the module uniqueness', () => {
  test('shows each module uniqueness in staging_model_metadatas as real servers do (uniqueConstraint)', async () => {
    const meta = (await soar('GET', '/api/3/staging_model_metadatas?$limit=100')).body['hydra:member'] as Json[];
    expect(meta.find((m) => m.type === 'alerts')!.uniqueConstraint).toEqual([{ alerts_unique: { columns: ['sourceId'] } }]);
    expect(meta.find((m) => m.type === 'incidents')!.uniqueConstraint).toEqual([]);
  });

  test('updates the alert with the same sourceId (single and bulk) and inserts otherwise', async () => {
    const auth = await soarLogin();
    const sourceId = `client-upsert-${Date.now()}`;
    const first = await call('fortisoar', 'POST', '/api/3/upsert/alerts', { headers: auth, json: { name: 'client upsert v1', sourceId } });
    expect(first.status).toBe(200);
    const second = await call('fortisoar', 'POST', '/api/3/upsert/alerts', { headers: auth, json: { name: 'client upsert v2', sourceId } });
    expect(second.status).toBe(200);
    expect(second.body['@id']).toBe(first.body['@id']);
    expect(second.body.name).toBe('client upsert v2');
    const bySource = async (id: string) => (await call('fortisoar', 'GET', `/api/3/alerts?sourceId=${id}`, { headers: auth })).body['hydra:member'] as Json[];
    expect(await bySource(sourceId)).toHaveLength(1);

    // A seeded alert (sourceId stub-siem-1001) is updated by a bulk row carrying its sourceId; a new sourceId inserts.
    const [seeded] = await bySource('stub-siem-1001');
    const fresh = `${sourceId}-bulk`;
    const bulk = await call('fortisoar', 'POST', '/api/3/bulkupsert/alerts', {
      headers: auth,
      json: [
        { sourceId: 'stub-siem-1001', description: 'client bulk upsert updated it' },
        { sourceId: fresh, name: 'client bulk upsert inserted' },
      ],
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.success.map((r: Json) => r['@id'])).toEqual([seeded!['@id'], expect.any(String)]);
    expect((await bySource('stub-siem-1001'))[0]).toMatchObject({ '@id': seeded!['@id'], name: seeded!.name, description: 'client bulk upsert updated it' });
    expect(await bySource(fresh)).toHaveLength(1);

    // A null sourceId (the guide's example body) identifies nothing: each upsert inserts.
    const a = await call('fortisoar', 'POST', '/api/3/upsert/alerts', { headers: auth, json: { name: 'client upsert null source', sourceId: null } });
    const b = await call('fortisoar', 'POST', '/api/3/upsert/alerts', { headers: auth, json: { name: 'client upsert null source', sourceId: null } });
    expect(a.body['@id']).not.toBe(b.body['@id']);

    // A plain create cannot duplicate the unique fields.
    const dup = await call('fortisoar', 'POST', '/api/3/alerts', { headers: auth, json: { name: 'client duplicate', sourceId } });
    expect(dup.status).toBe(400);
    expect(dup.body.message).toContain(first.body['@id']);
    for (const r of [first.body, a.body, b.body, ...(await bySource(fresh))]) await call('fortisoar', 'DELETE', r['@id'], { headers: auth });
  });

  test('always inserts into a module without uniqueness', async () => {
    const auth = await soarLogin();
    const body = { name: `client incident upsert ${Date.now()}`, sourceId: 'same' };
    const one = await call('fortisoar', 'POST', '/api/3/upsert/incidents', { headers: auth, json: body });
    const two = await call('fortisoar', 'POST', '/api/3/upsert/incidents', { headers: auth, json: body });
    const bulk = await call('fortisoar', 'POST', '/api/3/bulkupsert/incidents', { headers: auth, json: [body] });
    const ids = [one.body['@id'], two.body['@id'], bulk.body.success[0]['@id']];
    expect(new Set(ids).size).toBe(3);
    for (const iri of ids) await call('fortisoar', 'DELETE', iri, { headers: auth });
  });
});

test.describe('FortiSOAR stub for clients: files, version, licence status', () => {
  test('takes a multipart upload in the "file" part (201, the file record) and gives the bytes back', async () => {
    const auth = await soarLogin();
    const bytes = Buffer.from([...Array(256).keys()]); // every byte value, CR LF and dashes included
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'application/octet-stream' }), 'client evidence.bin');
    const up = await call('fortisoar', 'POST', '/api/3/files', { headers: auth, multipart: form });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({
      '@context': '/api/3/contexts/File',
      '@id': expect.stringMatching(/^\/api\/3\/files\/[0-9a-f-]{36}$/),
      '@type': 'File',
      filename: 'client evidence.bin',
      mimeType: 'application/octet-stream',
      size: 256,
      uploadDate: expect.any(Number),
    });
    const got = await fetch(`${running.urls.fortisoar}${up.body['@id']}`, { headers: { ...auth, accept: 'application/octet-stream' } });
    expect(Buffer.from(await got.arrayBuffer())).toEqual(bytes);
    expect((await call('fortisoar', 'GET', up.body['@id'], { headers: auth })).body.filename).toBe('client evidence.bin');
    // The attachment pyfsr creates from it.
    const attachment = await call('fortisoar', 'POST', '/api/3/attachments', { headers: auth, json: { name: 'client attachment', file: up.body['@id'] } });
    expect(attachment.status).toBe(201);
    expect((await call('fortisoar', 'POST', '/api/3/attachments', { headers: auth, json: { name: 'x', file: `/api/3/files/${NO_SUCH}` } })).status).toBe(400);
    await call('fortisoar', 'DELETE', attachment.body['@id'], { headers: auth });
  });

  test('refuses an upload that is not multipart or has no "file" part, naming what it takes', async () => {
    const auth = await soarLogin();
    const json = await call('fortisoar', 'POST', '/api/3/files', { headers: auth, json: { file: 'x' } });
    expect(json.status).toBe(400);
    expect(json.body.message).toContain('multipart/form-data');
    const form = new FormData();
    form.append('attachment', new Blob(['x']), 'x.txt');
    const noFile = await call('fortisoar', 'POST', '/api/3/files', { headers: auth, multipart: form });
    expect(noFile.status).toBe(400);
    expect(noFile.body.message).toContain('"file"');
  });

  test('imports an uploaded configuration file to "Import Complete"', async () => {
    const auth = await soarLogin();
    const form = new FormData();
    form.append('file', new Blob([JSON.stringify({ modules: ['alerts'], picklists: ['Severity'] })], { type: 'application/json' }), 'configuration.json');
    const file = (await call('fortisoar', 'POST', '/api/3/files', { headers: auth, multipart: form })).body;
    const job = await call('fortisoar', 'POST', '/api/3/import_jobs', { headers: auth, json: { status: 'In Progress', file: file['@id'] } });
    expect(job.status).toBe(201);
    const uuid = job.body['@id'].split('/').pop();
    expect((await call('fortisoar', 'GET', `/api/import/${uuid}`, { headers: auth })).status).toBe(200);
    const withOptions = await call('fortisoar', 'GET', `/api/3/import_jobs/${uuid}`, { headers: auth });
    expect(withOptions.body.options).toMatchObject({ modules: ['alerts'], picklists: ['Severity'] });
    expect((await call('fortisoar', 'PUT', `/api/import/${uuid}`, { headers: auth })).status).toBe(200);
    let status = '';
    for (let poll = 0; poll < 5 && status !== 'Import Complete'; poll++)
      status = (await call('fortisoar', 'GET', `/api/3/import_jobs/${uuid}`, { headers: auth })).body.status;
    expect(status).toBe('Import Complete');
  });

  test('answers GET /api/version without credentials', async () => {
    const r = await call('fortisoar', 'GET', '/api/version');
    expect(r).toMatchObject({ status: 200, body: { version: expect.stringMatching(/^\d+\.\d+\.\d+-\d+$/) } });
  });

  test('answers the licence status for the receiving node without a nodeId, and refuses an unknown node naming the known ones', async () => {
    const self = await call('fortisoar', 'POST', '/api/public/license', { json: { action: 'get_status' } });
    expect(self.status).toBe(200);
    expect(self.body).toMatchObject({ depl_status: 'finished', depl_info: expect.any(Object) });
    const nodes = Object.keys((await soar('GET', '/api/auth/license?param=license_details')).body.nodes);
    const guideExample = await call('fortisoar', 'POST', '/api/public/license', { json: { nodeId: '0961991714b6089a1d31983ea76f869e', action: 'get_status' } });
    expect(guideExample.status).toBe(400);
    for (const id of ['0961991714b6089a1d31983ea76f869e', ...nodes]) expect(guideExample.body.message).toContain(id);
    expect((await call('fortisoar', 'POST', '/api/public/license', { json: { nodeId: nodes[0], action: 'get_status' } })).status).toBe(200);
  });

  test('answers what lies outside the documents with a 404 naming the route', async () => {
    for (const path of ['/api/permissions/current', '/cyops_version.json', '/api/3/solutionpacks']) {
      const r = await soar('GET', path);
      expect(r.status, path).toBe(404);
      expect(r.body.message, path).toMatch(/no (GET \/|module ")/);
    }
  });

  test('answers a method a documented path does not take, and a module it does not hold, with a 404 naming the method and path', async () => {
    const auth = await soarLogin();
    // The fortisoar-api-docs harness installs a connector with POST /api/3/solutionpacks/install
    // and lists configurations with GET /api/integration/configuration/; pyfsr and the harness
    // read system modules (system_settings, user_queries) and query solution packs.
    const calls: [string, string, string][] = [
      ['POST', '/api/3/solutionpacks/install?%24type=connector&%24replace=true', 'the fortisoar stub implements no POST /api/3/solutionpacks/install'],
      ['GET', '/api/integration/configuration/', 'the fortisoar stub implements no GET /api/integration/configuration'],
      ['GET', '/api/3/system_settings?%24relationships=true', 'the fortisoar stub implements no GET /api/3/system_settings'],
      ['GET', '/api/3/user_queries', 'the fortisoar stub implements no GET /api/3/user_queries'],
      ['POST', '/api/query/solutionpacks?$limit=1&$page=1&$search=', 'the fortisoar stub implements no POST /api/query/solutionpacks'],
    ];
    for (const [method, path, says] of calls) {
      const r = await call('fortisoar', method, path, { headers: auth, json: method === 'POST' ? {} : undefined });
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.message, `${method} ${path}`).toContain(says);
    }
    const wrongMethod = await call('fortisoar', 'GET', '/api/integration/configuration/', { headers: auth });
    expect(wrongMethod.body.message).toContain('on this path it serves POST /api/integration/configuration/');
    const module = await call('fortisoar', 'GET', '/api/3/user_queries', { headers: auth });
    expect(module.body.message).toMatch(/^no module "user_queries": .*its modules: alerts, incidents/);
  });
});

test.describe('FortiSOAR stub for clients: documented or recorded behaviour', () => {
  let recorded: RunningStubs;
  test.beforeAll(async () => {
    recorded = await startStubServers({ port: 0, products: ['fortisoar'], behaviour: 'recorded' });
  });
  test.afterAll(async () => {
    await recorded.close();
  });
  const asRecorded = async (method: string, path: string, json?: unknown, auth = true) =>
    call('fortisoar', method, path, {
      base: recorded.urls.fortisoar,
      json,
      headers: auth ? { authorization: `API-KEY ${C.fortisoar.apiKey}` } : {},
    });

  test('shows records in full, null where unset, only when recorded', async () => {
    const sparse = await soar('POST', '/api/3/alerts', { name: 'client sparse' });
    expect(sparse.body).not.toHaveProperty('assignedTo');
    const full = await asRecorded('POST', '/api/3/alerts', { name: 'client full' });
    expect(full.status).toBe(201);
    expect(full.body).toMatchObject({ name: 'client full', assignedTo: null, sourceId: null, severity: null, description: null });
    await soar('DELETE', sparse.body['@id']);
  });

  test('answers the upsert, bulk upsert and bulk insert 201 and a comment deletion 200 only when recorded', async () => {
    expect((await soar('POST', '/api/3/upsert/alerts', { name: 'client documented upsert' })).status).toBe(200);
    expect((await asRecorded('POST', '/api/3/upsert/alerts', { name: 'client recorded upsert' })).status).toBe(201);
    const bulk = await asRecorded('POST', '/api/3/bulkupsert/alerts', [{ name: 'client recorded bulk upsert' }]);
    expect(bulk).toMatchObject({
      status: 201,
      body: { '@type': 'hydra:Collection', 'hydra:member': [expect.objectContaining({ name: 'client recorded bulk upsert' })] },
    });
    const insert = await asRecorded('POST', '/api/3/insert/alerts', { data: [{ name: 'client recorded insert' }] });
    expect(insert).toMatchObject({ status: 201, body: { '@id': '/api/3/insert/alerts', 'hydra:totalItems': 1 } });

    const documentedComment = await soar('POST', '/api/3/comments', { content: 'client documented comment' });
    expect((await soar('DELETE', documentedComment.body['@id'])).status).toBe(204);
    const comment = await asRecorded('POST', '/api/3/comments', { content: 'client recorded comment' });
    const deleted = await asRecorded('DELETE', comment.body['@id']);
    expect(deleted).toMatchObject({ status: 200, body: { '@id': comment.body['@id'], isDeleted: true } });
    expect((await asRecorded('GET', comment.body['@id'])).status).toBe(404);
  });

  test('answers the licence status, the version and workflow tags as recorded only when recorded', async () => {
    const status = await asRecorded('POST', '/api/public/license', { action: 'get_status' }, false);
    expect(status.body).toEqual({ depl_status: 'finished', depl_message: null });
    expect((await asRecorded('GET', '/api/version', undefined, false)).body).toEqual({ version: '7.6.5-5662' });
    const runs = (await asRecorded('GET', '/api/wf/api/workflows/?format=json&limit=50')).body['hydra:member'] as Json[];
    expect(runs.every((r) => typeof r.tags === 'string')).toBe(true);
    const documented = (await soar('GET', '/api/wf/api/workflows/?format=json&limit=50')).body['hydra:member'] as Json[];
    expect(documented.every((r) => Array.isArray(r.tags))).toBe(true);
  });

  test('npm run stub -- --help and the README say what each behaviour changes, and a wrong --behaviour stops at once', () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, [TSX, 'src/stub/serve-cli.ts', ...args], { encoding: 'utf8', timeout: 30_000 });
    const help = cli('--help');
    expect(help.status).toBe(0);
    const readme = readFileSync('README.md', 'utf8');
    for (const line of RECORDED_DIFFERENCES) {
      expect(help.stdout).toContain(line);
      expect(readme, 'README "Documented or recorded behaviour"').toContain(`- ${line}\n`);
    }
    const wrong = cli('--behaviour', 'guessed');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('--behaviour must be documented or recorded');
  });
});

// ── FortiCASB ─────────────────────────────────────────────────────────────────────────────────

const casbBasic = basic(C.forticasb.clientId, C.forticasb.clientSecret);

async function casbToken(): Promise<Json> {
  // Fortinet's connector: form body, Basic credential.
  const r = await call('forticasb', 'POST', '/api/v1/auth/credentials/token/', {
    headers: { authorization: casbBasic },
    form: { grant_type: 'client_credentials' },
  });
  expect(r.status).toBe(200);
  return r.body;
}

test.describe('FortiCASB stub for clients', () => {
  test('issues a token for the client credentials', async () => {
    const t = await casbToken();
    expect(t).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), token_type: 'bearer', companyId: C.forticasb.companyId });
    expect(t.expires).toBeGreaterThan(Date.now()); // epoch ms
    const json = await call('forticasb', 'POST', '/api/v1/auth/credentials/token', {
      headers: { authorization: casbBasic },
      json: { grant_type: 'client_credentials' },
    });
    expect(json.status).toBe(200);
  });

  test('refuses a wrong client, a missing credential and another grant', async () => {
    const wrong = await call('forticasb', 'POST', '/api/v1/auth/credentials/token/', {
      headers: { authorization: basic(C.forticasb.clientId, 'nope') },
      form: { grant_type: 'client_credentials' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBeTruthy();
    expect((await call('forticasb', 'POST', '/api/v1/auth/credentials/token/', { form: { grant_type: 'client_credentials' } })).status).toBe(401);
    expect(
      (await call('forticasb', 'POST', '/api/v1/auth/credentials/token/', { headers: { authorization: casbBasic }, form: { grant_type: 'password' } })).status,
    ).toBe(400);
  });

  test('refreshes a token once', async () => {
    const t = await casbToken();
    const r = await call('forticasb', 'POST', '/api/v1/auth/token/refresh', { form: { grant_type: 'refresh_token', refresh_token: t.refresh_token } });
    expect(r.status).toBe(200);
    expect(r.body.access_token).not.toBe(t.access_token);
    expect((await call('forticasb', 'POST', '/api/v1/auth/token/refresh', { json: { refresh_token: t.refresh_token } })).status).toBe(401);
    expect((await call('forticasb', 'POST', '/api/v1/auth/token/refresh', { json: { refresh_token: r.body.refresh_token } })).status).toBe(200);
  });

  test('walks every business unit of resourceURLMap with an issued token, service in the body, as the connector does', async () => {
    const t = await casbToken();
    const bearer = { authorization: `Bearer ${t.access_token}` };
    const map = await call('forticasb', 'GET', '/api/v1/resourceURLMap', { headers: bearer });
    expect(map.status).toBe(200);
    const roleId = map.body[0].roleId;
    const units = map.body[0].buMapSet as Json[];
    expect(units.map((u) => String(u.buId))).toContain(C.forticasb.buId);
    let total = 0;
    for (const bu of units) {
      const headers = { ...bearer, companyId: String(bu.companyId), roleId: String(roleId), buId: String(bu.buId) };
      const payload: Json = {
        service: C.forticasb.service,
        startTime: '0',
        endTime: String(Date.now()),
        skip: 0,
        limit: 50,
        user: [],
        policy: [],
        severity: [],
        asc: '',
        desc: '',
      };
      const seen = new Set<string>();
      for (;;) {
        const page = await call('forticasb', 'POST', '/api/v1/alert/list', { headers, json: payload });
        expect(page.status).toBe(200);
        for (const a of page.body.data) seen.add(a.id);
        if (page.body.skip + page.body.limit >= page.body.totalCount) break;
        payload.skip = page.body.skip + page.body.limit;
      }
      total += seen.size;
    }
    expect(total).toBeGreaterThan(50);
    // The service header works as well.
    const withHeader = await call('forticasb', 'POST', '/api/v1/alert/list', {
      headers: { ...bearer, companyId: C.forticasb.companyId, buId: C.forticasb.buId, service: C.forticasb.service },
      json: { startTime: 0, endTime: Date.now(), skip: 0, limit: 1 },
    });
    expect(withHeader.body.data).toHaveLength(1);
  });

  test('refuses a business unit or company the account does not have (403 naming its units)', async () => {
    const bearer = { authorization: `Bearer ${(await casbToken()).access_token}` };
    const body = { startTime: 0, endTime: Date.now(), skip: 0, limit: 1 };
    for (const [companyId, buId, named] of [
      [C.forticasb.companyId, '9999', 'business unit 9999'],
      ['7', C.forticasb.buId, `business unit ${C.forticasb.buId} in company 7`],
    ] as const) {
      const r = await call('forticasb', 'POST', '/api/v1/alert/list', { headers: { ...bearer, companyId, buId, service: C.forticasb.service }, json: body });
      expect(r.status, `${companyId}/${buId}`).toBe(403);
      expect(r.body.message).toContain(named);
      for (const unit of ['6384', '6385']) expect(r.body.message).toContain(unit);
    }
  });

  test('lists the services of a business unit at POST /api/v1/dashboard/usage, as the connector reads them (data[].name)', async () => {
    const t = await casbToken();
    // The connector's headers: its token, the companyId of the token answer, buId and timeZone.
    const headers = (buId: string) => ({ authorization: `Bearer ${t.access_token}`, companyId: t.companyId, buId, timeZone: '+0000' });
    const window = { startTime: 0, endTime: Date.now() };
    const usage = await call('forticasb', 'POST', '/api/v1/dashboard/usage', { headers: headers(C.forticasb.buId), json: window });
    expect(usage.status).toBe(200);
    expect(usage.body.data.map((s: Json) => s.name).sort()).toEqual(['Office365', 'Salesforce']);
    const empty = await call('forticasb', 'POST', '/api/v1/dashboard/usage', { headers: headers('6385'), json: window });
    expect(empty.body.data).toEqual([]);
    expect((await call('forticasb', 'POST', '/api/v1/dashboard/usage', { headers: headers('9999'), json: window })).status).toBe(403);
    expect((await call('forticasb', 'POST', '/api/v1/dashboard/usage', { headers: headers(C.forticasb.buId), json: { endTime: 1 } })).status).toBe(400);
    const risk = await call('forticasb', 'POST', '/api/v1/dashboard/risk', { headers: headers(C.forticasb.buId), json: window });
    expect(risk.status).toBe(404);
    expect(risk.body.message).toContain('POST /api/v1/dashboard/risk');
  });

  test('refuses the alert list without a valid token', async () => {
    const headers = { companyId: C.forticasb.companyId, buId: C.forticasb.buId, service: C.forticasb.service };
    const body = { startTime: 0, endTime: Date.now(), skip: 0, limit: 1 };
    expect((await call('forticasb', 'POST', '/api/v1/alert/list', { headers: { ...headers, authorization: 'Bearer not-issued' }, json: body })).status).toBe(
      401,
    );
    expect((await call('forticasb', 'GET', '/api/v1/resourceURLMap')).status).toBe(401);
  });
});

// ── FortiMail Browser Security ────────────────────────────────────────────────────────────────

test.describe('FMBS stub for clients', () => {
  test('issues OAuth2 client-credentials tokens the audit log accepts', async () => {
    const t = await call('fmbs', 'POST', '/oauth2/token', {
      headers: { authorization: basic(C.fmbs.clientId, C.fmbs.clientSecret) },
      form: { grant_type: 'client_credentials' },
    });
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ access_token: expect.any(String), token_type: 'Bearer', expires_in: expect.any(Number) });
    const log = await call('fmbs', 'GET', '/api/admin-audit-log-entries?limit=2', { headers: { authorization: `Bearer ${t.body.access_token}` } });
    expect(log.status).toBe(200);
    expect(log.body.items).toHaveLength(2);
    // RFC 6749 also lets the client send its credentials in the form body.
    const inBody = await call('fmbs', 'POST', '/oauth2/token', {
      form: { grant_type: 'client_credentials', client_id: C.fmbs.clientId, client_secret: C.fmbs.clientSecret },
    });
    expect(inBody.status).toBe(200);
  });

  test('refuses a wrong client, another grant and a token it did not issue', async () => {
    expect(
      (await call('fmbs', 'POST', '/oauth2/token', { headers: { authorization: basic(C.fmbs.clientId, 'nope') }, form: { grant_type: 'client_credentials' } }))
        .body,
    ).toMatchObject({ error: 'invalid_client' });
    const grant = await call('fmbs', 'POST', '/oauth2/token', {
      headers: { authorization: basic(C.fmbs.clientId, C.fmbs.clientSecret) },
      form: { grant_type: 'authorization_code' },
    });
    expect(grant).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    expect((await call('fmbs', 'GET', '/api/admin-audit-log-entries', { headers: { authorization: 'Bearer not-issued' } })).status).toBe(401);
  });
});

// ── HTTPS ─────────────────────────────────────────────────────────────────────────────────────

test.describe('the stub over HTTPS', () => {
  test('serves every product with a generated self-signed certificate valid for 127.0.0.1', async () => {
    const tls = generateSelfSignedCertificate('127.0.0.1');
    const secure = await startStubServers({ port: 0, tls });
    try {
      for (const url of Object.values(secure.urls)) expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      // Verified against the certificate itself, as a client that trusts it would.
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpsRequest(
          `${secure.urls.fortisoar}/auth/authenticate`,
          { method: 'POST', ca: tls.cert, headers: { 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ credentials: { loginid: C.fortisoar.username, password: C.fortisoar.password } }));
      });
      expect(status).toBe(200);
    } finally {
      await secure.close();
    }
  });
});
