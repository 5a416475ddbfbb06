/**
 * FortiSOAR bulk operations and upsert (fortisoar-api-guide.txt › Insert, Delete and Update
 * records in bulk, Upsert records): every record each scenario writes carries the run marker and
 * is found again and deleted by it, whatever the answer said.
 */
import type { Source } from '../../checks/response.ts';
import { compareVersions } from '../../config/index.ts';
import { type CaseContext, scenario, withParams } from '../context.ts';
import { statusOnly } from '../kit/answers.ts';
import type { Json } from '../kit/bodies.ts';
import { guide, notes } from '../kit/sources.ts';
import { createRecord, deleteByMarkerLater, expectGone, fieldsComeBack, findByMarker, markerField, newRecord, type Rec, recordBody, soar } from './records.ts';

const S = {
  insertAll: guide('If all the records are inserted successfully, then you will get a 200 OK response.'),
  insertListed: guide('"hydra:member": [ { inserted record data } ]'),
  insertPartial: guide('If not all the records can be inserted, then you will get a 207 (Partially Deleted) response.'),
  failureIndex: notes('each failure is a string naming the 0-based index'),
  updateAll: guide(
    'If you provide the body of the request appropriately, then all the records get successfully updated to the specified module, and you get a 200 OK response.',
  ),
  updateListed: guide('In this case, you get a 207 response, which will list the records that are not updated.'),
  updatePartial: guide('then the module is partially updated with the records that have an associated id.'),
  deleteAll: guide('If all the records are deleted successfully, then you will get a 200 OK response.'),
  deletePartial: guide('if for example, you have provided an ID of an already deleted record, then you will get a 207 (Partially Deleted) response.'),
  upsert: guide('or insert a new record.'),
  upsertWhole: notes('single `upsert` answers with the whole record'),
  upsertAll: guide('If all the records are upserted successfully, then you will get a 200 OK response.'),
  upsertMatch: guide(
    'You can use the Upsert API to either update an existing record, if any record matches the unique list of fields you have specified for that module using the Module Editor',
  ),
  bulkUpsertMatch: guide(
    'You can use the Bulk Upsert API to either bulk update multiple records, if the records match the unique list of fields you have specified for that module',
  ),
  upsertPartial: guide('If some records are upserted successfully and some records are not upserted, then you will get a 207 (Partial Upsert) response.'),
} satisfies Record<string, Source>;

/** The records a bulk answer lists: hydra:member (guide example), success (7.0.0 'success'/'failure'), or data (update example). */
export function listedRecords(body: unknown): Rec[] {
  if (!body || typeof body !== 'object') return [];
  const b = body as Json;
  const list = (Array.isArray(b['hydra:member']) ? b['hydra:member'] : Array.isArray(b.success) ? b.success : Array.isArray(b.data) ? b.data : []) as unknown[];
  return list.filter((r): r is Rec => !!r && typeof r === 'object' && typeof (r as Rec)['@id'] === 'string');
}

const failures = (body: unknown): unknown[] => ((body as { failure?: unknown[] } | undefined)?.failure ?? []) as unknown[];

/**
 * "From version 7.0.0 onwards, the bulk API response has been changed to 'success' or 'failure',
 * compared to earlier releases where multistage single, failed, and bad requests were passed":
 * the failures are read from 'failure' from 7.0.0 on; before, the guide does not say where, and the
 * rules about them are not checked.
 */
const failureListed = (ctx: CaseContext): boolean => compareVersions(soar(ctx).version, '7.0.0') >= 0;

/**
 * The row a bulk call cannot store: a string, not a JSON object (decision 0003), unless the spec
 * declares the row a team's server refuses (`params.invalidRow`).
 */
const INVALID_ROW = { properties: { invalidRow: {} } };
interface InvalidRow {
  readonly invalidRow?: unknown;
}
const invalidRow = (p: InvalidRow): unknown => p.invalidRow ?? 'conformance-suite: this row is not a record';

