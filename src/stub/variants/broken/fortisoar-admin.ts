/**
 * Broken variants of the FortiSOAR administration stub, one per behaviour the guide promises:
 * each must fail the cases (ids) it names while the correct stub passes them all (the variants
 * self-test, `npm run variants`, decision 0010).
 */
import { isObject } from '../../core/http.ts';
import type { HandlerContext, StubResponse } from '../../core/types.ts';
import type { FortiSoarState } from '../../fortisoar/state.ts';
import { answered, bodyOf, replaceJsonBody, withQuery } from '../reshape.ts';
import { type BrokenVariant, broken } from '../types.ts';

type Ctx = HandlerContext<FortiSoarState>;
type Next = (ctx?: Ctx) => Promise<StubResponse>;

/** The request without some query parameters (the server "ignores" them). */
const dropQuery = (ctx: Ctx, names: readonly string[]): Ctx =>
  withQuery(ctx, (q) => {
    for (const n of names) q.delete(n);
  });

/** An answer of the handler rewritten when it has `status`. */
const on = (status: number, edit: (res: StubResponse, ctx: Ctx) => StubResponse) => answered<FortiSoarState>(status, edit);

/** Every case of the export → import chain: each needs a complete export to go on. */
const EXPORT_IMPORT_CHAIN = [
  'createImportJob.201',
  'generateImportOptions.200',
  'getExportJob.200',
  'getImportJob.200.options',
  'getImportJob.200.status',
  'triggerExport.200',
  'triggerImport.200',
  'updateImportJob.200',
];

const mutant = (
  id: string,
  breaks: string,
  operations: readonly string[],
  cases: readonly string[],
  wrap: (ctx: Ctx, next: Next) => Promise<StubResponse>,
): BrokenVariant<FortiSoarState> => broken({ id: `fortisoar-admin.${id}`, product: 'fortisoar', breaks, operations, cases, wrap });

const FILTERS: readonly (readonly [string, readonly string[], string])[] = [
  ['template-iri', ['template_iri'], 'listWorkflows.200.filter-template-iri'],
  ['records', ['records'], 'listWorkflows.200.filter-records'],
  ['status', ['status'], 'listWorkflows.200.filter-status'],
  ['created', ['created_after', 'created_before'], 'listWorkflows.200.filter-created'],
  ['parent-isnull', ['parent__isnull'], 'listWorkflows.200.filter-parent'],
  ['tags-include', ['tags_include'], 'listWorkflows.200.filter-tags-include'],
  ['tags-exclude', ['tags_exclude'], 'listWorkflows.200.filter-tags-exclude'],
];

