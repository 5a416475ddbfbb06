/**
 * FortiSOAR records (fortisoar-api-guide.txt › Model Operations): create, get, update and delete
 * one record, and the helpers every FortiSOAR scenario uses to make, find and remove marked
 * records. Every record a scenario creates carries the run marker and is deleted after the test.
 */
import type { Source } from '../../checks/response.ts';
import type { FortiSoarConfig } from '../../config/index.ts';
import { paramsOf } from '../../spec/url.ts';
import type { Record as SoarRecord } from '../../types/fortisoar/record.ts';
import { type CaseContext, type SeededCollection, scenario } from '../context.ts';
import type { Json } from '../kit/bodies.ts';
import { guide, notes } from '../kit/sources.ts';

/** A record as the schema types it (schemas/fortisoar/record.json): `@id`, `@type`, and the module's fields. */
export type Rec = SoarRecord;

const S = {
  iri: guide('"@id": "/api/{version}/{collection}/{uuid}"'),
  created: notes('create answers 201 with the whole record'),
  updated: notes('update with a partial body answers 200 with the whole record'),
  reference: notes('"the fields sent come back" must compare such a field by its `@id`'),
  deleted: guide('Delete Single Model Records'),
} satisfies Record<string, Source>;

export const soar = (ctx: CaseContext): FortiSoarConfig => {
  const c = ctx.config.fortisoar;
  if (!c) throw new Error('[cases] FortiSOAR is not configured');
  return c;
};

/** The text field that carries the run marker in a module's records (guide examples: assets by hostname). */
export const markerField = (module: string): string => (module === 'assets' ? 'hostname' : module === 'indicators' ? 'value' : 'name');

/** A body for a new record of `module`, named `name` (marked), with the fields a module of the guide's examples takes. */
export function recordBody(module: string, name: string, label: string): Json {
  if (module === 'assets') return { hostname: name, ip: '192.0.2.10' };
  if (module === 'indicators') return { value: name };
  return { name, description: `created by the conformance suite (${label})` };
}

/** A body for a new record of `module`, named with the run marker. */
export const newRecord = (ctx: CaseContext, module: string, label: string): Json => recordBody(module, ctx.unique(label), label);

/** "the fields sent come back": a reference sent as an IRI may come back expanded, compared by its @id (field notes). */
export function sameValue(sent: unknown, got: unknown): boolean {
  if (typeof sent === 'string' && got && typeof got === 'object' && '@id' in got) return (got as { '@id': unknown })['@id'] === sent;
  return JSON.stringify(sent) === JSON.stringify(got);
}

export function fieldsComeBack(ctx: CaseContext, sent: Json, got: Json, source: Source, operationId?: string): void {
  for (const [k, v] of Object.entries(sent)) {
    ctx.rule(
      sameValue(v, got[k]),
      `the field "${k}" sent comes back unchanged`,
      typeof v === 'string' && /^\/api\//.test(v) ? S.reference : source,
      () => ({ expected: v, received: got[k] }),
      operationId,
    );
  }
}

/** Deletes a record the suite created, after the test; a record already gone is fine. */
export function deleteLater(ctx: CaseContext, iri: string): void {
  ctx.defer(() => ctx.call('deleteRecord', { link: iri }));
}

/** Deletes, after the test, every record of `module` whose marker field is `name`, whatever the answers said. */
export function deleteByMarkerLater(ctx: CaseContext, module: string, name: string): void {
  ctx.defer(async () => Promise.all((await findByMarker(ctx, module, name)).map((r) => ctx.call('deleteRecord', { link: r['@id'] }))));
}

/** Creates a marked record through the documented create (checked as 201) and deletes it after the test. */
export async function createRecord(ctx: CaseContext, module: string, label: string, fields?: Json): Promise<{ sent: Json; record: Rec }> {
  const sent = fields ?? newRecord(ctx, module, label);
  const record = await ctx.step(`create a ${module} record (${label})`, async () => {
    const body = (await ctx.call('createRecord', { path: { collection: module }, body: sent })).expect<Rec>(201);
    deleteLater(ctx, body['@id']);
    return body;
  });
  return { sent, record };
}

/** Records of `module` whose marker field equals `name` (field filter, field notes; checked client-side too). */
export async function findByMarker(ctx: CaseContext, module: string, name: string): Promise<Rec[]> {
  const field = markerField(module);
  const body = (await ctx.call('listRecords', { path: { collection: module }, query: { [field]: name, $limit: 100 } })).expect<{ 'hydra:member': Rec[] }>(200);
  return body['hydra:member'].filter((r) => r[field] === name);
}