const idOf = (ctx: CaseContext, iri: string): string => ctx.paramsOf('getRecord', iri).uuid!;

/**
 * Two upserts of records that share their unique fields: the second must update the first. The
 * unique fields are the module's (FORTISOAR_UNIQUE_FIELDS; the stub's alerts: sourceId), each
 * given the test's marked name. When they are not known, the test discovers whether the second
 * upsert updated the first record and skips when it did not (a module without uniqueness "will
 * always insert records", which the insert cases check).
 */
async function upsertTwice(ctx: CaseContext, upsert: (rows: Json[]) => Promise<Rec[]>, source: Source): Promise<void> {
  const c = soar(ctx);
  const module = c.recordModule;
  const name = ctx.unique('upsert update');
  deleteByMarkerLater(ctx, module, name);
  const key = Object.fromEntries((c.uniqueFields ?? ['sourceId']).map((f) => [f, name]));
  const first = { ...recordBody(module, name, 'upsert update'), ...key, description: `first upsert ${ctx.config.runId}` };
  const second = { ...first, description: `second upsert ${ctx.config.runId}` };
  const [a] = await ctx.step('upsert a record', () => upsert([first]));
  const [b] = await ctx.step('upsert it again with the same unique fields', () => upsert([second]));
  if (a && b && a['@id'] !== b['@id'] && !c.uniqueFields) {
    return ctx.skip(
      `a second upsert with the same ${Object.keys(key).join(', ')} inserted another record: ${module} defines no uniqueness on them (set FORTISOAR_UNIQUE_FIELDS to require the update)`,
    );
  }
  ctx.rule(!!a && !!b && a['@id'] === b['@id'], 'an upsert matching the unique fields updates that record', source, () => ({
    expected: a?.['@id'],
    received: b?.['@id'],
    detail: `unique on ${Object.keys(key).join(', ')}`,
  }));
  const found = await findByMarker(ctx, module, name);
  ctx.rule(found.length === 1, 'the record is not inserted twice', source, () => ({ expected: 1, received: found.length }));
  const got = (await ctx.call('getRecord', { link: a!['@id'] })).expect<Rec>(200);
  ctx.rule(
    got.description === second.description,
    'the matching record takes the fields of the second upsert',
    source,
    () => ({ expected: second.description, received: got.description }),
    'getRecord',
  );
}

/** New records of `module`, one per label, each deleted after the test by its marker name. */
function markedRows(ctx: CaseContext, module: string, labels: readonly string[]): { row: Json; name: string }[] {
  return labels.map((label) => {
    const row = newRecord(ctx, module, label);
    const name = String(row[markerField(module)]);
    deleteByMarkerLater(ctx, module, name);
    return { row, name };
  });
}

/** Each marked record is stored exactly once. */
async function storedOnce(ctx: CaseContext, module: string, rows: readonly { row: Json; name: string }[], says: string, source: Source): Promise<void> {
  for (const { row, name } of rows) {
    const found = await findByMarker(ctx, module, name);
    ctx.rule(found.length === 1, says, source, () => ({ expected: 1, received: found.length, detail: `records named ${name}: ${JSON.stringify(row)}` }));
  }
}

/**
 * A failure that names index 1 (field notes: "... object at index #1 ..."): a 1 standing alone,
 * not a digit of a larger number, a uuid or an error code.
 */
const NAMES_INDEX_1 = /(?<![\w.-])#?1(?![\w.])/;

