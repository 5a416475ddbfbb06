/**
 * FortiSOAR "Workflow Execution": the execution history (offset, limit, ordering and filters),
 * one execution, the workflow log query (filters, nested filters, sort, aggregates), deleting
 * workflow logs by date and the table cleanup. The workflow service answers Hydra keys of the
 * older kind with links that omit the /api prefix (field notes).
 */
import { BadRequest, error, isObject, json } from '../core/http.ts';
import type { Handler, StubRequest } from '../core/types.ts';
import { adminState, type Workflow } from './admin-state.ts';
import { aggregate, matches, sortRows } from './query.ts';
import type { FortiSoarState } from './state.ts';

type H = Handler<FortiSoarState>;
const WF_DEFAULT_LIMIT = 30;

/** The guide quotes filter values (template_iri= "/api/3/workflows/"): surrounding quotes are dropped. */
const unquote = (v: string): string => v.trim().replace(/^"(.*)"$/, '$1');
const list = (v: string): string[] =>
  unquote(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function nonNegative(req: StubRequest, name: string, fallback: number, min: number): number {
  const raw = req.query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new BadRequest(`${name} must be an integer of at least ${min}, got "${raw}"`);
  return n;
}

const dayStart = (v: string): number => Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
/** created_before of a date without a time includes that day ("executed between the 8th and 10th"). */
const dayEnd = (v: string): number => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) + 86_400_000 : Date.parse(v) + 1);

const parentIsNull = (w: Workflow, v: string): boolean => (/^true$/i.test(unquote(v)) ? w.parent === null : w.parent !== null);

/** The filters of "Workflow Execution History", one predicate each. */
export const WORKFLOW_FILTERS: Readonly<Record<string, (w: Workflow, value: string) => boolean>> = {
  template_iri: (w, v) => w.template_iri === unquote(v),
  records: (w, v) => w.records.includes(unquote(v)),
  status: (w, v) => w.status === unquote(v),
  created_after: (w, v) => Date.parse(w.created) >= dayStart(unquote(v)),
  created_before: (w, v) => Date.parse(w.created) < dayEnd(unquote(v)),
  parent__isnull: parentIsNull,
  // Field notes: "The guide's filter is parent__isnull; 7.6.x clients send parent_wf__isnull".
  parent_wf__isnull: parentIsNull,
  tags_include: (w, v) => list(v).some((t) => w.tags.includes(t)),
  tags_exclude: (w, v) => !list(v).some((t) => w.tags.includes(t)),
};

/** "Ordering - The field using which you want to sort the results. For example, ordering=-created". */
export function order(rows: Workflow[], ordering: string | null): Workflow[] {
  if (!ordering) return [...rows].sort((a, b) => a.id - b.id);
  const desc = ordering.startsWith('-');
  const field = (desc ? ordering.slice(1) : ordering) as keyof Workflow;
  if (!['id', 'created', 'modified', 'name', 'status'].includes(field)) return [...rows].sort((a, b) => a.id - b.id);
  return [...rows].sort((a, b) => {
    const x = a[field] as string | number;
    const y = b[field] as string | number;
    return (x < y ? -1 : x > y ? 1 : a.id - b.id) * (desc ? -1 : 1);
  });
}

export function filterHistory(req: StubRequest, rows: Workflow[]): Workflow[] {
  let out = rows;
  for (const [name, predicate] of Object.entries(WORKFLOW_FILTERS)) {
    const v = req.query.get(name);
    if (v !== null && unquote(v) !== '') out = out.filter((w) => predicate(w, v));
  }
  return out;
}

/**
 * An execution; its tags a list (what the suite's schema takes), or with the `recorded` behaviour
 * as 7.6.x servers send them (field notes: "`tags` is one comma-separated string
 * (`"tags": "dataingestion,ingest"`), not an array").
 */
const presenter =
  (state: FortiSoarState) =>
  (w: Workflow): Record<string, unknown> => ({
    '@id': `/wf/api/workflows/${w.id}/`,
    '@type': 'Workflow',
    ...w,
    // The same 7.6 tag shape as the latitude variant fortisoar-workflows-7.6 (src/stub/variants/latitude.ts).
    tags: state.settings.behaviour === 'recorded' ? w.tags.join(',') : [...w.tags],
  });

/** A page of the service's Hydra collection: links keep every other parameter. */
export function page<T>(
  req: StubRequest,
  path: string,
  rows: readonly T[],
  offset: number,
  limit: number,
  show: (row: T) => unknown = (row) => row,
): Record<string, unknown> {
  const total = rows.length;
  const link = (o: number): string => {
    const q = new URLSearchParams([...req.query].filter(([k]) => k !== 'offset' && k !== 'limit'));
    q.set('limit', String(limit));
    q.set('offset', String(o));
    return `${path}?${q.toString()}`;
  };
  const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  return {
    '@context': '/wf/api/contexts/Workflow',
    '@id': link(offset),
    '@type': 'hydra:PagedCollection',
    'hydra:totalItems': total,
    'hydra:itemsPerPage': limit,
    'hydra:firstPage': link(0),
    'hydra:lastPage': link(lastOffset),
    'hydra:nextPage': offset + limit < total ? link(offset + limit) : null,
    'hydra:previousPage': offset > 0 ? link(Math.max(0, offset - limit)) : null,
    // Only the page is presented: the history may hold 100,000 executions.
    'hydra:member': rows.slice(offset, offset + limit).map(show),
  };
}

