/**
 * FortiSOAR "Model Operations", bulk operations, upsert and "Relationship Operations"
 * (fortisoar-api-guide.txt), each handler under the sentence it implements.
 */
import { error, isObject, json, noContent } from '../core/http.ts';
import type { Handler, HandlerContext, StubResponse } from '../core/types.ts';
import { collection, select } from './collection.ts';
import { legacyViewByDefault } from './settings.ts';
import {
  type FortiSoarState,
  iriModule,
  iriOf,
  LOOKUP_FIELDS,
  MODULE_FIELD_NAMES,
  MODULE_TYPES,
  PICKLIST_FIELDS,
  parseIri,
  RELATIONS,
  type RecordBody,
  STRING_FIELDS,
  UUID,
} from './state.ts';

type Ctx = HandlerContext<FortiSoarState>;

/** A module the stub does not hold: a route outside what it serves, named with the modules it has. */
export const unknownModule = ({ req, state }: Pick<Ctx, 'req' | 'state'>, module: string): StubResponse =>
  error(404, `no module "${module}": the fortisoar stub implements no ${req.method} ${req.path} (its modules: ${[...state.modules.keys()].join(', ')})`);
const notFound = (module: string, uuid: string): StubResponse => error(404, `no ${module} record ${uuid}`);

/** A reference sent back expanded (`{"@id": iri, ...}`, as the stub answers it) is taken as its IRI. */
const refOf = (v: unknown): unknown => (isObject(v) && typeof v['@id'] === 'string' ? v['@id'] : v);

/**
 * The to-many relations a body sets: a field named after a module whose value is a list of IRIs
 * of that module (`"assets": ["/api/3/assets/<uuid>"]`, as real clients create a task linked to
 * its alert). The list replaces the relation; `__link` / `__unlink` add and remove (field notes).
 */
function relationsOf(state: FortiSoarState, body: RecordBody): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of Object.entries(body)) {
    if (!state.has(k) || !Array.isArray(v)) continue;
    const iris = v.map(refOf);
    if (iris.every((i) => parseIri(i)?.module === k)) out.set(k, iris as string[]);
  }
  return out;
}

/** Why `__link` / `__unlink` cannot be applied, or undefined. */
function invalidLinks(state: FortiSoarState, body: RecordBody): string | undefined {
  for (const key of ['__link', '__unlink'] as const) {
    const spec = body[key];
    if (spec === undefined) continue;
    if (!isObject(spec)) return `${key} must be an object of relationship → IRIs`;
    for (const [rel, iris] of Object.entries(spec)) {
      if (!Array.isArray(iris)) return `${key}.${rel} must be a list of IRIs`;
      for (const other of iris.map(refOf)) if (!state.getByIri(other) || parseIri(other)!.module !== rel) return `${key}.${rel}: no record ${String(other)}`;
    }
  }
  return undefined;
}

/** Why a record body of `module` cannot be stored, or undefined. */
export function invalidRecord(state: FortiSoarState, body: unknown, creating: boolean, module?: string): string | undefined {
  if (!isObject(body)) return 'a record must be a JSON object';
  for (const [k, v] of Object.entries(body)) {
    if (STRING_FIELDS.has(k) && v !== null && typeof v !== 'string') return `field "${k}" must be a string or null`;
  }
  if (creating && body.uuid !== undefined) {
    if (typeof body.uuid !== 'string' || !UUID.test(body.uuid)) return 'uuid must be a UUID';
  }
  // Field notes: "Picklist values are IRIs (/api/3/picklists/<uuid>); 7.5+ rejects plain strings for picklist fields."
  for (const [field, list] of Object.entries(PICKLIST_FIELDS[module ?? ''] ?? {})) {
    const v = refOf(body[field]);
    if (v === undefined || v === null || state.listOf(v) === list) continue;
    return `The "${field}" field is required to have a value from the "${list}" picklist. However, the provided value does not match any of the options listed in the specified picklist.`;
  }
  const relations = relationsOf(state, body);
  for (const [rel, iris] of relations) {
    const missing = iris.find((i) => !state.getByIri(i));
    if (missing) return `${rel}: no record ${missing}`;
  }
  return invalidReferences(state, body, module ?? '', relations) ?? invalidLinks(state, body);
}

/**
 * Why a reference of the body points at nothing, or undefined. A reference is any field value (or
 * list element) that is the IRI of a record of a module the stub holds (`/api/3/people/<uuid>`),
 * sent as is or expanded (`{"@id": iri, ...}`, as the stub answers it); a lookup field of the
 * module's metadata (`assignedTo` → people) takes only an IRI of its module. Real servers refuse
 * a reference to a record that does not exist (issue 13: the most common bad row of a bulk call).
 */
