/**
 * Latitude variants: conforming servers that use the freedoms the documents leave. The suite
 * must pass against every one (tests/variants/): the mirror of the broken variants. Each cites
 * the sentence or field note that leaves the freedom.
 */
import { casbDoc, fmbsDoc, guide, notes } from '../../cases/kit/sources.ts';
import type { ProductId } from '../../config/index.ts';
import { isObject } from '../core/http.ts';
import type { HandlerContext, StubResponse } from '../core/types.ts';
import { delay, editJsonBody, mapAnswer, mapJson, mapRequestStrings, withQuery } from './reshape.ts';
import { type LatitudeVariant, latitude } from './types.ts';

type Json = Record<string, unknown>;

/** Every object of every answer gains a field no document names (maps keyed by ids excepted: `nodes`). */
const extraFields = (product: ProductId, source: LatitudeVariant['source']): LatitudeVariant =>
  latitude({
    id: `${product}-extra-fields`,
    product,
    operations: '*',
    uses: 'every object of every answer carries a field no document names',
    source,
    wrap: async (_ctx, next) =>
      mapAnswer(await next(), (body) =>
        mapJson(body, { objects: (o, key) => (key === 'nodes' ? o : { ...o, vendorExtension: { build: 'latitude', flags: [] } }) }),
      ),
  });

/** Every answer takes a while (a loaded server). */
const slow = (product: ProductId): LatitudeVariant =>
  latitude({
    id: `${product}-slow`,
    product,
    operations: '*',
    uses: 'every answer comes after 40 ms',
    source: notes('Use them to keep the suite from failing a real server on something the documents never promised'),
    wrap: async (ctx, next) => {
      await delay(40);
      return next(ctx);
    },
  });

// ── FortiSOAR ─────────────────────────────────────────────────────────────────────────────────

