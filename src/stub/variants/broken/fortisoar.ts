/**
 * Broken variants of the FortiSOAR stub (records, collections, bulk, relationships, auth). Each
 * breaks one sentence of the guide; the variants self-test (`npm run variants`, decision 0010)
 * proves the suite fails on every one, in the cases each names.
 */
import { json } from '../../core/http.ts';
import type { StubResponse } from '../../core/types.ts';
import type { FortiSoarState } from '../../fortisoar/state.ts';
import { answered, bodyOf, replaceJsonBody, withBearer, withQuery } from '../reshape.ts';
import { type BrokenVariant, broken } from '../types.ts';

/** A broken variant as declared: `broken()` adds its kind. */
type M = Omit<BrokenVariant<FortiSoarState>, 'kind'>;

const on = (status: number, edit: (r: StubResponse, ctx: Parameters<M['wrap']>[0]) => StubResponse) => answered<FortiSoarState>(status, edit);
/** A 200 answer's JSON body edited in place. */
const editPage = (edit: (b: Record<string, any>, ctx: Parameters<M['wrap']>[0]) => unknown) =>
  on(200, (r, ctx) => {
    edit(bodyOf(r), ctx);
    return r;
  });
const withBody = (r: StubResponse, body: unknown, status = r.status): StubResponse => ({ ...r, status, body });
/** Rewrites the status when the handler answered `from`. */
const statusSwap = (id: string, operation: string, from: number, to: number, breaks: string, cases: readonly string[]): M => ({
  id,
  product: 'fortisoar',
  operations: [operation],
  breaks,
  cases,
  wrap: on(from, (r) => ({ ...r, status: to })),
});