/** GET of a record answers 404 or 410: it is gone. */
export async function expectGone(ctx: CaseContext, iri: string, says: string, source: Source, operationId?: string): Promise<void> {
  const answer = await ctx.call('getRecord', { link: iri });
  ctx.rule(
    answer.status === 404 || answer.status === 410,
    says,
    source,
    () => ({ expected: '404 or 410', received: answer.status, detail: `GET ${iri}` }),
    operationId,
  );
}

/** A record IRI's path parameters (`/api/3/<collection>/<uuid>`); undefined for anything else. */
export const recordParams = (ctx: CaseContext, iri: unknown): Record<string, string> | undefined =>
  typeof iri === 'string' ? paramsOf(ctx.op('getRecord'), iri) : undefined;

/** The collection of `module` is the one the record IRIs name: `/api/3/<module>/<id>`. */
const isRecordOf = (ctx: CaseContext, module: string, iri: unknown): boolean => recordParams(ctx, iri)?.collection === module;

/** The seedCollection hook: marked records of the configured module, selected by their shared name. */
export async function seedCollection(ctx: CaseContext, count: number): Promise<SeededCollection> {
  const module = soar(ctx).recordModule;
  const name = ctx.unique('paging');
  const created = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      createRecord(
        ctx,
        module,
        `paging ${i}`,
        module === 'assets' ? { hostname: name, ip: `192.0.2.${20 + i}` } : recordBody(module, name, `page record ${i}`),
      ),
    ),
  );
  return { path: { collection: module }, query: { [markerField(module)]: name }, ids: new Set(created.map(({ record }) => record['@id'])) };
}

export const records = {
  'fortisoar.create': scenario(async (ctx) => {
    const module = soar(ctx).recordModule;
    const { sent, record } = await createRecord(ctx, module, 'create');
    ctx.rule(isRecordOf(ctx, module, record['@id']), 'the record is answered with its @id, /api/3/<collection>/<id>', S.iri, () => ({
      expected: `/api/3/${module}/<id>`,
      received: record['@id'],
    }));
    fieldsComeBack(ctx, sent, record, S.created);
  }),

  'fortisoar.get': scenario(async (ctx) => {
    const module = soar(ctx).recordModule;
    const { sent, record } = await createRecord(ctx, module, 'get');
    const got = await ctx.step('get it', async () => (await ctx.call('getRecord', { link: record['@id'] })).expect<Rec>());
    ctx.rule(got['@id'] === record['@id'], 'the record answered is the one asked for', S.iri, () => ({ expected: record['@id'], received: got['@id'] }));
    fieldsComeBack(ctx, sent, got, S.created);
  }),

  'fortisoar.update': scenario(async (ctx) => {
    const module = soar(ctx).recordModule;
    const { sent, record } = await createRecord(ctx, module, 'update');
    const field = module === 'assets' ? 'ip' : 'description';
    const change = { [field]: module === 'assets' ? '192.0.2.99' : `changed by the conformance suite ${ctx.config.runId}` };
    const updated = await ctx.step('update it', async () => (await ctx.call('updateRecord', { link: record['@id'], body: change })).expect<Rec>());
    ctx.rule(updated['@id'] === record['@id'], 'the update answers the same record', S.updated, () => ({ expected: record['@id'], received: updated['@id'] }));
    fieldsComeBack(ctx, change, updated, S.updated);
    const again = await ctx.step('get it again', async () => (await ctx.call('getRecord', { link: record['@id'] })).expect<Rec>(200));
    ctx.rule(sameValue(change[field], again[field]), 'the change persists', S.updated, () => ({ expected: change[field], received: again[field] }));
    const untouched = markerField(module);
    ctx.rule(sameValue(sent[untouched], again[untouched]), 'fields not sent in the update are kept', S.updated, () => ({
      expected: sent[untouched],
      received: again[untouched],
    }));
  }),

  'fortisoar.delete': scenario(async (ctx) => {
    const module = soar(ctx).recordModule;
    const { record } = await createRecord(ctx, module, 'delete');
    await ctx.step('delete it', async () => (await ctx.call('deleteRecord', { link: record['@id'] })).expect());
    await ctx.step('it is gone', async () => expectGone(ctx, record['@id'], 'a deleted record is gone (404)', S.deleted));
  }),
};
