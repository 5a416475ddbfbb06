/**
 * FortiSOAR routes real clients call that fortisoar-api-guide.txt does not describe, each citing
 * what real servers do (../shared/docs/field-notes.md, and the public clients the notes name).
 */
import { error, isObject, json } from '../core/http.ts';
import type { ExtraRoute, Handler, HandlerContext } from '../core/types.ts';
import { collection } from './collection.ts';
import { fileRoutes } from './files.ts';
import { licensingHandlers } from './licensing.ts';
import { aggregate, matches, sortRows } from './query.ts';
import { present, unknownModule } from './records.ts';
import { legacyViewByDefault, STUB_VERSION } from './settings.ts';
import type { FortiSoarState, RecordBody } from './state.ts';

type H = Handler<FortiSoarState>;

/** `__selectFields` keeps only the listed fields (with @id and @type), `__ignoreFields` drops the listed ones. */
function project(record: RecordBody, select: unknown, ignore: unknown): RecordBody {
  if (Array.isArray(select)) return Object.fromEntries(Object.entries(record).filter(([k]) => k === '@id' || k === '@type' || select.includes(k)));
  if (Array.isArray(ignore)) return Object.fromEntries(Object.entries(record).filter(([k]) => !ignore.includes(k)));
  return record;
}

/**
 * Field notes: the query body "the guide uses for workflow logs" (logic, filters, nested filters,
 * sort, aggregates) posted to `/api/query/{module}`, paged by `$limit` and `$page` in the query
 * string (a `limit` in the body is ignored, as on real servers); the answer is a Hydra collection
 * like `GET /api/3/{module}`. Filter fields may be dotted paths through references
 * (`status.itemValue`, as pyfsr's Query builds them).
 */
const queryRecords: H = ({ state, req, params, body }) => {
  const module = params.module!;
  if (!state.has(module)) return unknownModule({ req, state }, module);
  if (body !== undefined && !isObject(body)) return error(400, 'the body must be a query object {"logic", "filters", "sort", ...}');
  const q = (body ?? {}) as Record<string, unknown>;
  const read = (r: RecordBody, field: string): unknown => state.valueAt(r, field);
  const search = req.query.get('$search')?.toLowerCase();
  const rows = [...state.records(module).values()]
    .filter((r) => matches(r, q.logic, q.filters, read))
    .filter((r) => !search || Object.values(r).some((v) => typeof v === 'string' && v.toLowerCase().includes(search)));
  const sorted = sortRows(rows, q.sort, read, (a, b) => Number(a.id) - Number(b.id));
  const groups = aggregate(sorted, q.aggregates, read);
  const path = `/api/query/${module}`;
  if (groups)
    return json(
      200,
      collection(req, path, module, groups, (g) => g, legacyViewByDefault(state.settings)),
    );
  return json(
    200,
    collection(req, path, module, sorted, (r) => project(present(state, r), q.__selectFields, q.__ignoreFields), legacyViewByDefault(state.settings)),
  );
};

/**
 * `GET /api/auth/license`: the authenticated licence details real clients read (pyfsr's
 * `system.license()`, field notes: "public clients of these APIs"), the guide's
 * `GET /auth/license/?param=license_details` under the `/api/auth` prefix; `param` defaults to
 * `license_details`.
 */
const licenseDetails: H = (ctx: HandlerContext<FortiSoarState>) => {
  const query = new URLSearchParams(ctx.req.query);
  if (!query.has('param')) query.set('param', 'license_details');
  return licensingHandlers.getLicenseDetails!({ ...ctx, req: { ...ctx.req, query } });
};

/**
 * `GET /api/version`: the build version, without credentials, as real servers answer it
 * ({"version": "7.6.5-5662"} in the fortisoar-api-docs recordings of 7.6.5; pyfsr's capture of
 * 8.0: {"version": "8.0.0-6034"}). Clients read it first (pyfsr `system.version()`).
 */
const version: ExtraRoute<FortiSoarState> = { public: true, handler: ({ state }) => json(200, { version: STUB_VERSION[state.settings.behaviour] }) };

export const fortisoarExtraRoutes: Readonly<Record<string, H | ExtraRoute<FortiSoarState>>> = {
  'POST /api/query/{module}': queryRecords,
  'GET /api/auth/license': licenseDetails,
  'GET /api/version': version,
  ...fileRoutes,
};
