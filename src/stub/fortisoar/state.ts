/**
 * The FortiSOAR stub's in-memory state: modules of records addressed by IRI
 * (`/api/3/{collection}/{uuid}`), relationships between records, users, issued tokens and API
 * keys; seeded with the picklists, module metadata and records of fixtures/fortisoar/seed.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ADMIN, API_KEY_USER, MODULE_FIELDS, MODULE_UNIQUE, PICKLISTS, seedFaker, seedRecords } from '../../../fixtures/fortisoar/seed.ts';
import { STUB_CREDENTIALS } from '../credentials.ts';
import { type FortiSoarSettings, settingsOf } from './settings.ts';

export type RecordBody = Record<string, unknown>;

/** Module (collection) name → record type, as real servers name them. */
export const MODULE_TYPES: Readonly<Record<string, string>> = {
  alerts: 'Alert',
  incidents: 'Incident',
  assets: 'Asset',
  indicators: 'Indicator',
  tasks: 'Task',
  comments: 'Comment',
  people: 'Person',
  roles: 'Role',
  teams: 'Team',
  files: 'File',
  attachments: 'Attachment',
  picklists: 'Picklist',
  picklist_names: 'PicklistName',
  import_jobs: 'ImportJob',
  export_templates: 'ExportTemplate',
  export_jobs: 'ExportJob',
  workflows: 'Workflow',
  api_keys: 'ApiKey',
  staging_model_metadatas: 'StagingModelMetadata',
};

/**
 * The to-many relations each module shows, as arrays of IRIs (field notes: "a create answers with
 * empty arrays for to-many relations"). They are not stored on the record: they are the links
 * (`POST .../{relationship}`, `__link`, or the relation field of a create or update) to records of
 * that module.
 */
export const RELATIONS: Readonly<Record<string, readonly string[]>> = {
  alerts: ['assets', 'indicators', 'tasks', 'comments', 'incidents'],
  incidents: ['alerts', 'assets', 'indicators', 'tasks', 'comments'],
  assets: ['alerts', 'incidents'],
  indicators: ['alerts', 'incidents'],
  tasks: ['alerts', 'incidents'],
  comments: ['alerts', 'incidents'],
  api_keys: ['roles', 'teams'],
};

/** Picklist-bound fields by module → the picklist name they take items of (fixtures/fortisoar/seed.ts MODULE_FIELDS). */
export const PICKLIST_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = Object.fromEntries(
  Object.entries(MODULE_FIELDS).map(([module, fields]) => [module, Object.fromEntries(fields.filter((f) => f.picklist).map((f) => [f.name, f.picklist!]))]),
);

/** Lookup fields by module → the module whose records they reference (`assignedTo` → people). */
export const LOOKUP_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = Object.fromEntries(
  Object.entries(MODULE_FIELDS).map(([module, fields]) => [module, Object.fromEntries(fields.filter((f) => f.lookup).map((f) => [f.name, f.lookup!]))]),
);

/** Every field of a module its metadata lists (what a record of the module shows in full, `recorded` behaviour). */
export const MODULE_FIELD_NAMES: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(MODULE_FIELDS).map(([module, fields]) => [module, fields.map((f) => f.name)]),
);

/** Fields whose type the stub enforces (a wrongly typed value is a 400 or a failed bulk row). */
export const STRING_FIELDS = new Set(['name', 'description', 'hostname', 'ip', 'macAddress', 'source', 'username', 'email', 'value']);

