/**
 * How each documented status of FortiSOAR's records, bulk operations and relationships is
 * provoked (fortisoar-api-guide.txt › Model Operations, bulk sections, Relationship Operations).
 * Every record a scenario creates carries the run marker and is deleted after the test.
 */
import type { ApiResponse } from '../../client/api.ts';
import type { CaseContext, Scenario } from '../context.ts';

export type Rec = Record<string, unknown> & { '@id': string };

const soar = (ctx: CaseContext) => {
  const c = ctx.config.fortisoar;
  if (!c) throw new Error('FortiSOAR is not configured');
  return c;
};

/** The text field that carries the run marker in a module's records (guide examples: assets by hostname). */
export const markerField = (module: string): string => (module === 'assets' ? 'hostname' : module === 'indicators' ? 'value' : 'name');

/** A body for a new record of `module`, named with the run marker. */
export function newRecord(ctx: CaseContext, module: string, label: string): Record<string, unknown> {
  const name = ctx.unique(label);
  if (module === 'assets') return { hostname: name, ip: '192.0.2.10' };
  if (module === 'indicators') return { value: name };
  return { name, description: `created by the conformance suite (${label})` };
}

export const uuidOf = (iri: string): string => iri.split('/').pop()!;

/** "the fields sent come back": a reference sent as an IRI may come back expanded, compared by its @id (field notes). */
export function sameValue(sent: unknown, got: unknown): boolean {
  if (typeof sent === 'string' && got && typeof got === 'object' && '@id' in got) return (got as { '@id': unknown })['@id'] === sent;
  return JSON.stringify(sent) === JSON.stringify(got);
}

export function fieldsComeBack(ctx: CaseContext, sent: Record<string, unknown>, got: Record<string, unknown>, operationId?: string): void {
  for (const [k, v] of Object.entries(sent)) {
    ctx.rule(
      sameValue(v, got[k]),
      `the field "${k}" sent comes back unchanged`,
      () => `sent ${JSON.stringify(v)}, received ${JSON.stringify(got[k])}`,
      operationId,
    );
  }
}

/** Deletes a record the suite created, after the test; a record already gone is fine. */
export function deleteLater(ctx: CaseContext, iri: string): void {
  ctx.defer(() => ctx.api.delete(iri));
}

/** Creates a marked record through the documented create (checked as 201) and deletes it after the test. */
export async function createRecord(
  ctx: CaseContext,
  module: string,
  label: string,
  fields?: Record<string, unknown>,
): Promise<{ sent: Record<string, unknown>; record: Rec }> {
  const sent = fields ?? newRecord(ctx, module, label);
  const record = await ctx.step(`create a ${module} record (${label})`, async () => {
    const res = await ctx.api.post(`/api/3/${module}`, sent);
    const body = ctx.expect<Rec>(res, 201, 'createRecord');
    deleteLater(ctx, body['@id']);
    return body;
  });
  return { sent, record };
}

const iriPattern = (module: string): RegExp => new RegExp(`^/api/3/${module}/[^/?#]+$`);

function isGone(res: ApiResponse): boolean {
  return res.status === 404 || res.status === 410;
}

/** The records a bulk answer lists: hydra:member (guide example), success (7.0.0 'success'/'failure'), or data (update example). */
export function listedRecords(body: unknown): Rec[] {
  if (!body || typeof body !== 'object') return [];
  const b = body as Record<string, unknown>;
  const list = (Array.isArray(b['hydra:member']) ? b['hydra:member'] : Array.isArray(b.success) ? b.success : Array.isArray(b.data) ? b.data : []) as unknown[];
  return list.filter((r): r is Rec => !!r && typeof r === 'object' && typeof (r as Rec)['@id'] === 'string');
}

/** Records of `module` whose marker field equals `name` (field filter, checked client-side too). */
export async function findByMarker(ctx: CaseContext, module: string, name: string): Promise<Rec[]> {
  const field = markerField(module);
  const res = await ctx.api.get(`/api/3/${module}`, { query: { [field]: name, $limit: 100 } });
  const body = ctx.expect<{ 'hydra:member': Rec[] }>(res, 200, 'listRecords');
  return body['hydra:member'].filter((r) => r[field] === name);
}

