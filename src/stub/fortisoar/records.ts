/**
 * FortiSOAR "Model Operations", bulk operations, upsert and "Relationship Operations"
 * (fortisoar-api-guide.txt), each handler under the sentence it implements.
 */
import { error, isObject, json, noContent } from '../core/http.ts';
import type { Handler, HandlerContext, StubResponse } from '../core/types.ts';
import { collection, select } from './collection.ts';
import { type FortiSoarState, MODULE_TYPES, type RecordBody, STRING_FIELDS, UUID, iriOf, parseIri } from './state.ts';

type Ctx = HandlerContext<FortiSoarState>;

const unknownModule = (module: string): StubResponse => error(404, `no module "${module}"`);
const notFound = (module: string, uuid: string): StubResponse => error(404, `no ${module} record ${uuid}`);

/** Why a record body cannot be stored, or undefined. */
export function invalidRecord(state: FortiSoarState, body: unknown, creating: boolean): string | undefined {
  if (!isObject(body)) return 'a record must be a JSON object';
  for (const [k, v] of Object.entries(body)) {
    if (STRING_FIELDS.has(k) && v !== null && typeof v !== 'string') return `field "${k}" must be a string or null`;
  }
  if (creating && body.uuid !== undefined) {
    if (typeof body.uuid !== 'string' || !UUID.test(body.uuid)) return 'uuid must be a UUID';
  }
  return undefined;
}

/** Picklist and person references come back as expanded objects whose `@id` is the IRI (field notes). */
export function present(state: FortiSoarState, record: RecordBody, single = false): RecordBody {
  const out: RecordBody = single ? { '@context': `/api/3/contexts/${record['@type']}`, ...record } : { ...record };
  for (const [k, v] of Object.entries(record)) {
    const ref = parseIri(v);
    if (ref && (ref.module === 'picklists' || ref.module === 'people')) {
      const target = state.get(ref.module, ref.uuid);
      if (target) out[k] = { '@id': target['@id'], '@type': target['@type'], ...(ref.module === 'picklists' ? { itemValue: target.itemValue } : { firstname: target.firstname, lastname: target.lastname }) };
    }
  }
  return out;
}

function withModule(param: string, fn: (ctx: Ctx, module: string) => StubResponse): Handler<FortiSoarState> {
  return (ctx) => {
    const module = ctx.params[param]!;
    return ctx.state.has(module) ? fn(ctx, module) : unknownModule(module);
  };
}

/** Applies `__link` / `__unlink` (field notes: how real clients link by update). */
function applyLinks(state: FortiSoarState, iri: string, body: RecordBody): string | undefined {
  for (const [key, add] of [['__link', true], ['__unlink', false]] as const) {
    const spec = body[key];
    if (spec === undefined) continue;
    if (!isObject(spec)) return `${key} must be an object of relationship → IRIs`;
    for (const [rel, iris] of Object.entries(spec)) {
      if (!Array.isArray(iris)) return `${key}.${rel} must be a list of IRIs`;
      for (const other of iris) {
        const target = state.getByIri(other);
        if (!target || parseIri(other)!.module !== rel) return `${key}.${rel}: no record ${String(other)}`;
        if (add) state.link(iri, String(other));
        else state.unlink(iri, String(other));
      }
    }
    delete body[key];
  }
  return undefined;
}

const toManyEmpty = (module: string): RecordBody =>
  module === 'alerts' || module === 'incidents' ? { assets: [], indicators: [], tasks: [], comments: [] } : module === 'assets' ? { alerts: [], incidents: [] } : {};