export const fortisoarAdminBroken: readonly BrokenVariant[] = [
  // ── log collection ──
  mutant(
    'log-busy-answers-200',
    '"If another log collection request is running, then status code 202 is returned": answered 200',
    ['triggerLogCollection'],
    ['triggerLogCollection.202'],
    on(202, (res) => ({ status: 200, body: { filename: 'fortisoar-logs.tar.gz' } })),
  ),
  mutant(
    'log-name-ignores-password',
    '"The filename is fortisoar-logs.tar.gz.gpg if you have supplied a password": named .tar.gz',
    ['triggerLogCollection'],
    ['triggerLogCollection.200.password'],
    on(200, (res) => ({ ...res, body: { filename: 'fortisoar-logs.tar.gz' } })),
  ),
  mutant(
    'log-name-always-gpg',
    '"Else, the filename is fortisoar-logs.tar.gz": named .gpg without a password',
    ['triggerLogCollection'],
    ['downloadLogCollection.200', 'downloadLogCollection.202', 'triggerLogCollection.200.plain', 'triggerLogCollection.202'],
    on(200, (res) => ({ ...res, body: { filename: 'fortisoar-logs.tar.gz.gpg' } })),
  ),
  mutant(
    'log-download-200-while-running',
    '"If log collection process is still running, then status code 202 is returned": answered 200 with a partial file',
    ['downloadLogCollection'],
    ['downloadLogCollection.202', 'triggerLogCollection.200.password'],
    on(202, (res) => ({ status: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from('partial') })),
  ),
  mutant(
    'log-unknown-file-200',
    '"If the log collection file is not found, then status code 400 is returned": answered 200',
    ['downloadLogCollection'],
    ['downloadLogCollection.400'],
    on(400, (res) => ({ status: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from('nothing') })),
  ),

  // ── export and import ──
  mutant(
    'export-without-job-uuid',
    'the export answers {"@type": "ExportJob"} without its "jobUuid"',
    ['triggerExport'],
    EXPORT_IMPORT_CHAIN,
    on(200, (res) => {
      const { jobUuid: _gone, ...rest } = bodyOf(res);
      return { ...res, body: rest };
    }),
  ),
  mutant(
    'export-never-completes',
    'the export job never reaches "Export Complete"',
    ['getExportJob'],
    EXPORT_IMPORT_CHAIN,
    on(200, (res) => ({ ...res, body: { ...bodyOf(res), status: 'Export In Progress', file: null } })),
  ),
  mutant(
    'export-complete-without-file',
    '"When the status equals Export Complete, a file object is returned": none is',
    ['getExportJob'],
    EXPORT_IMPORT_CHAIN,
    on(200, (res) => ({ ...res, body: { ...bodyOf(res), file: null } })),
  ),
  mutant(
    'import-options-not-generated',
    '"GET /api/import/<uuid> ... populates the options object": it does not',
    ['generateImportOptions'],
    ['generateImportOptions.200', 'getImportJob.200.options', 'getImportJob.200.status', 'triggerImport.200', 'updateImportJob.200'],
    async (ctx, next) => {
      // Through the real handler for a job that does not exist, so that authentication still applies.
      const res = await next({ ...ctx, params: { ...ctx.params, uuid: '00000000-0000-4000-8000-000000000000' } });
      return res.status === 401 || res.status === 403 ? res : { status: 200, body: { message: 'ok' } };
    },
  ),
  mutant(
    'import-never-completes',
    'the import "runs asynchronously" and never ends',
    ['getImportJob'],
    ['getImportJob.200.status'],
    on(200, (res) => (/complete/i.test(String(bodyOf(res).status)) ? { ...res, body: { ...bodyOf(res), status: 'Importing' } } : res)),
  ),

  // ── integration ──
  mutant(
    'connector-details-no-fallback',
    '"If the specified version ... is not installed, then the API returns details of same connector ... with latest version installed": 404 instead',
    ['getConnectorDetails'],
    ['getConnectorDetails.200.fallback'],
    on(200, (res, ctx) =>
      bodyOf(res).version !== ctx.params.version ? { status: 404, body: { message: `version ${ctx.params.version} is not installed` } } : res,
    ),
  ),
  mutant(
    'healthcheck-no-fallback',
    '"If you specify an invalid config_id, then the health check details of the default configuration ... is returned": 404 instead',
    ['connectorHealthcheck'],
    ['connectorHealthcheck.200.fallback'],
    on(200, (res, ctx) => {
      const asked = ctx.req.query.get('config');
      return asked !== null && bodyOf(res).config_id !== asked ? { status: 404, body: { message: `no configuration ${asked}` } } : res;
    }),
  ),
  mutant(
    'healthcheck-config-ignored',
    '"?config=<config_id>" is ignored: the health check is always that of the default configuration',
    ['connectorHealthcheck'],
    ['connectorHealthcheck.200.named'],
    async (ctx, next) => next(dropQuery(ctx, ['config'])),
  ),
  mutant(
    'configuration-version-no-fallback',
    '"If connector_version specified is invalid, then the latest installed version of same connector is considered": the invalid version is kept',
    ['createConnectorConfiguration'],
    ['createConnectorConfiguration.201.fallback'],
    on(201, (res, ctx) => {
      const sent = (JSON.parse(ctx.req.rawBody || '{}') as { connector_version?: string }).connector_version;
      return { ...res, body: { ...bodyOf(res), connector_version: sent } };
    }),
  ),
  mutant(
    'configuration-without-generated-id',
    '"It is not mandatory to provide the config_id, as a UUID gets automatically generated": none is',
    ['createConnectorConfiguration'],
    ['createConnectorConfiguration.201.generated-id'],
    on(201, (res) => {
      const { config_id: _gone, ...rest } = bodyOf(res);
      return { ...res, body: rest };
    }),
  ),
  mutant(
    'uninstall-keeps-connector',
    'DELETE /api/integration/connectors/<id>/ answers 204 and the connector stays installed',
    ['uninstallConnector'],
    ['uninstallConnector.204'],
    async (ctx, next) => {
      const res = await next({ ...ctx, params: { ...ctx.params, id: 'conformance-no-such-connector' } });
      return res.status === 401 || res.status === 403 ? res : { status: 204 };
    },
  ),

  // ── licensing and cluster ──
  mutant(
    'public-licence-needs-token',
    'the "Unauthenticate API" POST /api/public/license refuses a request without a token',
    ['publicLicense'],
    ['publicLicense.200.deploy', 'publicLicense.200.info', 'publicLicense.200.status'],
    async (ctx, next) => (ctx.req.headers.authorization ? next() : { status: 401, body: { message: 'Authentication credentials were not provided' } }),
  ),
  mutant(
    'licence-node-self-ignored',
    '"When node_id value is SELF, then license details are returned for the node on which the API call is received": every node is',
    ['getLicenseDetails'],
    ['getLicenseDetails.200.self'],
    async (ctx, next) => next(dropQuery(ctx, ['node_id'])),
  ),
  mutant(
    'cluster-node-id-ignored',
    'GET /api/auth/cluster/health?nodeId= answers every node',
    ['getClusterHealth'],
    ['getClusterHealth.200.node'],
    async (ctx, next) => next(dropQuery(ctx, ['nodeId'])),
  ),
  mutant(
    'cluster-latest-ignored',
    'latest=True answers every node, not the one serving the API',
    ['getClusterHealth'],
    ['getClusterHealth.200.latest'],
    async (ctx, next) => next(dropQuery(ctx, ['latest'])),
  ),

  // ── workflow history (offset/limit paging) ──
  mutant(
    'workflows-offset-ignored',
    '"Offset - The initial index from which to return the results": ignored',
    ['listWorkflows'],
    ['listWorkflows.200.ordering', 'listWorkflows.200.walk'],
    async (ctx, next) => next(dropQuery(ctx, ['offset'])),
  ),
  mutant(
    'workflows-limit-ignored',
    '"Limit - The maximum number of results to return per page": ignored',
    ['listWorkflows'],
    ['listWorkflows.200.ordering', 'listWorkflows.200.walk'],
    async (ctx, next) => next(dropQuery(ctx, ['limit'])),
  ),
  mutant(
    'workflows-ordering-ignored',
    '"ordering=-created sorts the results in the descending order based on the creation date": ignored',
    ['listWorkflows'],
    ['listWorkflows.200.ordering'],
    async (ctx, next) => next(dropQuery(ctx, ['ordering'])),
  ),
  ...FILTERS.map(([id, names, caseId]) =>
    mutant(
      `workflows-filter-${id}-ignored`,
      `the ${names.join('/')} filter of the workflow execution history is ignored`,
      ['listWorkflows'],
      [caseId],
      async (ctx, next) => next(dropQuery(ctx, names)),
    ),
  ),
  mutant(
    'workflow-delete-deletes-awaiting',
    '"If you specify true then the workflow logs that are in the awating state are excluded from deletion": they are deleted',
    ['deleteWorkflows'],
    ['deleteWorkflows.200'],
    async (ctx, next) => next(replaceJsonBody(ctx, (b) => ({ ...b, exclude_awaiting_wf: false }))),
  ),
  mutant(
    'workflow-delete-ignores-date',
    '"date: The date before which the workflow logs should be deleted": nothing is deleted',
    ['deleteWorkflows'],
    ['deleteWorkflows.200'],
    async (ctx, next) => next(replaceJsonBody(ctx, (b) => ({ ...b, date: '1970-01-01T00:00:00Z' }))),
  ),

  // ── workflow log query ──
  mutant(
    'workflow-logs-filters-ignored',
    'the "filters" of the workflow log query are ignored',
    ['queryWorkflowLogs'],
    ['queryWorkflowLogs.200.filters', 'queryWorkflowLogs.200.nested'],
    async (ctx, next) => next(replaceJsonBody(ctx, (b) => ({ ...b, query: { ...b.query, filters: [] } }))),
  ),
  mutant(
    'workflow-logs-limit-ignored',
    'the "limit" of the workflow log query is ignored',
    ['queryWorkflowLogs'],
    ['queryWorkflowLogs.200.filters'],
    async (ctx, next) => next(replaceJsonBody(ctx, (b) => ({ ...b, query: { ...b.query, limit: 1000 } }))),
  ),
  mutant(
    'workflow-logs-nested-as-and',
    'a nested filter group is applied with AND whatever its "logic"',
    ['queryWorkflowLogs'],
    ['queryWorkflowLogs.200.nested'],
    async (ctx, next) =>
      next(
        replaceJsonBody(ctx, (b) => ({
          ...b,
          query: {
            ...b.query,
            filters: Array.isArray(b.query?.filters)
              ? b.query.filters.map((f: any) => (isObject(f) && Array.isArray(f.filters) ? { ...f, logic: 'AND' } : f))
              : b.query?.filters,
          },
        })),
      ),
  ),
  mutant(
    'workflow-logs-sort-ignored',
    'the "sort" of the workflow log query is ignored',
    ['queryWorkflowLogs'],
    ['queryWorkflowLogs.200.sort'],
    async (ctx, next) => next(replaceJsonBody(ctx, (b) => ({ ...b, query: { ...b.query, sort: [] } }))),
  ),
  mutant(
    'workflow-logs-aggregates-ignored',
    'the "aggregates" of the workflow log query are ignored',
    ['queryWorkflowLogs'],
    ['queryWorkflowLogs.200.aggregates'],
    async (ctx, next) => next(replaceJsonBody(ctx, (b) => ({ ...b, query: { ...b.query, aggregates: [] } }))),
  ),
];