export const bulk = {
  'fortisoar.bulk-insert-all': scenario(async (ctx) => {
    const module = soar(ctx).recordModule;
    const rows = markedRows(ctx, module, ['bulk insert 1', 'bulk insert 2', 'bulk insert 3']);
    const body = (await ctx.call('bulkInsert', { path: { module }, body: { data: rows.map((r) => r.row) } })).expect();
    const listed = listedRecords(body);
    ctx.rule(listed.length === rows.length, 'the answer lists every inserted record', S.insertListed, () => ({
      expected: rows.length,
      received: listed.length,
    }));
    await storedOnce(ctx, module, rows, 'every record is inserted once', S.insertAll);
  }),

  'fortisoar.bulk-insert-partial': withParams<InvalidRow>(INVALID_ROW, async (ctx, p) => {
    const module = soar(ctx).recordModule;
    const [good] = markedRows(ctx, module, ['bulk insert partial']);
    const body = (await ctx.call('bulkInsert', { path: { module }, body: { data: [good!.row, invalidRow(p)] } })).expect();
    if (failureListed(ctx)) {
      ctx.rule(failures(body).length === 1, 'the 207 answer names the one record it could not insert', S.insertPartial, () => ({
        expected: 1,
        received: failures(body).length,
        detail: JSON.stringify(failures(body)),
      }));
      ctx.rule(NAMES_INDEX_1.test(JSON.stringify(failures(body)[0])), 'the failure names the record by its index (1)', S.failureIndex, () => ({
        expected: 'index 1',
        received: failures(body)[0],
      }));
    }
    await storedOnce(ctx, module, [good!], 'the valid record is inserted', S.insertPartial);
  }),

  'fortisoar.bulk-update-all': scenario(async (ctx) => {
    const module = soar(ctx).recordModule;
    const [a, b] = await Promise.all([createRecord(ctx, module, 'bulk update 1'), createRecord(ctx, module, 'bulk update 2')]);
    const rows = [a!, b!].map(({ record }, i) => ({ '@id': record['@id'], description: `bulk updated ${i} ${ctx.config.runId}` }));
    const body = (await ctx.call('bulkUpdate', { path: { module }, body: { data: rows } })).expect();
    ctx.rule(failures(body).length === 0, 'a 200 answer reports no failure', S.updateAll, () => ({ expected: [], received: failures(body) }));
    for (const row of rows) {
      const got = (await ctx.call('getRecord', { link: row['@id'] })).expect<Rec>(200);
      ctx.rule(got.description === row.description, 'every record is updated', S.updateAll, () => ({
        expected: row.description,
        received: got.description,
        detail: row['@id'],
      }));
    }
  }),

  'fortisoar.bulk-update-partial': scenario(async (ctx) => {
    const module = soar(ctx).recordModule;
    const { record } = await createRecord(ctx, module, 'bulk update partial');
    const description = `bulk updated ${ctx.config.runId}`;
    const body = (
      await ctx.call('bulkUpdate', { path: { module }, body: { data: [{ '@id': record['@id'], description }, { description: 'conformance-suite: no id' }] } })
    ).expect();
    if (failureListed(ctx)) {
      ctx.rule(failures(body).length === 1, 'the 207 answer lists the one record that is not updated', S.updateListed, () => ({
        expected: 1,
        received: failures(body).length,
        detail: JSON.stringify(failures(body)),
      }));
    }
    const got = (await ctx.call('getRecord', { link: record['@id'] })).expect<Rec>(200);
    ctx.rule(got.description === description, 'the records that have an id are updated', S.updatePartial, () => ({
      expected: description,
      received: got.description,
    }));
  }),

  'fortisoar.bulk-delete-all': scenario(async (ctx) => {
    const module = soar(ctx).recordModule;
    const created = await Promise.all([createRecord(ctx, module, 'bulk delete 1'), createRecord(ctx, module, 'bulk delete 2')]);
    // The guide gives the status alone ("you will get a 200 OK response"): an empty body conforms.
    statusOnly(await ctx.call('bulkDelete', { path: { module }, body: { ids: created.map(({ record }) => idOf(ctx, record['@id'])) } }));
    for (const { record } of created) await expectGone(ctx, record['@id'], 'every record named is deleted', S.deleteAll);
  }),

  'fortisoar.bulk-delete-partial': scenario(async (ctx) => {
    const module = soar(ctx).recordModule;
    const [gone, kept] = await Promise.all([createRecord(ctx, module, 'bulk delete gone'), createRecord(ctx, module, 'bulk delete partial')]);
    await ctx.step('delete one record first', async () => (await ctx.call('deleteRecord', { link: gone!.record['@id'] })).expect(204));
    const goneId = idOf(ctx, gone!.record['@id']);
    // The guide gives the 207 status alone for a delete; what its body says of the failed id (the
    // id, or "object at index #0" as real bulk failures read in the field notes) is not promised.
    (await ctx.call('bulkDelete', { path: { module }, body: { ids: [goneId, idOf(ctx, kept!.record['@id'])] } })).expect();
    await expectGone(ctx, kept!.record['@id'], 'the other records are deleted', S.deletePartial);
  }),

  'fortisoar.upsert': scenario(async (ctx) => {
    const module = soar(ctx).recordModule;
    const sent = newRecord(ctx, module, 'upsert');
    deleteByMarkerLater(ctx, module, String(sent[markerField(module)]));
    const record = (await ctx.call('upsertRecord', { path: { module }, body: sent })).expect<Rec>();
    fieldsComeBack(ctx, sent, record, S.upsertWhole);
    const got = (await ctx.call('getRecord', { link: record['@id'] })).expect<Rec>(200);
    fieldsComeBack(ctx, sent, got, S.upsert, 'getRecord');
  }),

  'fortisoar.upsert-update': scenario(async (ctx) => {
    const module = soar(ctx).recordModule;
    await upsertTwice(ctx, async ([row]) => [(await ctx.call('upsertRecord', { path: { module }, body: row })).expect<Rec>()], S.upsertMatch);
  }),

  'fortisoar.bulk-upsert-update': scenario(async (ctx) => {
    const module = soar(ctx).recordModule;
    const field = markerField(module);
    const seen = new Set<string>();
    await upsertTwice(
      ctx,
      async (rows) => {
        // The guide gives the status alone ("you will get a 200 OK response"): when the answer lists
        // no record, the record is found by its marker, one not seen before first.
        const listed = listedRecords(statusOnly(await ctx.call('bulkUpsert', { path: { module }, body: rows })));
        const found = listed.length > 0 ? listed : await findByMarker(ctx, module, String(rows[0]![field]));
        const sorted = [...found.filter((r) => !seen.has(r['@id'])), ...found.filter((r) => seen.has(r['@id']))];
        for (const r of found) seen.add(r['@id']);
        return sorted;
      },
      S.bulkUpsertMatch,
    );
  }),

  'fortisoar.bulk-upsert-all': scenario(async (ctx) => {
    const module = soar(ctx).recordModule;
    const rows = markedRows(ctx, module, ['bulk upsert 1', 'bulk upsert 2']);
    // The guide gives the status alone: an empty body conforms; the records are found by their marker.
    statusOnly(await ctx.call('bulkUpsert', { path: { module }, body: rows.map((r) => r.row) }));
    await storedOnce(ctx, module, rows, 'every record is upserted', S.upsertAll);
  }),

  'fortisoar.bulk-upsert-partial': withParams<InvalidRow>(INVALID_ROW, async (ctx, p) => {
    const module = soar(ctx).recordModule;
    const [good] = markedRows(ctx, module, ['bulk upsert partial']);
    const body = (await ctx.call('bulkUpsert', { path: { module }, body: [good!.row, invalidRow(p)] })).expect();
    if (failureListed(ctx)) {
      ctx.rule(failures(body).length === 1, 'the 207 answer names the one record it could not upsert', S.upsertPartial, () => ({
        expected: 1,
        received: failures(body).length,
        detail: JSON.stringify(failures(body)),
      }));
    }
    await storedOnce(ctx, module, [good!], 'the valid record is upserted', S.upsertPartial);
  }),

  'fortisoar.bulk-upsert-none': withParams<InvalidRow>(INVALID_ROW, async (ctx, p) => {
    const module = soar(ctx).recordModule;
    (await ctx.call('bulkUpsert', { path: { module }, body: [invalidRow(p), invalidRow(p)] })).expect();
  }),
};