function invalidReferences(state: FortiSoarState, body: RecordBody, module: string, relations: ReadonlyMap<string, string[]>): string | undefined {
  const picklists = PICKLIST_FIELDS[module] ?? {};
  const lookups = LOOKUP_FIELDS[module] ?? {};
  for (const [field, value] of Object.entries(body)) {
    if (field.startsWith('@') || field === '__link' || field === '__unlink' || relations.has(field) || field in picklists) continue;
    const target = lookups[field];
    if (target !== undefined && value !== null && iriModule(refOf(value)) !== target)
      return `field "${field}" takes a reference to a ${target} record (/api/3/${target}/<uuid>), got ${JSON.stringify(value)}`;
    for (const item of Array.isArray(value) ? value : [value]) {
      const ref = refOf(item);
      const referenced = iriModule(ref);
      if (referenced === undefined || !state.has(referenced)) continue;
      if (!state.getByIri(ref)) return `field "${field}" references ${String(ref)}, which is no ${referenced} record`;
    }
  }
  return undefined;
}

/** Why storing `fields` as a `module` record (other than `exceptUuid`) would break the module's uniqueness, or undefined. */
function duplicate(state: FortiSoarState, module: string, fields: RecordBody, exceptUuid?: string): string | undefined {
  const other = state.uniqueMatch(module, fields, exceptUuid);
  if (!other) return undefined;
  const unique = state.uniqueFields(module);
  return `a ${module} record with the same ${unique.join(', ')} (${unique.map((f) => JSON.stringify(fields[f])).join(', ')}) exists already: ${String(other['@id'])} (${module} records are unique on ${unique.join(', ')}; upsert updates it)`;
}

/** Why updating the `module` record `existing` with the stored `fields` would break the module's uniqueness, or undefined. */
const duplicateOnUpdate = (state: FortiSoarState, module: string, existing: RecordBody, fields: RecordBody): string | undefined =>
  duplicate(state, module, { ...existing, ...fields }, String(existing.uuid));

/** The stored fields of a body: references as IRIs, without relations and link instructions. */
function storedFields(state: FortiSoarState, body: RecordBody): RecordBody {
  const relations = relationsOf(state, body);
  const out: RecordBody = {};
  for (const [k, v] of Object.entries(body)) if (!relations.has(k) && k !== '__link' && k !== '__unlink') out[k] = refOf(v);
  return out;
}

/** Sets the relations the body lists (replacing), then applies `__unlink` and `__link`; the body was validated. */
function applyRelations(state: FortiSoarState, iri: string, body: RecordBody): void {
  for (const [rel, iris] of relationsOf(state, body)) {
    for (const r of state.related(iri, rel)) state.unlink(iri, String(r['@id']));
    for (const other of iris) state.link(iri, other);
  }
  for (const [key, add] of [
    ['__unlink', false],
    ['__link', true],
  ] as const) {
    const spec = body[key];
    if (!isObject(spec)) continue;
    for (const iris of Object.values(spec) as unknown[][]) {
      for (const other of iris.map(refOf)) {
        if (add) state.link(iri, String(other));
        else state.unlink(iri, String(other));
      }
    }
  }
}

/** Creates a validated record of `module` with its relations; `fields`: the body's storedFields, when the caller has them. */
function createOne(state: FortiSoarState, module: string, body: RecordBody, fields = storedFields(state, body)): RecordBody {
  const record = state.insert(module, fields, typeof body.uuid === 'string' && UUID.test(body.uuid) ? body.uuid : undefined);
  applyRelations(state, String(record['@id']), body);
  return record;
}

/** Updates a validated record of `module` with its relations; `fields`: the body's storedFields (links do not change them). */
function updateOne(state: FortiSoarState, module: string, uuid: string, body: RecordBody, fields: RecordBody): RecordBody {
  applyRelations(state, iriOf(module, uuid.toLowerCase()), body);
  return state.update(module, uuid, fields);
}

const PICKLIST_SHOWN = ['itemValue', 'orderIndex', 'color', 'uuid', 'id'];
const PERSON_SHOWN = ['firstname', 'lastname', 'email', 'uuid', 'id'];

/**
 * A record as real servers answer it (field notes): single records carry `@context`; picklist and
 * person references come back as expanded objects whose `@id` is the IRI; to-many relations as
 * arrays of IRIs (empty after a create without links).
 */