const failures = (body: unknown): unknown[] => ((body as { failure?: unknown[] } | undefined)?.failure ?? []) as unknown[];

async function expectGone(ctx: CaseContext, iri: string, sentence: string, operationId?: string): Promise<void> {
  const res = await ctx.api.get(iri);
  ctx.rule(isGone(res), sentence, () => `GET ${iri} answered ${res.status}`, operationId);
}

/** Bulk rows declared invalid in the spec (`params.invalidRow`); a JSON object is never invalid by shape alone. */
const invalidRow = (ctx: CaseContext): unknown => ctx.case.params.invalidRow ?? 'conformance-suite: this row is not a record';

export const fortisoar: Readonly<Record<string, Scenario>> = {
  'fortisoar.login': async (ctx) => {
    const c = soar(ctx);
    if (!c.username || !c.password) ctx.skip('FORTISOAR_API_KEY is used: /auth/authenticate needs a username and password');
    const token = await ctx.step('log in', async () => {
      const res = await ctx.api.post('/auth/authenticate', { credentials: { loginid: c.username, password: c.password } }, { auth: false });
      const body = ctx.expect<{ token: string }>(res);
      ctx.api.redactor.add(body.token);
      return body.token;
    });
    await ctx.step('use the token', async () => {
      const res = await ctx.api.get(`/api/3/${c.recordModule}`, { query: { $limit: 1 }, auth: `Bearer ${token}` });
      ctx.expect(res, 200, 'listRecords');
    });
  },

  'fortisoar.wrong-credentials': async (ctx) => {
    const c = soar(ctx);
    const res = await ctx.api.post(
      '/auth/authenticate',
      { credentials: { loginid: c.username ?? 'conformance-suite', password: 'conformance-suite-wrong-password' } },
      { auth: false },
    );
    ctx.expect(res);
    ctx.rule(!/"token"\s*:\s*"[^"]/.test(res.text), 'wrong credentials must not yield a token', () => 'the refusal carries a token');
  },

  'fortisoar.create': async (ctx) => {
    const module = soar(ctx).recordModule;
    const { sent, record } = await createRecord(ctx, module, 'create');
    ctx.rule(iriPattern(module).test(record['@id']), `"@id": "/api/{version}/{collection}/{uuid}"`, () => `received @id ${record['@id']}`);
    fieldsComeBack(ctx, sent, record);
  },

  'fortisoar.get': async (ctx) => {
    const module = soar(ctx).recordModule;
    const { sent, record } = await createRecord(ctx, module, 'get');
    const got = await ctx.step('get it', async () => ctx.expect<Rec>(await ctx.api.get(record['@id'])));
    ctx.rule(got['@id'] === record['@id'], 'the record answered is the one asked for', () => `asked ${record['@id']}, received ${got['@id']}`);
    fieldsComeBack(ctx, sent, got);
  },

  'fortisoar.update': async (ctx) => {
    const module = soar(ctx).recordModule;
    const { sent, record } = await createRecord(ctx, module, 'update');
    const field = module === 'assets' ? 'ip' : 'description';
    const change = { [field]: module === 'assets' ? '192.0.2.99' : `changed by the conformance suite ${ctx.config.runId}` };
    const updated = await ctx.step('update it', async () => ctx.expect<Rec>(await ctx.api.put(record['@id'], change)));
    ctx.rule(updated['@id'] === record['@id'], 'the update answers the same record', () => `received @id ${updated['@id']}`);
    fieldsComeBack(ctx, change, updated);
    const again = await ctx.step('get it again', async () => ctx.expect<Rec>(await ctx.api.get(record['@id']), 200, 'getRecord'));
    ctx.rule(sameValue(change[field], again[field]), 'the change persists', () => `GET answers ${field}=${JSON.stringify(again[field])}`);
    const untouched = markerField(module);
    ctx.rule(
      sameValue(sent[untouched], again[untouched]),
      'fields not sent in the update are kept',
      () => `${untouched} became ${JSON.stringify(again[untouched])}`,
    );
  },

  'fortisoar.delete': async (ctx) => {
    const module = soar(ctx).recordModule;
    const { record } = await createRecord(ctx, module, 'delete');
    await ctx.step('delete it', async () => ctx.expect(await ctx.api.delete(record['@id'])));
    await ctx.step('it is gone', async () => expectGone(ctx, record['@id'], 'a deleted record is gone (404)'));
  },

  'fortisoar.bulk-insert-all': async (ctx) => {
    const module = soar(ctx).recordModule;
    const rows = [1, 2, 3].map((i) => newRecord(ctx, module, `bulk insert ${i}`));
    const res = await ctx.api.post(`/api/3/insert/${module}`, { data: rows });
    // Delete whatever was inserted, found by marker, whatever the answer says.
    for (const row of rows)
      ctx.defer(async () => Promise.all((await findByMarker(ctx, module, String(row[markerField(module)]))).map((r) => ctx.api.delete(r['@id']))));
    const body = ctx.expect(res);
    const listed = listedRecords(body);
    ctx.rule(
      listed.length === rows.length,
      'the answer lists every inserted record ("hydra:member": [inserted record data])',
      () => `listed ${listed.length} of ${rows.length}`,
    );
    for (const row of rows) {
      const found = await findByMarker(ctx, module, String(row[markerField(module)]));
      ctx.rule(found.length === 1, 'every record is inserted once', () => `${JSON.stringify(row)} found ${found.length} times`);
    }
  },

  'fortisoar.bulk-insert-partial': async (ctx) => {
    const module = soar(ctx).recordModule;
    const good = newRecord(ctx, module, 'bulk insert partial');
    const name = String(good[markerField(module)]);
    ctx.defer(async () => Promise.all((await findByMarker(ctx, module, name)).map((r) => ctx.api.delete(r['@id']))));
    const body = ctx.expect(await ctx.api.post(`/api/3/insert/${module}`, { data: [good, invalidRow(ctx)] }));
    ctx.rule(failures(body).length === 1, 'the 207 answer names the one record it could not insert', () => `failure: ${JSON.stringify(failures(body))}`);
    ctx.rule(
      JSON.stringify(failures(body)[0]).includes('1'),
      'the failure names the record by its index (1)',
      () => `failure: ${JSON.stringify(failures(body))}`,
    );
    const found = await findByMarker(ctx, module, name);
    ctx.rule(found.length === 1, 'the valid record is inserted', () => `found ${found.length} records named ${name}`);
  },

  'fortisoar.bulk-update-all': async (ctx) => {
    const module = soar(ctx).recordModule;
    const [a, b] = await Promise.all([createRecord(ctx, module, 'bulk update 1'), createRecord(ctx, module, 'bulk update 2')]);
    const rows = [a!, b!].map(({ record }, i) => ({ '@id': record['@id'], description: `bulk updated ${i} ${ctx.config.runId}` }));
    const body = ctx.expect(await ctx.api.put(`/api/3/update/${module}`, { data: rows }));
    ctx.rule(failures(body).length === 0, 'a 200 answer reports no failure', () => JSON.stringify(body).slice(0, 300));
    for (const row of rows) {
      const got = ctx.expect<Rec>(await ctx.api.get(row['@id']), 200, 'getRecord');
      ctx.rule(got.description === row.description, 'every record is updated', () => `${row['@id']} description is ${JSON.stringify(got.description)}`);
    }
  },

  'fortisoar.bulk-update-partial': async (ctx) => {
    const module = soar(ctx).recordModule;
    const { record } = await createRecord(ctx, module, 'bulk update partial');
    const description = `bulk updated ${ctx.config.runId}`;
    const body = ctx.expect(
      await ctx.api.put(`/api/3/update/${module}`, { data: [{ '@id': record['@id'], description }, { description: 'conformance-suite: no id' }] }),
    );
    ctx.rule(
      failures(body).length === 1,
      'the 207 answer "will list the records that are not updated" (one)',
      () => `failure: ${JSON.stringify(failures(body))}`,
    );
    const got = ctx.expect<Rec>(await ctx.api.get(record['@id']), 200, 'getRecord');
    ctx.rule(got.description === description, 'the records that have an id are updated', () => `description is ${JSON.stringify(got.description)}`);
  },

  'fortisoar.bulk-delete-all': async (ctx) => {
    const module = soar(ctx).recordModule;
    const created = await Promise.all([createRecord(ctx, module, 'bulk delete 1'), createRecord(ctx, module, 'bulk delete 2')]);
    ctx.expect(await ctx.api.delete(`/api/3/delete/${module}`, { ids: created.map(({ record }) => uuidOf(record['@id'])) }));
    for (const { record } of created) await expectGone(ctx, record['@id'], 'every record named is deleted');
  },

  'fortisoar.bulk-delete-partial': async (ctx) => {
    const module = soar(ctx).recordModule;
    const [gone, kept] = await Promise.all([createRecord(ctx, module, 'bulk delete gone'), createRecord(ctx, module, 'bulk delete partial')]);
    await ctx.step('delete one record first', async () => ctx.expect(await ctx.api.delete(gone!.record['@id']), 204, 'deleteRecord'));
    const goneId = uuidOf(gone!.record['@id']);
    const res = await ctx.api.delete(`/api/3/delete/${module}`, { ids: [goneId, uuidOf(kept!.record['@id'])] });
    ctx.expect(res);
    ctx.rule(res.text.includes(goneId), 'the 207 answer names the already deleted record', () => `body: ${res.text.slice(0, 300)}`);
    await expectGone(ctx, kept!.record['@id'], 'the other records are deleted');
  },

  'fortisoar.upsert': async (ctx) => {
    const module = soar(ctx).recordModule;
    const sent = newRecord(ctx, module, 'upsert');
    ctx.defer(async () => Promise.all((await findByMarker(ctx, module, String(sent[markerField(module)]))).map((r) => ctx.api.delete(r['@id']))));
    const record = ctx.expect<Rec>(await ctx.api.post(`/api/3/upsert/${module}`, sent));
    fieldsComeBack(ctx, sent, record);
    const got = ctx.expect<Rec>(await ctx.api.get(record['@id']), 200, 'getRecord');
    fieldsComeBack(ctx, sent, got, 'getRecord');
  },

  'fortisoar.bulk-upsert-all': async (ctx) => {
    const module = soar(ctx).recordModule;
    const rows = [1, 2].map((i) => newRecord(ctx, module, `bulk upsert ${i}`));
    for (const row of rows)
      ctx.defer(async () => Promise.all((await findByMarker(ctx, module, String(row[markerField(module)]))).map((r) => ctx.api.delete(r['@id']))));
    ctx.expect(await ctx.api.post(`/api/3/bulkupsert/${module}`, rows));
    for (const row of rows) {
      const found = await findByMarker(ctx, module, String(row[markerField(module)]));
      ctx.rule(found.length === 1, 'every record is upserted', () => `${JSON.stringify(row)} found ${found.length} times`);
    }
  },

  'fortisoar.bulk-upsert-partial': async (ctx) => {
    const module = soar(ctx).recordModule;
    const good = newRecord(ctx, module, 'bulk upsert partial');
    const name = String(good[markerField(module)]);
    ctx.defer(async () => Promise.all((await findByMarker(ctx, module, name)).map((r) => ctx.api.delete(r['@id']))));
    const body = ctx.expect(await ctx.api.post(`/api/3/bulkupsert/${module}`, [good, invalidRow(ctx)]));
    ctx.rule(failures(body).length === 1, 'the 207 answer names the one record it could not upsert', () => `failure: ${JSON.stringify(failures(body))}`);
    const found = await findByMarker(ctx, module, name);
    ctx.rule(found.length === 1, 'the valid record is upserted', () => `found ${found.length} records named ${name}`);
  },

  'fortisoar.bulk-upsert-none': async (ctx) => {
    const module = soar(ctx).recordModule;
    ctx.expect(await ctx.api.post(`/api/3/bulkupsert/${module}`, [invalidRow(ctx), invalidRow(ctx)]));
  },

  'fortisoar.relationship-get': async (ctx) => {
    const { parent, related } = soar(ctx).relation;
    const [{ record: p }, { record: r }] = await Promise.all([
      createRecord(ctx, parent, 'relationship parent'),
      createRecord(ctx, related, 'relationship member'),
    ]);
    await ctx.step('link them', async () => ctx.expect(await ctx.api.post(`${p['@id']}/${related}`, { '@id': r['@id'] }), 200, 'appendRelationship'));
    const body = ctx.expect<{ 'hydra:member': Rec[]; 'hydra:totalItems': number }>(await ctx.api.get(`${p['@id']}/${related}`));
    const ids = body['hydra:member'].map((m) => m['@id']);
    ctx.rule(ids.length === 1 && ids[0] === r['@id'], 'the relationship lists the linked record, once', () => `listed ${JSON.stringify(ids)}`);
    ctx.rule(body['hydra:totalItems'] === 1, 'hydra:totalItems counts the related records', () => `hydra:totalItems ${body['hydra:totalItems']}`);
  },

  'fortisoar.relationship-append-existing': async (ctx) => {
    const { parent, related } = soar(ctx).relation;
    const [{ record: p }, { record: r }] = await Promise.all([createRecord(ctx, parent, 'append parent'), createRecord(ctx, related, 'append existing')]);
    const got = ctx.expect<Rec>(await ctx.api.post(`${p['@id']}/${related}`, { '@id': r['@id'] }));
    ctx.rule(got['@id'] === r['@id'], 'the answer is the appended record', () => `received @id ${got['@id']}`);
    const list = ctx.expect<{ 'hydra:member': Rec[] }>(await ctx.api.get(`${p['@id']}/${related}`), 200, 'getRelationship');
    ctx.rule(
      list['hydra:member'].some((m) => m['@id'] === r['@id']),
      'the relationship now lists the record',
      () => `listed ${JSON.stringify(list['hydra:member'].map((m) => m['@id']))}`,
    );
  },

  'fortisoar.relationship-append-new': async (ctx) => {
    const { parent, related } = soar(ctx).relation;
    const { record: p } = await createRecord(ctx, parent, 'append parent');
    const sent = newRecord(ctx, related, 'append new');
    const got = ctx.expect<Rec>(await ctx.api.post(`${p['@id']}/${related}`, sent));
    deleteLater(ctx, got['@id']);
    ctx.rule(iriPattern(related).test(got['@id']), 'the answer is the new record with its @id', () => `received @id ${got['@id']}`);
    fieldsComeBack(ctx, sent, got);
    const list = ctx.expect<{ 'hydra:member': Rec[] }>(await ctx.api.get(`${p['@id']}/${related}`), 200, 'getRelationship');
    ctx.rule(
      list['hydra:member'].some((m) => m['@id'] === got['@id']),
      'the relationship now lists the new record',
      () => `listed ${JSON.stringify(list['hydra:member'].map((m) => m['@id']))}`,
    );
  },

  'fortisoar.relationship-delete': async (ctx) => {
    const { parent, related } = soar(ctx).relation;
    const [{ record: p }, { record: r }] = await Promise.all([createRecord(ctx, parent, 'unlink parent'), createRecord(ctx, related, 'unlink member')]);
    await ctx.step('link them', async () => ctx.expect(await ctx.api.post(`${p['@id']}/${related}`, { '@id': r['@id'] }), 200, 'appendRelationship'));
    await ctx.step('remove the link', async () => ctx.expect(await ctx.api.delete(`${p['@id']}/${related}/${uuidOf(r['@id'])}`)));
    const list = ctx.expect<{ 'hydra:member': Rec[] }>(await ctx.api.get(`${p['@id']}/${related}`), 200, 'getRelationship');
    ctx.rule(
      !list['hydra:member'].some((m) => m['@id'] === r['@id']),
      'the relationship no longer lists the record',
      () => `listed ${JSON.stringify(list['hydra:member'].map((m) => m['@id']))}`,
    );
  },
};