export const fortisoarBroken: readonly BrokenVariant[] = (
  [
    {
      id: 'soar-auth-not-enforced',
      product: 'fortisoar',
      operations: '*',
      breaks: 'Authentication API: requests without a valid token are served',
      cases: [
        'appendRelationship.401',
        'bulkDelete.401',
        'bulkInsert.401',
        'bulkInsertPeople.401',
        'bulkUpdate.401',
        'bulkUpsert.401',
        'connectorHealthcheck.401',
        'createConnectorConfiguration.401',
        'createExportTemplate.401',
        'createImportJob.401',
        'createRecord.401',
        'deleteConnectorConfiguration.401',
        'deleteRecord.401',
        'deleteRelationship.401',
        'deleteWorkflows.401',
        'deployLicense.401',
        'downloadLogCollection.401',
        'executeConnectorAction.401',
        'generateImportOptions.401',
        'getClusterHealth.401',
        'getConnectorDetails.401',
        'getExportJob.401',
        'getImportJob.401',
        'getLicenseDetails.401',
        'getRecord.401',
        'getRelationship.401',
        'getWorkflow.401',
        'listConnectors.401',
        'listDevelopmentConnectors.401',
        'listRecords.401',
        'listWorkflows.401',
        'logoutUsers.401',
        'purgeAuditLogs.401',
        'queryWorkflowLogs.401',
        'stopAuditPurge.401',
        'triggerExport.401',
        'triggerImport.401',
        'triggerLogCollection.401',
        'uninstallConnector.401',
        'updateImportJob.401',
        'updateRecord.401',
        'upsertRecord.401',
        'vacuumWorkflows.401',
      ],
      wrap: async (ctx, next) => next(withBearer(ctx, ctx.state.issueToken('csadmin'))),
    },
    {
      id: 'soar-login-any-password',
      product: 'fortisoar',
      operations: ['authenticate'],
      breaks: 'Authenticate: a token is issued for wrong credentials',
      cases: ['authenticate.401'],
      wrap: async (ctx) => json(200, { token: ctx.state.issueToken('anyone') }),
    },
    {
      id: 'soar-login-no-token-field',
      product: 'fortisoar',
      operations: ['authenticate'],
      breaks: 'Authenticate: "It returns a JSON response containing the JWT token" (answered as access_token)',
      cases: ['authenticate.200'],
      wrap: on(200, (r) => withBody(r, { access_token: bodyOf(r).token })),
    },
    statusSwap('soar-create-200', 'createRecord', 201, 200, 'Create Individual Model Records: "STATUS: 201" answered 200', ['createRecord.201']),
    {
      id: 'soar-create-no-id',
      product: 'fortisoar',
      operations: ['createRecord'],
      cases: ['createRecord.201'],
      breaks: 'Create Individual Model Records: the answer has no "@id"',
      wrap: on(201, (r) => {
        const { '@id': _drop, ...rest } = bodyOf(r);
        return withBody(r, rest);
      }),
    },
    {
      id: 'soar-create-drops-field',
      product: 'fortisoar',
      operations: ['createRecord'],
      cases: ['createRecord.201'],
      breaks: 'Create Individual Model Records: a field sent is not stored (description)',
      wrap: async (ctx, next) => {
        return next(replaceJsonBody(ctx, ({ description: _d, ...rest }) => rest));
      },
    },
    {
      id: 'soar-create-wrong-iri',
      product: 'fortisoar',
      operations: ['createRecord'],
      cases: ['createRecord.201'],
      breaks: 'Create Individual Model Records: "@id" is not /api/3/{collection}/{uuid}',
      wrap: on(201, (r) => withBody(r, { ...bodyOf(r), '@id': String(bodyOf(r)['@id']).replace('/api/3/', '/api/v3/') })),
    },
    {
      id: 'soar-get-other-record',
      product: 'fortisoar',
      operations: ['getRecord'],
      cases: ['getRecord.200'],
      breaks: 'Retrieve Single Model Records: another record is answered',
      wrap: on(200, (r, ctx) => withBody(r, { ...[...ctx.state.records(ctx.params.collection!).values()][0]! })),
    },
    {
      id: 'soar-update-not-persisted',
      product: 'fortisoar',
      operations: ['updateRecord'],
      cases: ['updateRecord.200'],
      breaks: 'Update Single Model Records: the change is answered but not stored',
      wrap: async (ctx, next) => {
        const before = ctx.state.get(ctx.params.collection!, ctx.params.uuid!);
        const r = await next();
        if (before) ctx.state.records(ctx.params.collection!).set(ctx.params.uuid!.toLowerCase(), before);
        return r;
      },
    },
    {
      id: 'soar-update-replaces-record',
      product: 'fortisoar',
      operations: ['updateRecord'],
      cases: ['updateRecord.200'],
      breaks: 'Update Single Model Records: fields not sent are lost (PUT treated as replace)',
      wrap: async (ctx, next) => {
        const current = ctx.state.get(ctx.params.collection!, ctx.params.uuid!);
        if (current) for (const k of ['name', 'hostname', 'value']) delete current[k];
        return next();
      },
    },
    statusSwap('soar-delete-200', 'deleteRecord', 204, 200, 'Delete Single Model Records: "STATUS: 204" answered 200', ['deleteRecord.204']),
    {
      id: 'soar-delete-not-deleted',
      product: 'fortisoar',
      operations: ['deleteRecord'],
      cases: ['deleteRecord.204', 'deleteRecord.401'],
      breaks: 'Delete Single Model Records: 204 but the record stays',
      wrap: async () => ({ status: 204 }),
    },
    {
      id: 'soar-paging-next-on-last-page',
      product: 'fortisoar',
      operations: ['listRecords'],
      breaks: 'Retrieve Collection: "The hydra \'next\' attribute is not displayed ... if there are no further results" (a next on the last page)',
      cases: ['listRecords.200.hydra-view'],
      wrap: editPage((b) => {
        const view = b['hydra:view'];
        if (view && !view['hydra:next'] && view['hydra:last']) view['hydra:next'] = view['hydra:last'];
      }),
    },
    {
      id: 'soar-paging-limit-ignored',
      product: 'fortisoar',
      operations: ['listRecords'],
      breaks: 'Retrieve Collection: $limit ignored (pages of 3 when 2 are asked)',
      cases: ['listRecords.200.hydra-legacy', 'listRecords.200.hydra-view'],
      wrap: async (ctx, next) => next(withQuery(ctx, (q) => q.has('$limit') && q.set('$limit', String(Number(q.get('$limit')) + 1)))),
    },
    {
      id: 'soar-paging-page-ignored',
      product: 'fortisoar',
      operations: ['listRecords'],
      breaks: 'Retrieve Collection: $page ignored (every page is the first)',
      cases: ['listRecords.200.hydra-legacy', 'listRecords.200.hydra-view'],
      wrap: async (ctx, next) => next(withQuery(ctx, (q) => q.delete('$page'))),
    },
    {
      id: 'soar-paging-total-wrong',
      product: 'fortisoar',
      operations: ['listRecords'],
      breaks: 'Retrieve Collection: hydra:totalItems counts one record too many',
      cases: ['listRecords.200.hydra-legacy', 'listRecords.200.hydra-view'],
      wrap: editPage((b) => {
        b['hydra:totalItems'] += 1;
      }),
    },
    {
      id: 'soar-paging-last-page-short',
      product: 'fortisoar',
      operations: ['listRecords'],
      breaks: 'Retrieve Collection: the last page loses its last record',
      cases: ['listRecords.200.hydra-legacy', 'listRecords.200.hydra-view'],
      wrap: editPage((b) => {
        const view = b['hydra:view'];
        if (view && view['hydra:first'] && !view['hydra:next'] && b['hydra:member'].length > 0) b['hydra:member'].pop();
      }),
    },
    {
      id: 'soar-paging-overlap',
      product: 'fortisoar',
      operations: ['listRecords'],
      breaks: 'Retrieve Collection: each page repeats the last record of the page before',
      cases: ['listRecords.200.hydra-legacy', 'listRecords.200.hydra-view'],
      wrap: async (ctx, next) => {
        const page = Number(ctx.req.query.get('$page') ?? '1');
        const limit = Number(ctx.req.query.get('$limit') ?? '30');
        if (page < 2) return next();
        const shifted = await next(withQuery(ctx, (q) => q.set('$page', String(page - 1))));
        const r = await next();
        const prev = bodyOf(shifted)['hydra:member'] as unknown[];
        if (prev.length === limit) bodyOf(r)['hydra:member'].unshift(prev.at(-1));
        bodyOf(r)['hydra:member'].splice(limit);
        return r;
      },
    },
    {
      id: 'soar-paging-no-view',
      product: 'fortisoar',
      operations: ['listRecords'],
      breaks: 'Retrieve Collection: "The new \'pagination\' response has hydra: view" (absent)',
      cases: ['listRecords.200.hydra-view'],
      wrap: editPage((b) => {
        delete b['hydra:view'];
      }),
    },
    {
      id: 'soar-paging-items-per-page-kept',
      product: 'fortisoar',
      operations: ['listRecords'],
      breaks: 'Retrieve Collection: "The Item per page key has been removed" (still sent in the 7.0 view)',
      cases: ['listRecords.200.hydra-view'],
      wrap: editPage((b, ctx) => {
        b['hydra:itemsPerPage'] ??= Number(ctx.req.query.get('$limit') ?? 30);
      }),
    },
    {
      id: 'soar-paging-legacy-keys-missing',
      product: 'fortisoar',
      operations: ['listRecords'],
      breaks: 'Retrieve Collection: $legacy_collection_view=true does not add hydra:firstPage',
      cases: ['listRecords.200.hydra-legacy'],
      wrap: editPage((b) => {
        delete b['hydra:firstPage'];
      }),
    },
    {
      id: 'soar-paging-legacy-last-page-wrong',
      product: 'fortisoar',
      operations: ['listRecords'],
      breaks: 'Retrieve Collection: hydra:lastPage points at the first page',
      cases: ['listRecords.200.hydra-legacy'],
      wrap: editPage((b) => {
        if (b['hydra:lastPage']) b['hydra:lastPage'] = b['hydra:firstPage'];
      }),
    },
    {
      id: 'soar-paging-filter-ignored-in-links',
      product: 'fortisoar',
      operations: ['listRecords'],
      breaks: 'Retrieve Collection: hydra:next drops the query, so the walk leaves the records asked for',
      cases: ['listRecords.200.hydra-view'],
      wrap: editPage((b) => {
        const view = b['hydra:view'];
        if (view?.['hydra:next']) view['hydra:next'] = String(view['hydra:next']).replace(/&(?!%24)[^&]*/g, '');
      }),
    },
    statusSwap('soar-bulk-insert-partial-as-200', 'bulkInsert', 207, 200, 'Insert records in bulk: a partial insert answered 200', ['bulkInsert.207']),
    statusSwap('soar-bulk-insert-all-as-207', 'bulkInsert', 200, 207, 'Insert records in bulk: a full insert answered 207', ['bulkInsert.200']),
    {
      id: 'soar-bulk-insert-nothing',
      product: 'fortisoar',
      operations: ['bulkInsert'],
      cases: ['bulkInsert.200', 'bulkInsert.207', 'bulkInsert.401'],
      breaks: 'Insert records in bulk: 200 but nothing is stored',
      wrap: async (ctx) => json(200, { '@context': '/api/3/contexts/Alert', '@id': null, '@type': 'hydra:Collection', 'hydra:member': [] }),
    },
    {
      id: 'soar-bulk-insert-all-or-nothing',
      product: 'fortisoar',
      operations: ['bulkInsert'],
      cases: ['bulkInsert.207'],
      breaks: 'Insert records in bulk: 207 but the valid records are not inserted either',
      wrap: async (ctx, next) => {
        const rows = ((ctx.body as { data?: unknown[] })?.data ?? []) as unknown[];
        if (rows.every((r) => typeof r === 'object' && r !== null)) return next();
        return json(207, { success: [], failure: rows.map((_r, i) => `Insert of object at index #${i} failed`) });
      },
    },
    {
      id: 'soar-bulk-insert-207-wrong-index',
      product: 'fortisoar',
      operations: ['bulkInsert'],
      cases: ['bulkInsert.207'],
      breaks: 'Insert records in bulk: the 207 names index 0, the valid record, with an error code that contains a 1',
      wrap: on(207, (r) => withBody(r, { ...bodyOf(r), failure: ['Insert of object at index #0 failed with error: {"code": 1001}'] })),
    },
    statusSwap('soar-bulk-update-partial-as-200', 'bulkUpdate', 207, 200, 'Update records in bulk: records without an id answered 200', ['bulkUpdate.207']),
    {
      id: 'soar-bulk-update-not-persisted',
      product: 'fortisoar',
      operations: ['bulkUpdate'],
      cases: ['bulkUpdate.200', 'bulkUpdate.207', 'bulkUpdate.401'],
      breaks: 'Update records in bulk: 200 but nothing changes',
      wrap: async (ctx) => json(200, { data: [] }),
    },
    statusSwap('soar-bulk-delete-partial-as-200', 'bulkDelete', 207, 200, 'Delete records in bulk: an already deleted id answered 200', ['bulkDelete.207']),
    {
      id: 'soar-bulk-delete-nothing',
      product: 'fortisoar',
      operations: ['bulkDelete'],
      cases: ['bulkDelete.200', 'bulkDelete.207', 'bulkDelete.401'],
      breaks: 'Delete records in bulk: 200 but nothing is deleted',
      wrap: async () => json(200, { success: [], failure: [] }),
    },
    statusSwap('soar-upsert-201-as-400', 'upsertRecord', 200, 400, 'Single Upsert API: a valid record refused', ['upsertRecord.200.insert']),
    statusSwap('soar-bulk-upsert-partial-as-200', 'bulkUpsert', 207, 200, 'Bulk Upsert API: a partial upsert answered 200', ['bulkUpsert.207']),
    statusSwap(
      'soar-bulk-upsert-none-as-207',
      'bulkUpsert',
      400,
      207,
      'Bulk Upsert API: "If none of the records are upserted successfully, then you will get a 400" answered 207',
      ['bulkUpsert.400'],
    ),
    {
      id: 'soar-bulk-upsert-not-stored',
      product: 'fortisoar',
      operations: ['bulkUpsert'],
      cases: ['bulkUpsert.200.insert', 'bulkUpsert.207', 'bulkUpsert.400', 'bulkUpsert.401'],
      breaks: 'Bulk Upsert API: 200 but nothing is stored',
      wrap: async () => json(200, { success: [], failure: [] }),
    },
    {
      id: 'soar-relationship-not-linked',
      product: 'fortisoar',
      operations: ['appendRelationship'],
      cases: ['appendRelationship.200.existing', 'appendRelationship.200.new'],
      breaks: 'Append Existing Object to Relationship: answered but not linked',
      wrap: editPage((b, ctx) => {
        const linked = b?.['@id'];
        if (linked) ctx.state.unlink(`/api/3/${ctx.params.collection}/${ctx.params.uuid!.toLowerCase()}`, String(linked));
      }),
    },
    {
      id: 'soar-relationship-delete-kept',
      product: 'fortisoar',
      operations: ['deleteRelationship'],
      cases: ['deleteRelationship.204', 'deleteRelationship.401'],
      breaks: 'Delete Relationship: 204 but the link stays',
      wrap: async () => ({ status: 204 }),
    },
    {
      id: 'soar-relationship-list-everything',
      product: 'fortisoar',
      operations: ['getRelationship'],
      cases: ['getRelationship.200'],
      breaks: 'Get Relationship: lists records that are not related',
      wrap: editPage((b, ctx) => {
        const extra = [...ctx.state.records(ctx.params.relationship!).values()].slice(0, 1);
        b['hydra:member'].push(...extra);
        b['hydra:totalItems'] += extra.length;
      }),
    },
    {
      id: 'soar-html-content-type',
      product: 'fortisoar',
      operations: ['getRecord'],
      cases: ['getRecord.200'],
      breaks: 'Retrieve Single Model Records: answered as text/html',
      wrap: async (ctx, next) => {
        const r = await next();
        return { ...r, headers: { ...r.headers, 'content-type': 'text/html' } };
      },
    },
  ] satisfies M[]
).map(broken);