export function present(state: FortiSoarState, record: RecordBody, single = false): RecordBody {
  const out: RecordBody = single ? { '@context': `/api/3/contexts/${record['@type']}`, ...record } : { ...record };
  const iri = String(record['@id']);
  const module = parseIri(iri)?.module ?? '';
  // Recorded 7.6.5 answers carry every field of the module, null where unset (settings.ts).
  if (state.settings.behaviour === 'recorded') for (const f of MODULE_FIELD_NAMES[module] ?? []) if (!(f in out)) out[f] = null;
  for (const [k, v] of Object.entries(record)) {
    if (k.startsWith('@')) continue; // the record's own @id is not a reference
    const ref = parseIri(v);
    if (ref && (ref.module === 'picklists' || ref.module === 'people')) {
      const target = state.get(ref.module, ref.uuid);
      if (target) {
        const shown = ref.module === 'picklists' ? PICKLIST_SHOWN : PERSON_SHOWN;
        out[k] = { '@id': target['@id'], '@type': target['@type'], ...Object.fromEntries(shown.filter((f) => f in target).map((f) => [f, target[f]])) };
      }
    }
  }
  for (const rel of new Set([...(RELATIONS[module] ?? []), ...state.relatedModules(iri)])) {
    if (!(rel in record)) out[rel] = state.related(iri, rel).map((r) => r['@id']);
  }
  return out;
}

function withModule(param: string, fn: (ctx: Ctx, module: string) => StubResponse): Handler<FortiSoarState> {
  return (ctx) => {
    const module = ctx.params[param]!;
    return ctx.state.has(module) ? fn(ctx, module) : unknownModule(ctx, module);
  };
}

/** A bulk failure entry as real servers word it (field notes: "each failure is a string naming the 0-based index"). */
const failed = (method: string, index: number, why: string): string =>
  `${method} method for object at index #${index} in the request payload failed with error: ${JSON.stringify({ type: 'ValidationException', message: why })}`;