export const recordHandlers: Record<string, Handler<FortiSoarState>> = {
  /** "Retrieve Collection of Model Records": Hydra collection, paged. */
  listRecords: withModule('collection', ({ req, state }, module) =>
    json(200, collection(req, `/api/3/${module}`, module, select(req, state.records(module).values()), (r) => present(state, r))),
  ),

  /** "Create Individual Model Records": STATUS 201, the record with its @id. */
  createRecord: withModule('collection', ({ state, body }, module) => {
    const why = invalidRecord(state, body, true);
    if (why) return error(400, why);
    const fields = { ...(body as RecordBody) };
    if (typeof fields.uuid === 'string' && state.get(module, fields.uuid)) return error(400, `a ${module} record ${fields.uuid} exists already`);
    const { __link, __unlink, ...plain } = fields;
    const record = state.insert(module, { ...toManyEmpty(module), ...plain }, typeof fields.uuid === 'string' ? fields.uuid : undefined);
    const why2 = applyLinks(state, String(record['@id']), { __link, __unlink });
    if (why2) {
      state.remove(module, String(record.uuid));
      return error(400, why2);
    }
    return json(201, present(state, record, true));
  }),

  /** "Retrieve Single Model Records": STATUS 200, the record. */
  getRecord: withModule('collection', ({ state, params }, module) => {
    const r = state.get(module, params.uuid!);
    return r ? json(200, present(state, r, true)) : notFound(module, params.uuid!);
  }),

  /** "Update Single Model Records": STATUS 200, the whole record after the change. */
  updateRecord: withModule('collection', ({ state, params, body }, module) => {
    const r = state.get(module, params.uuid!);
    if (!r) return notFound(module, params.uuid!);
    const why = invalidRecord(state, body, false);
    if (why) return error(400, why);
    const fields = { ...(body as RecordBody) };
    const linkError = applyLinks(state, String(r['@id']), fields);
    if (linkError) return error(400, linkError);
    return json(200, present(state, state.update(module, params.uuid!, fields), true));
  }),

  /** "Delete Single Model Records": STATUS 204, REASON: No Content. */
  deleteRecord: withModule('collection', ({ state, params }, module) =>
    state.remove(module, params.uuid!) ? noContent() : notFound(module, params.uuid!),
  ),

  /**
   * "Insert records in bulk": "If all the records are inserted successfully, then you will get a
   * 200 OK response. If not all the records can be inserted, then you will get a 207".
   * The 200 body is the guide's "complete response" (hydra:Collection); the 207 body is
   * `{success, failure}` with each failure naming its index (field notes).
   */
  bulkInsert: withModule('module', ({ state, body }, module) => {
    const rows = dataRows(body);
    if (typeof rows === 'string') return error(400, rows);
    const success: RecordBody[] = [];
    const failure: string[] = [];
    rows.forEach((row, index) => {
      const why = invalidRecord(state, row, true) ?? (isObject(row) && typeof row.uuid === 'string' && state.get(module, row.uuid) ? 'duplicate uuid' : undefined);
      if (why) failure.push(`Insert of object at index #${index} failed with error: {"message": "${why}"}`);
      else success.push(present(state, state.insert(module, { ...toManyEmpty(module), ...(row as RecordBody) }, (row as RecordBody).uuid as string | undefined)));
    });
    if (failure.length === 0) return json(200, { '@context': `/api/3/contexts/${MODULE_TYPES[module]}`, '@id': null, '@type': 'hydra:Collection', 'hydra:member': success });
    return json(207, { success, failure });
  }),

  /**
   * "Update records in bulk": 200 when every record is updated; "If you do not provide an id for
   * an object (record) ... Records that do not have an id will not be updated ... you get a 207
   * response, which will list the records that are not updated."
   */
  bulkUpdate: withModule('module', ({ state, body }, module) => {
    const rows = dataRows(body);
    if (typeof rows === 'string') return error(400, rows);
    const success: RecordBody[] = [];
    const failure: string[] = [];
    rows.forEach((row, index) => {
      const ref = isObject(row) ? (parseIri(row['@id']) ?? (typeof row.uuid === 'string' ? { module, uuid: row.uuid } : undefined)) : undefined;
      const why = invalidRecord(state, row, false) ?? (!ref ? 'the record has no id' : ref.module !== module || !state.get(module, ref.uuid) ? `no ${module} record ${ref.uuid}` : undefined);
      if (why) failure.push(`Update of object at index #${index} failed with error: {"message": "${why}"}`);
      else success.push(present(state, state.update(module, ref!.uuid, row as RecordBody)));
    });
    return failure.length === 0 ? json(200, { data: success }) : json(207, { success, failure });
  }),

  /**
   * "Delete records in bulk": 200 when every record is deleted; "if for example, you have provided
   * an ID of an already deleted record, then you will get a 207 (Partially Deleted) response."
   */
  bulkDelete: withModule('module', ({ state, body }, module) => {
    if (!isObject(body) || !Array.isArray(body.ids)) return error(400, 'the body must be {"ids": [uuid, ...]}');
    const success: string[] = [];
    const failure: string[] = [];
    for (const id of body.ids as unknown[]) {
      const uuid = typeof id === 'string' ? (parseIri(id)?.uuid ?? id) : undefined;
      if (uuid && state.remove(module, uuid)) success.push(String(id));
      else failure.push(String(id));
    }
    return failure.length === 0 ? json(200, { success, failure }) : json(207, { success, failure });
  }),

  /**
   * "Single Upsert API": updates the record matching the module's unique fields, else inserts;
   * "If you have not defined record uniqueness, the upsert operation will always insert records."
   * The stub defines no uniqueness beyond `uuid` and `@id`. Answers the whole record (field notes).
   */
  upsertRecord: withModule('module', ({ state, body }, module) => {
    const why = invalidRecord(state, body, false);
    if (why) return error(400, why);
    const r = upsertOne(state, module, body as RecordBody);
    return json(200, present(state, r, true));
  }),

  /**
   * "Bulk Upsert API": "If all the records are upserted successfully, then you will get a 200 OK
   * response. If some records are upserted successfully and some records are not upserted, then
   * you will get a 207 (Partial Upsert) response. If none of the records are upserted successfully,
   * then you will get a 400 response." The body is a bare JSON array.
   */
  bulkUpsert: withModule('module', ({ state, body }, module) => {
    if (!Array.isArray(body)) return error(400, 'the body must be a JSON array of records');
    const success: RecordBody[] = [];
    const failure: string[] = [];
    body.forEach((row, index) => {
      const why = invalidRecord(state, row, false);
      if (why) failure.push(`Upsert of object at index #${index} failed with error: {"message": "${why}"}`);
      else success.push(present(state, upsertOne(state, module, row as RecordBody)));
    });
    if (failure.length === 0) return json(200, { success, failure });
    return success.length === 0 ? error(400, 'none of the records could be upserted', { failure }) : json(207, { success, failure });
  }),

  /** "Get Relationship": the related records as a Hydra collection. */
  getRelationship: withModule('collection', ({ req, state, params }, module) => {
    const parent = state.get(module, params.uuid!);
    if (!parent) return notFound(module, params.uuid!);
    const rel = params.relationship!;
    if (!state.has(rel)) return unknownModule(rel);
    const path = `${iriOf(module, params.uuid!.toLowerCase())}/${rel}`;
    return json(200, collection(req, path, rel, select(req, state.related(String(parent['@id']), rel)), (r) => present(state, r)));
  }),

  /**
   * "Append Existing Object to Relationship" (body `{"@id": iri}`) and "Append New Object to
   * Relationship" (body of fields): answers the related record.
   */
  appendRelationship: withModule('collection', ({ state, params, body }, module) => {
    const parent = state.get(module, params.uuid!);
    if (!parent) return notFound(module, params.uuid!);
    const rel = params.relationship!;
    if (!state.has(rel)) return unknownModule(rel);
    if (!isObject(body)) return error(400, 'the body must be a JSON object');
    let related: RecordBody | undefined;
    if (body['@id'] !== undefined) {
      related = state.getByIri(body['@id']);
      if (!related || parseIri(body['@id'])!.module !== rel) return error(404, `no ${rel} record ${String(body['@id'])}`);
    } else {
      const why = invalidRecord(state, body, true);
      if (why) return error(400, why);
      related = state.insert(rel, { ...toManyEmpty(rel), ...body });
    }
    state.link(String(parent['@id']), String(related['@id']));
    return json(200, present(state, related, true));
  }),

  /** "Delete Relationship": STATUS 204, the link removed (the related record stays). */
  deleteRelationship: withModule('collection', ({ state, params }, module) => {
    const parent = state.get(module, params.uuid!);
    if (!parent) return notFound(module, params.uuid!);
    const related = iriOf(params.relationship!, params.relatedUuid!.toLowerCase());
    return state.unlink(String(parent['@id']), related) ? noContent() : error(404, `${related} is not linked to ${String(parent['@id'])}`);
  }),
};

function dataRows(body: unknown): unknown[] | string {
  if (!isObject(body) || !Array.isArray(body.data)) return 'the body must be {"data": [record, ...]}';
  return body.data;
}

function upsertOne(state: FortiSoarState, module: string, row: RecordBody): RecordBody {
  const ref = parseIri(row['@id']) ?? (typeof row.uuid === 'string' ? { module, uuid: row.uuid } : undefined);
  if (ref && ref.module === module && state.get(module, ref.uuid)) return state.update(module, ref.uuid, row);
  return state.insert(module, { ...toManyEmpty(module), ...row }, typeof row.uuid === 'string' && UUID.test(row.uuid) ? row.uuid : undefined);
}