const UUID = /\b([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\b/gi;
const ALIAS = /\br([0-9a-f]{32})\b/gi;
/** Record ids in IRIs shown as `r` + 32 hex digits instead of a UUID; translated back in requests. */
const aliasIris = (s: string): string =>
  s.replace(/(\/api\/3\/[\w-]+\/)([0-9a-f-]{36})\b/gi, (_m, prefix: string, uuid: string) => `${prefix}r${uuid.replace(/-/g, '')}`);
const unalias = (s: string): string =>
  s.replace(ALIAS, (_m, hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);

const isReference = (v: unknown): v is Json => isObject(v) && typeof v['@id'] === 'string' && /^\/api\/3\/(picklists|people)\//.test(v['@id'] as string);

const fortisoar: LatitudeVariant[] = [
  extraFields('fortisoar', notes('create answers 201 with the whole record including `@id`, `@type`, `uuid`, integer')),
  slow('fortisoar'),
  latitude({
    id: 'fortisoar-page-size-25',
    product: 'fortisoar',
    operations: '*',
    uses: 'a collection pages by 25 and the workflow history by 20 when no page size is asked',
    source: notes('Paging parameters: `$limit` (default 30) and `$page` (1-based).'),
    wrap: async (ctx, next) =>
      next(
        withQuery(ctx, (q) => {
          if (ctx.req.path.startsWith('/api/3/') && !q.has('$limit')) q.set('$limit', '25');
          if (ctx.req.path.includes('/wf/api/') && !q.has('limit')) q.set('limit', '20');
        }),
      ),
  }),
  latitude({
    id: 'fortisoar-history-limit-capped',
    product: 'fortisoar',
    operations: ['listWorkflows'],
    uses: 'the workflow history answers at most 5 executions a page, whatever limit asks for',
    source: guide('Limit - The maximum number of results to return per page.'),
    // The walks; the filters read one large page to choose their values from, which 5 cannot show.
    cases: ['listWorkflows.200.walk', 'listWorkflows.200.ordering', 'deleteWorkflows.200'],
    wrap: async (ctx, next) => next(withQuery(ctx, (q) => q.set('limit', String(Math.min(5, Number(q.get('limit') ?? 5)))))),
  }),
  latitude({
    id: 'fortisoar-other-ids',
    product: 'fortisoar',
    operations: '*',
    uses: 'record IRIs end in an id that is not a UUID (the guide names the segment {uuid} and shows no format for it)',
    source: guide('"@id": "/api/{version}/{collection}/{uuid}"'),
    wrap: async (ctx, next) => {
      // Ids the client sent in their other shape are echoed in it (a bulk failure names the id it was given).
      const sent = new Set<string>();
      const back = mapRequestStrings(ctx, (s) => {
        const plain = unalias(s);
        for (const m of plain.matchAll(UUID)) if (!s.includes(m[0])) sent.add(m[0].toLowerCase());
        return plain;
      });
      const echo = (s: string): string => aliasIris(s).replace(UUID, (m) => (sent.has(m.toLowerCase()) ? `r${m.replace(/-/g, '')}` : m));
      return mapAnswer(await next(back), (body) => mapJson(body, { strings: echo }));
    },
  }),
  latitude({
    id: 'fortisoar-bulk-failures-by-index',
    product: 'fortisoar',
    operations: ['bulkDelete'],
    uses: 'a partial bulk delete names each failure by its 0-based index, not by the id sent',
    source: notes('each failure is a string naming the 0-based index'),
    wrap: async (ctx, next) => {
      const answer = await next(ctx);
      if (answer.status !== 207) return answer;
      return mapAnswer(answer, (body) =>
        isObject(body) && Array.isArray(body.failure)
          ? { ...body, failure: body.failure.map((_f, i) => `Delete of object at index #${i} failed with error: {"message": "record not found"}`) }
          : body,
      );
    },
  }),
  latitude({
    id: 'fortisoar-paged-collection-null-next',
    product: 'fortisoar',
    operations: '*',
    uses: 'collections are hydra:PagedCollection and the last page sends "hydra:next": null',
    source: notes('8.0 sends `"hydra:next": null`. Both mean "no next page".'),
    wrap: async (_ctx, next) =>
      mapAnswer(await next(), (body) => {
        if (!isObject(body) || body['@type'] !== 'hydra:Collection' || !Array.isArray(body['hydra:member'])) return body;
        const view = isObject(body['hydra:view']) ? { ...body['hydra:view'] } : undefined;
        if (view && !('hydra:next' in view)) view['hydra:next'] = null;
        return { ...body, '@type': 'hydra:PagedCollection', ...(view ? { 'hydra:view': view } : {}) };
      }),
  }),
  latitude({
    id: 'fortisoar-references-as-iris',
    product: 'fortisoar',
    operations: '*',
    uses: 'picklist and person references come back as IRIs, not expanded',
    source: guide('"severity": "/api/3/picklists/58d0753f-f7e4-403b-953c-b0f521eab759"'),
    wrap: async (_ctx, next) =>
      mapAnswer(await next(), (body) =>
        mapJson(body, { objects: (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, isReference(v) ? v['@id'] : v])) }),
      ),
  }),
  latitude({
    id: 'fortisoar-sparse',
    product: 'fortisoar',
    operations: '*',
    uses: "fields the documents show only in examples are absent or null: @context, depl_info, the integration envelope's paging keys",
    source: notes('may answer `{"depl_status": "finished", "depl_message": null}` without `depl_info`'),
    wrap: async (_ctx, next) =>
      mapAnswer(await next(), (body) =>
        mapJson(body, {
          objects: (o) => {
            const { '@context': _c, ...rest } = o;
            if ('depl_status' in rest) {
              const { depl_info: _d, ...status } = rest;
              return { ...status, depl_message: null };
            }
            if (Array.isArray(rest.data) && 'totalItems' in rest) {
              const { itemsPerPage: _i, previousPage: _p, nextPage: _n, status: _s, ...envelope } = rest;
              return envelope;
            }
            return rest;
          },
        }),
      ),
  }),
  latitude({
    id: 'fortisoar-workflows-7.6',
    product: 'fortisoar',
    operations: ['listWorkflows', 'getWorkflow', 'queryWorkflowLogs'],
    uses: 'workflow executions carry tags as one comma-separated string and no integer id, only their @id',
    source: notes('`tags` is one comma-separated string'),
    wrap: async (_ctx, next) =>
      mapAnswer(await next(), (body) =>
        mapJson(body, {
          objects: (o) => {
            if (typeof o['@id'] !== 'string' || !String(o['@id']).includes('/wf/api/workflows/')) return o;
            const { id: _id, ...rest } = o;
            // The same 7.6 tag shape as the `recorded` behaviour's (presenter, src/stub/fortisoar/workflows.ts).
            return { ...rest, tags: Array.isArray(rest.tags) ? (rest.tags as string[]).join(',') : rest.tags };
          },
        }),
      ),
  }),
  latitude({
    id: 'fortisoar-6.4',
    product: 'fortisoar',
    operations: '*',
    uses: 'a FortiSOAR 6.4.4 (FORTISOAR_VERSION=6.4.4): the legacy collection view by default, no 7.0 operations',
    source: guide("From version 7.0.0 onwards, the 'Pagination' response has changed as follows:"),
    env: { FORTISOAR_VERSION: '6.4.4' },
    wrap: async (ctx, next) => {
      if (['publicLicense', 'triggerLogCollection', 'downloadLogCollection', 'vacuumWorkflows'].includes(ctx.operationId)) {
        return { status: 404, body: { message: `${ctx.req.method} ${ctx.req.path} does not exist before 7.0` } };
      }
      if (ctx.operationId !== 'listRecords' && ctx.operationId !== 'getRelationship') return next(ctx);
      const legacy = withQuery(ctx, (q) => q.set('$legacy_collection_view', 'true'));
      return mapAnswer(await next(legacy), (body) => {
        if (!isObject(body)) return body;
        const { 'hydra:view': _v, ...rest } = body;
        return rest;
      });
    },
  }),
];

// ── FortiCASB ─────────────────────────────────────────────────────────────────────────────────

/** An alert-list answer rewritten by `edit` when it is a page (`data` a list); any other answer as it is. */
const alertPage = (r: StubResponse, edit: (page: Json & { data: Json[] }) => unknown): StubResponse =>
  mapAnswer(r, (body) => (isObject(body) && Array.isArray(body.data) ? edit(body as Json & { data: Json[] }) : body));

const forticasb: LatitudeVariant[] = [
  extraFields('forticasb', casbDoc('"timestampUUID":"203A8qR797nn390d6CQhOH6DjrdiGx9A",')),
  slow('forticasb'),
  latitude({
    id: 'forticasb-company-number-total-pages',
    product: 'forticasb',
    operations: ['getAlertList'],
    uses: 'companyId is a number and totalPage counts the pages',
    source: casbDoc('companyId Long Company ID'),
    wrap: async (_ctx, next) =>
      alertPage(await next(), (page) => ({
        ...page,
        totalPage: Math.ceil(Number(page.totalCount) / (Number(page.limit) || 1)),
        data: page.data.map((a) => ({ ...a, companyId: Number(a.companyId) })),
      })),
  }),
  latitude({
    id: 'forticasb-sparse',
    product: 'forticasb',
    operations: ['getAlertList'],
    uses: 'the page carries only data and totalCount (no skip, limit or totalPage)',
    source: notes('`totalPage` is 0 in every published sample'),
    wrap: async (_ctx, next) => alertPage(await next(), ({ skip: _s, limit: _l, totalPage: _t, ...rest }) => rest),
  }),
  latitude({
    id: 'forticasb-other-ids',
    product: 'forticasb',
    operations: ['getAlertList'],
    uses: 'alert ids have another shape',
    source: casbDoc('id String Alert ID'),
    wrap: async (ctx, next) => {
      const back = mapRequestStrings(ctx, (s) => s.replace(/alert:([\w-]+)/g, '$1'));
      return alertPage(await next(back), (page) => ({ ...page, data: page.data.map((a) => ({ ...a, id: `alert:${String(a.id)}` })) }));
    },
  }),
  latitude({
    id: 'forticasb-limit-capped',
    product: 'forticasb',
    operations: ['getAlertList'],
    uses: 'pages hold at most 7 alerts whatever limit asks, and the answer says so in its limit',
    source: casbDoc('limit integer Maximum number of return alerts in one page'),
    wrap: async (ctx, next) => next(editJsonBody(ctx, (body) => typeof body.limit === 'number' && body.limit > 7 && Object.assign(body, { limit: 7 }))),
  }),
  latitude({
    id: 'forticasb-service-from-body',
    product: 'forticasb',
    operations: ['getAlertList'],
    uses: 'the service is read from the body (the sample request sends it there), the header ignored',
    source: notes('Newer FortiCASB builds accept `service` in the body instead of a header'),
    wrap: async (ctx: HandlerContext<unknown>, next) => {
      const { service: _s, ...headers } = ctx.req.headers;
      return next({ ...ctx, req: { ...ctx.req, headers } });
    },
  }),
];

// ── FortiMail Browser Security ────────────────────────────────────────────────────────────────

/** The empty page's token rewritten (null, or absent). */
const lastToken = (id: string, uses: string, edit: (page: Json) => Json): LatitudeVariant =>
  latitude({
    id,
    product: 'fmbs',
    operations: ['listAdminAuditLogEntries'],
    uses,
    source: fmbsDoc('# store $pageToken to a persistent state storage, unless it is $null'),
    wrap: async (_ctx, next) => mapAnswer(await next(), (body) => (isObject(body) && Array.isArray(body.items) && body.items.length === 0 ? edit(body) : body)),
  });

const fmbs: LatitudeVariant[] = [
  extraFields('fmbs', notes('No public source lists the other entry fields: do not over-specify them.')),
  slow('fmbs'),
  lastToken('fmbs-empty-page-token-null', 'the page with no items carries "nextPageToken": null', (p) => ({ ...p, nextPageToken: null })),
  lastToken('fmbs-empty-page-token-absent', 'the page with no items carries no nextPageToken', ({ nextPageToken: _t, ...p }) => p),
  latitude({
    id: 'fmbs-page-size-40',
    product: 'fmbs',
    operations: ['listAdminAuditLogEntries'],
    uses: 'a page holds 40 entries when no limit is asked',
    source: fmbsDoc('limit: Limits the number of results that can be included in the response.'),
    wrap: async (ctx, next) => next(withQuery(ctx, (q) => q.has('limit') || q.set('limit', '40'))),
  }),
  latitude({
    id: 'fmbs-other-ids',
    product: 'fmbs',
    operations: '*',
    uses: 'entry ids are not 24 hex digits',
    source: notes('Entry ids look like 24 hex digits'),
    wrap: async (ctx, next) => {
      const back = mapRequestStrings(ctx, (s) => s.replace(/evt_([0-9a-f]+)/g, '$1'));
      return mapAnswer(await next(back), (body) =>
        mapJson(body, { objects: (o) => (typeof o.id === 'string' && /^[0-9a-f]{24}$/.test(o.id) ? { ...o, id: `evt_${o.id}` } : o) }),
      );
    },
  }),
];

export const LATITUDE_VARIANTS: readonly LatitudeVariant[] = [...fortisoar, ...forticasb, ...fmbs];