export const recordHandlers: Record<string, Handler<FortiSoarState>> = {
  /** "Retrieve Collection of Model Records": Hydra collection, paged. */
  listRecords: withModule('collection', ({ req, state }, module) =>
    json(
      200,
      collection(
        req,
        `/api/3/${module}`,
        module,
        select(req, state.records(module).values(), (r, f) => state.valueAt(r, f)),
        (r) => present(state, r),
        legacyViewByDefault(state.settings),
      ),
    ),
  ),

  /** "Create Individual Model Records": STATUS 201, the record with its @id. */
  createRecord: withModule('collection', ({ state, body }, module) => {
    const why = invalidRecord(state, body, true, module);
    if (why) return error(400, why);
    const record = body as RecordBody;
    if (typeof record.uuid === 'string' && state.get(module, record.uuid)) return error(400, `a ${module} record ${record.uuid} exists already`);
    const fields = storedFields(state, record);
    const dup = duplicate(state, module, fields);
    if (dup) return error(400, dup);
    return json(201, present(state, createOne(state, module, record, fields), true));
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
    const invalid = invalidRecord(state, body, false, module);
    if (invalid) return error(400, invalid);
    const fields = storedFields(state, body as RecordBody);
    const dup = duplicateOnUpdate(state, module, r, fields);
    if (dup) return error(400, dup);
    return json(200, present(state, updateOne(state, module, params.uuid!, body as RecordBody, fields), true));
  }),

  /**
   * "Delete Single Model Records": STATUS 204, REASON: No Content. Recorded 7.6.5 servers answer
   * a comment's deletion 200 with the comment, marked deleted (settings.ts, `recorded`).
   */
  deleteRecord: withModule('collection', ({ state, params }, module) => {
    const r = state.get(module, params.uuid!);
    if (!r) return notFound(module, params.uuid!);
    // The comment is shown before it is removed (its links go with it).
    const answer = module === 'comments' && state.settings.behaviour === 'recorded' ? json(200, { ...present(state, r, true), isDeleted: true }) : noContent();
    state.remove(module, params.uuid!);
    return answer;
  }),

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
      const fields = isObject(row) ? storedFields(state, row) : {};
      const why =
        invalidRecord(state, row, true, module) ??
        (isObject(row) && typeof row.uuid === 'string' && state.get(module, row.uuid) ? 'duplicate uuid' : undefined) ??
        duplicate(state, module, fields);
      if (why) failure.push(failed('POST', index, why));
      else success.push(present(state, createOne(state, module, row as RecordBody, fields)));
    });
    if (failure.length > 0) return json(207, { success, failure });
    const context = `/api/3/contexts/${MODULE_TYPES[module]}`;
    // Recorded (8.0, pyfsr's capture): 201, the collection named by the route, with its count.
    if (state.settings.behaviour === 'recorded')
      return json(201, {
        '@context': context,
        '@id': `/api/3/insert/${module}`,
        '@type': 'hydra:Collection',
        'hydra:member': success,
        'hydra:totalItems': success.length,
      });
    return json(200, { '@context': context, '@id': null, '@type': 'hydra:Collection', 'hydra:member': success });
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
      const existing = ref?.module === module ? state.get(module, ref.uuid) : undefined;
      const fields = isObject(row) ? storedFields(state, row) : {};
      const why =
        invalidRecord(state, row, false, module) ??
        (!ref ? 'the record has no id' : !existing ? `no ${module} record ${ref.uuid}` : undefined) ??
        duplicateOnUpdate(state, module, existing!, fields);
      if (why) failure.push(failed('PUT', index, why));
      else success.push(present(state, updateOne(state, module, ref!.uuid, row as RecordBody, fields)));
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
   * "Single Upsert API": "either update an existing record, if any record matches the unique list
   * of fields you have specified for that module ..., or insert a new record"; "If you have not
   * defined record uniqueness, the upsert operation will always insert records." Uniqueness per
   * module: fixtures/fortisoar/seed.ts MODULE_UNIQUE (alerts on sourceId). Answers the whole record
   * (field notes), 200 (recorded 7.6.5: 201).
   */
  upsertRecord: withModule('module', ({ state, body }, module) => {
    const r = invalidRecord(state, body, false, module) ?? upsert(state, module, body as RecordBody);
    if (typeof r === 'string') return error(400, r);
    return json(state.settings.behaviour === 'recorded' ? 201 : 200, present(state, r, true));
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
      const r = invalidRecord(state, row, false, module) ?? upsert(state, module, row as RecordBody);
      if (typeof r === 'string') failure.push(failed('POST', index, r));
      else success.push(present(state, r));
    });
    // Recorded 7.6.5: 201 and the upserted records as a hydra:Collection.
    if (failure.length === 0 && state.settings.behaviour === 'recorded') return json(201, { '@type': 'hydra:Collection', 'hydra:member': success });
    if (failure.length === 0) return json(200, { success, failure });
    return success.length === 0 ? error(400, 'none of the records could be upserted', { failure }) : json(207, { success, failure });
  }),

  /** "Get Relationship": the related records as a Hydra collection. */
  getRelationship: withModule('collection', (ctx, module) => {
    const { req, state, params } = ctx;
    const parent = state.get(module, params.uuid!);
    if (!parent) return notFound(module, params.uuid!);
    const rel = params.relationship!;
    if (!state.has(rel)) return unknownModule(ctx, rel);
    const path = `${iriOf(module, params.uuid!.toLowerCase())}/${rel}`;
    return json(
      200,
      collection(req, path, rel, select(req, state.related(String(parent['@id']), rel)), (r) => present(state, r), legacyViewByDefault(state.settings)),
    );
  }),

  /**
   * "Append Existing Object to Relationship" (body `{"@id": iri}`) and "Append New Object to
   * Relationship" (body of fields): answers the related record.
   */
  appendRelationship: withModule('collection', (ctx, module) => {
    const { state, params, body } = ctx;
    const parent = state.get(module, params.uuid!);
    if (!parent) return notFound(module, params.uuid!);
    const rel = params.relationship!;
    if (!state.has(rel)) return unknownModule(ctx, rel);
    if (!isObject(body)) return error(400, 'the body must be a JSON object');
    let related: RecordBody | undefined;
    if (body['@id'] !== undefined) {
      related = state.getByIri(body['@id']);
      // A reference to nothing is a bad request, as in a create (invalidReferences).
      if (!related || parseIri(body['@id'])!.module !== rel) return error(400, `"@id" references ${String(body['@id'])}, which is no ${rel} record`);
    } else {
      const why = invalidRecord(state, body, true, rel);
      if (why) return error(400, why);
      related = createOne(state, rel, body);
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

/**
 * Upserts a valid row: updates the record the row names by `@id` or `uuid`, else the record whose
 * unique fields match the row's ("if any record matches the unique list of fields"), else inserts
 * the row (always, in a module without uniqueness). Answers the record, or why the row cannot be
 * upserted: its update would collide with another record's unique fields.
 */
function upsert(state: FortiSoarState, module: string, row: RecordBody): RecordBody | string {
  const fields = storedFields(state, row);
  const ref = parseIri(row['@id']) ?? (typeof row.uuid === 'string' ? { module, uuid: row.uuid } : undefined);
  const target = (ref?.module === module ? state.get(module, ref.uuid) : undefined) ?? state.uniqueMatch(module, fields);
  if (!target) return createOne(state, module, row, fields);
  return duplicateOnUpdate(state, module, target, fields) ?? updateOne(state, module, String(target.uuid), row, fields);
}