/** A page at `path` of the execution history as the URL asks for it: offset, limit, ordering and the filters. */
function historyPage(state: FortiSoarState, req: StubRequest, path: string): Record<string, unknown> {
  const offset = nonNegative(req, 'offset', 0, 0);
  const limit = nonNegative(req, 'limit', WF_DEFAULT_LIMIT, 1);
  const rows = order(filterHistory(req, adminState(state).workflows), req.query.get('ordering'));
  return page(req, path, rows, offset, limit, presenter(state));
}

// ── the workflow log query (evaluator shared with POST /api/query/{module}: query.ts) ─────────────
const fieldOf = (w: Workflow, field: string): unknown => (w as unknown as Record<string, unknown>)[field];

export const workflowHandlers: Record<string, H> = {
  /**
   * "GET /api/wf/api/workflows/?format=json: Used to list the workflow execution history", with
   * "Offset - The initial index from which to return the results", "Limit - The maximum number
   * of results to return per page", "Ordering" and the filters.
   */
  listWorkflows: ({ state, req }) => json(200, historyPage(state, req, '/wf/api/workflows/')),

  /** "GET /api/wf/api/workflows/29/?format=json: Used to retrieve the detailed view of a particular workflow execution". */
  getWorkflow: ({ state, params }) => {
    const w = adminState(state).workflows.find((x) => String(x.id) === params.id);
    if (!w) return error(404, `no workflow execution ${params.id}`);
    return json(200, {
      ...presenter(state)(w),
      env: {},
      steps: [{ name: 'Start', status: w.status === 'incipient' ? 'incipient' : 'finished' }],
      result: null,
    });
  },

  /**
   * "If {'query': {}} is found in the POST body of the API call, then the query set is formed
   * based on the users' input data. Otherwise, the query works as per the current
   * functionality, i.e., the query picks up parameters from the URL."
   */
  queryWorkflowLogs: ({ state, req, body }) => {
    if (!isObject(body) || !isObject(body.query)) return json(200, historyPage(state, req, '/wf/api/query/workflow_logs/'));
    const all = adminState(state).workflows;
    const q = body.query;
    const limit = q.limit === undefined ? WF_DEFAULT_LIMIT : Number(q.limit);
    const offset = q.offset === undefined ? 0 : Number(q.offset);
    if (!Number.isInteger(limit) || limit < 1) return error(400, `limit must be a positive integer, got ${JSON.stringify(q.limit)}`);
    if (!Number.isInteger(offset) || offset < 0) return error(400, `offset must be a non-negative integer, got ${JSON.stringify(q.offset)}`);
    const selected = sortRows(
      all.filter((w) => matches(w, q.logic, q.filters, fieldOf)),
      q.sort,
      fieldOf,
      (a, b) => a.id - b.id,
    );
    const groups = aggregate(selected, q.aggregates, fieldOf);
    return json(
      200,
      groups
        ? page(req, '/wf/api/query/workflow_logs/', groups, offset, limit)
        : page(req, '/wf/api/query/workflow_logs/', selected, offset, limit, presenter(state)),
    );
  },

  /**
   * "You can use the Workflows API to delete workflow logs along with a date filter." "date: The
   * date before which the workflow logs should be deleted. exclude_awaiting_wf: ... If you specify
   * true then the workflow logs that are in the 'awating' state are excluded from deletion".
   */
  deleteWorkflows: ({ state, body }) => {
    if (!isObject(body) || typeof body.date !== 'string' || Number.isNaN(Date.parse(body.date)))
      return error(400, 'the body must carry "date", the date before which the workflow logs are deleted');
    const admin = adminState(state);
    const before = Date.parse(body.date);
    const keepAwaiting = body.exclude_awaiting_wf === true;
    admin.workflows = admin.workflows.filter((w) => Date.parse(w.created) >= before || (keepAwaiting && w.status === 'awaiting'));
    return json(200, { result: 'deleting workflows' });
  },

  /** "The 'Workflow Table Cleanup' API clears all the empty rows in tables and indexes and makes the unused space available to the system". */
  vacuumWorkflows: ({ body }) => {
    if (body !== undefined && !isObject(body)) return error(400, 'the body must be a JSON object');
    return json(200, { result: 'workflow table cleanup started' });
  },
};

/**
 * Adds executions to the history (stub mode: what playbooks do on a real instance, which no
 * documented call can make the suite do) and returns them with their ids; `removeExecutions`
 * takes them away again, so a test leaves the shared stub as it found it.
 */
export function appendExecutions(state: unknown, rows: readonly Omit<Workflow, 'id'>[]): Workflow[] {
  const admin = adminState(state as FortiSoarState);
  let next = Math.max(0, ...admin.workflows.map((w) => w.id)) + 1;
  const added = rows.map((r) => ({ ...r, id: next++ }) as Workflow);
  admin.workflows.push(...added);
  return added;
}

export function removeExecutions(state: unknown, ids: readonly number[]): void {
  const admin = adminState(state as FortiSoarState);
  admin.workflows = admin.workflows.filter((w) => !ids.includes(w.id));
}