export const iriOf = (module: string, uuid: string): string => `/api/3/${module}/${uuid}`;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IRI = /^\/api\/3\/(\w+)\/([0-9a-f-]{36})$/i;
/** Anything shaped like a record IRI, whatever its id: a reference, to check against the store. */
const IRI_SHAPED = /^\/api\/3\/(\w+)\/([^/?#\s]+)$/;

export function parseIri(iri: unknown): { module: string; uuid: string } | undefined {
  if (typeof iri !== 'string') return undefined;
  const m = IRI.exec(iri);
  return m ? { module: m[1]!, uuid: m[2]! } : undefined;
}

/** The module a string names as a record IRI (`/api/3/<module>/<id>`, any id), if it is one. */
export function iriModule(v: unknown): string | undefined {
  return typeof v === 'string' ? IRI_SHAPED.exec(v)?.[1] : undefined;
}

const isRecord = (v: unknown): v is RecordBody => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A `staging_model_metadatas` member: the module, its fields, each picklist field's data source (the list it binds to). */
function moduleMetadata(
  state: FortiSoarState,
  module: string,
  fields: readonly { name: string; type: string; formType: string; picklist?: string; lookup?: string }[],
): RecordBody {
  const type = MODULE_TYPES[module]!;
  const unique = MODULE_UNIQUE[module] ?? [];
  return {
    type: module,
    module,
    tableName: module,
    descriptions: { singular: type, plural: `${type}s` },
    // Real servers show a module's record uniqueness here and in model_metadatas:
    // "uniqueConstraint": [{"alerts_unique": {"columns": ["sourceId", "tenant"]}}] (fortisoar-api-docs
    // recordings of 7.6.5), [] when the module defines none.
    uniqueConstraint: unique.length > 0 ? [{ [`${module}_unique`]: { columns: [...unique] } }] : [],
    attributes: [
      ...fields.map((f) => ({
        '@type': 'AttributeMetadata',
        name: f.name,
        type: f.type,
        formType: f.formType,
        ...(f.picklist ? { dataSource: { model: 'picklists', query: { filters: [{ field: 'listName__name', operator: 'eq', value: f.picklist }] } } } : {}),
        ...(f.lookup ? { dataSource: { model: f.lookup } } : {}),
      })),
      ...(RELATIONS[module] ?? [])
        .filter((rel) => state.has(rel))
        .map((rel) => ({ '@type': 'AttributeMetadata', name: rel, type: rel, formType: 'manyToMany' })),
    ],
  };
}

export class FortiSoarState {
  readonly modules = new Map<string, Map<string, RecordBody>>();
  /** Undirected links between record IRIs, `a|b` with a < b. */
  readonly links = new Set<string>();
  readonly tokens = new Map<string, string>();
  readonly users = new Map<string, { password: string; uuid: string }>();
  readonly apiKeys = new Map<string, string>();
  /** The bytes of each file record (`/api/3/files`), by uuid: uploads and export results. */
  readonly fileBytes = new Map<string, Buffer>();
  readonly settings: FortiSoarSettings;
  private nextId = 1;
  private clock = 1_600_000_000;

  constructor(settings: Partial<FortiSoarSettings> = {}) {
    this.settings = settingsOf(settings);
    for (const m of Object.keys(MODULE_TYPES)) this.modules.set(m, new Map());
    const f = seedFaker();
    this.users.set(STUB_CREDENTIALS.fortisoar.username, { password: STUB_CREDENTIALS.fortisoar.password, uuid: ADMIN.uuid });
    this.insert('people', { username: ADMIN.loginid, firstname: ADMIN.firstname, lastname: ADMIN.lastname, email: 'csadmin@stub.invalid' }, ADMIN.uuid);
    for (const list of PICKLISTS) {
      const name = this.insert('picklist_names', { name: list.listName }, f.string.uuid());
      for (const [orderIndex, itemValue] of list.items.entries()) {
        const seeded = f.string.uuid(); // drawn for every item, so fixing one uuid moves no other
        this.insert('picklists', { itemValue, listName: name['@id'], orderIndex }, list.knownUuids?.[itemValue] ?? seeded);
      }
    }
    for (const r of seedRecords(f)) this.insert(r.module, r.fields, f.string.uuid());
    for (const [module, fields] of Object.entries(MODULE_FIELDS)) this.insert('staging_model_metadatas', moduleMetadata(this, module, fields), f.string.uuid());
    this.addApiKey(STUB_CREDENTIALS.fortisoar.apiKey, 'stub well-known API key', '0f6c1a52-3b7e-4d28-9e41-5a6b7c8d9e0f');
    for (const key of this.settings.apiKeys) this.addApiKey(key, 'npm run stub API key');
  }

  /**
   * The record of `module` other than `exceptUuid` whose unique fields (MODULE_UNIQUE, "the unique
   * list of fields you have specified for that module") hold the same values as `fields`, if any.
   * A tuple with a null or missing value identifies nothing (as a null never collides in a SQL
   * unique constraint, and the guide's upsert example sends "sourceId": null).
   */
  uniqueMatch(module: string, fields: RecordBody, exceptUuid?: string): RecordBody | undefined {
    const unique = MODULE_UNIQUE[module] ?? [];
    if (unique.length === 0) return undefined;
    const key = (r: RecordBody): string | undefined => {
      const values = unique.map((f) => r[f]);
      return values.some((v) => v === undefined || v === null) ? undefined : JSON.stringify(values);
    };
    const wanted = key(fields);
    if (wanted === undefined) return undefined;
    for (const r of this.records(module).values()) if (r.uuid !== exceptUuid && key(r) === wanted) return r;
    return undefined;
  }

  /** The fields a module is unique on ("If you have not defined record uniqueness ...": none). */
  uniqueFields(module: string): readonly string[] {
    return MODULE_UNIQUE[module] ?? [];
  }

  /**
   * Accepts `key` as `Authorization: API-KEY <key>` (field notes) and lists its binding in
   * `GET /api/3/api_keys` (name, userId, roles, teams; the key itself is never shown).
   */
  addApiKey(key: string, name: string, uuid?: string): RecordBody {
    this.apiKeys.set(key, API_KEY_USER.loginid);
    return this.insert('api_keys', { name, userId: API_KEY_USER.uuid }, uuid);
  }

  /** The name of the list a picklist item IRI belongs to, if it is one. */
  listOf(itemIri: unknown): string | undefined {
    const p = parseIri(itemIri);
    if (p?.module !== 'picklists') return undefined;
    const list = this.getByIri(this.get('picklists', p.uuid)?.listName);
    return typeof list?.name === 'string' ? list.name : undefined;
  }

  /**
   * The value at a dotted path (`status.itemValue`, `listName.name`), following references (IRIs)
   * and to-many relations (`assets.hostname`); a list when the path crosses a to-many relation.
   */
  valueAt(record: RecordBody, path: string): unknown {
    const step = (v: unknown, part: string): unknown[] => {
      const r = typeof v === 'string' ? this.getByIri(v) : isRecord(v) ? v : undefined;
      if (!r) return [];
      if (part in r) return [r[part]];
      return parseIri(r['@id']) && this.has(part) ? [this.related(String(r['@id']), part).map((x) => x['@id'])] : [];
    };
    let values: unknown[] = [record];
    for (const part of path.split('.')) values = values.flatMap((v) => (Array.isArray(v) ? v : [v])).flatMap((v) => step(v, part));
    return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
  }

  has(module: string): boolean {
    return this.modules.has(module);
  }

  records(module: string): Map<string, RecordBody> {
    const m = this.modules.get(module);
    if (!m) throw new Error(`unknown module ${module}`);
    return m;
  }

  get(module: string, uuid: string): RecordBody | undefined {
    return this.modules.get(module)?.get(uuid.toLowerCase());
  }

  getByIri(iri: unknown): RecordBody | undefined {
    const p = parseIri(iri);
    return p ? this.get(p.module, p.uuid) : undefined;
  }

  /** Stores a new record; the caller has validated the fields. */
  insert(module: string, fields: RecordBody, uuid: string = randomUUID()): RecordBody {
    const now = this.tick();
    const id = uuid.toLowerCase();
    const { '@id': _i, '@type': _t, '@context': _c, id: _n, uuid: _u, createDate: _cd, modifyDate: _md, ...rest } = fields;
    const record: RecordBody = {
      '@id': iriOf(module, id),
      '@type': MODULE_TYPES[module],
      ...rest,
      uuid: id,
      id: this.nextId++,
      createDate: now,
      modifyDate: now,
      createUser: iriOf('people', ADMIN.uuid),
      modifyUser: iriOf('people', ADMIN.uuid),
    };
    this.records(module).set(id, record);
    return record;
  }

  update(module: string, uuid: string, fields: RecordBody): RecordBody {
    const current = this.get(module, uuid)!;
    const { '@id': _i, '@type': _t, '@context': _c, id: _n, uuid: _u, createDate: _cd, modifyDate: _md, ...rest } = fields;
    const next = { ...current, ...rest, modifyDate: this.tick() };
    this.records(module).set(uuid.toLowerCase(), next);
    return next;
  }

  remove(module: string, uuid: string): boolean {
    const iri = iriOf(module, uuid.toLowerCase());
    for (const key of [...this.links]) if (key.split('|').includes(iri)) this.links.delete(key);
    if (module === 'files') this.fileBytes.delete(uuid.toLowerCase());
    return this.records(module).delete(uuid.toLowerCase());
  }

  link(a: string, b: string): void {
    this.links.add(a < b ? `${a}|${b}` : `${b}|${a}`);
  }

  unlink(a: string, b: string): boolean {
    return this.links.delete(a < b ? `${a}|${b}` : `${b}|${a}`);
  }

  /** Records of `module` linked to `iri`. */
  related(iri: string, module: string): RecordBody[] {
    const out: RecordBody[] = [];
    for (const key of this.links) {
      const [a, b] = key.split('|') as [string, string];
      const other = a === iri ? b : b === iri ? a : undefined;
      const p = parseIri(other);
      if (p && p.module === module) {
        const r = this.get(p.module, p.uuid);
        if (r) out.push(r);
      }
    }
    return out.sort((x, y) => Number(x.id) - Number(y.id));
  }

  /** Modules of the records linked to `iri`. */
  relatedModules(iri: string): string[] {
    const out = new Set<string>();
    for (const key of this.links) {
      const [a, b] = key.split('|') as [string, string];
      const other = a === iri ? b : b === iri ? a : undefined;
      const p = parseIri(other);
      if (p) out.add(p.module);
    }
    return [...out];
  }

  issueToken(loginid: string): string {
    const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: loginid, iat: this.clock })}.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, loginid);
    return token;
  }

  private tick(): number {
    // Epoch seconds with a fraction, strictly increasing (field notes: createDate is fractional).
    this.clock += 1.25;
    return this.clock;
  }
}
