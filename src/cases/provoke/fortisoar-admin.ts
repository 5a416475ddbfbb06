/**
 * How each documented status of FortiSOAR's administration, configuration, integration, workflow
 * and log-collection operations is provoked (fortisoar-api-guide.txt, licensing to "Log
 * Collection Operations"). On a live target the scenarios read what is there, create only marked
 * data they delete afterwards, and give destructive operations the least harmful arguments: a
 * 1970 date, a user or configuration the suite created itself; what cannot be made harmless
 * (deploying a licence the suite does not have, uninstalling a connector it did not install) is
 * skipped with the reason.
 */
import type { ApiResponse } from '../../client/api.ts';
import type { CaseContext, Scenario } from '../context.ts';
import { listedRecords } from './fortisoar.ts';
import {
  compareVersion,
  conforms,
  isObject,
  itemsOf,
  type Json,
  neverIssuedUuid,
  pollUntil,
  slug,
  statusOnly,
  statusText,
  unwrap,
  uuidOf,
} from './fortisoar-admin-helpers.ts';

// ── licensing ───────────────────────────────────────────────────────────────────────────────────

const LICENCE_KEY_SKIP =
  'no licence key for a live target: set FORTISOAR_LICENSE_KEY (get_info also runs with CONFORMANCE_DESTRUCTIVE=1, sending a made-up key a real server refuses)';

async function licenceDetails(ctx: CaseContext, nodeId?: string): Promise<Json> {
  const res = await ctx.api.get('/auth/license/', { query: { param: 'license_details', node_id: nodeId } });
  return ctx.expect<Json>(res, 200, 'getLicenseDetails');
}

/** The node id of the node serving the calls (node_id=SELF from 7.0.0), else the first node. */
async function servingNode(ctx: CaseContext): Promise<string> {
  if (!ctx.config.fortisoar?.username)
    return ctx.skip('the node id comes from GET /auth/license/, which real servers reserve for a JWT login; FORTISOAR_API_KEY is used');
  const details = await ctx.step('find the node id (GET /auth/license/?param=license_details&node_id=SELF)', () => licenceDetails(ctx, 'SELF'));
  const id = Object.keys(details.nodes ?? {})[0];
  if (!id) return ctx.skip('the licence details name no node');
  return id;
}

const STUB_KEY = 'conformance-suite-licence-key';

/**
 * The key the licence cases send: FORTISOAR_LICENSE_KEY when set; against the stub a made-up
 * key. On a live target without one, deploying is skipped (a made-up licence must never replace
 * the instance's own), and get_info, which changes nothing, sends a made-up key only when the user
 * allowed destructive operations (a real server refuses it, so it is opt-in).
 */
function licenceKey(ctx: CaseContext, deploy: boolean): string {
  const configured = ctx.config.fortisoar?.licenseKey;
  if (configured) return configured;
  if (ctx.live && (deploy || !ctx.config.destructive)) return ctx.skip(LICENCE_KEY_SKIP);
  return STUB_KEY;
}

const licensing: Record<string, Scenario> = {
  'fortisoar.license-public-deploy': async (ctx) => {
    const key = licenceKey(ctx, true);
    const nodeId = await servingNode(ctx);
    const res = await ctx.step('deploy without a token', () =>
      ctx.api.post('/api/public/license', { license_key: key, nodeId, action: 'deploy_license' }, { auth: false }),
    );
    statusOnly(ctx, res);
    const status = await ctx.step('read the deployment status', async () =>
      ctx.expect<Json>(await ctx.api.post('/api/public/license', { nodeId, action: 'get_status' }, { auth: false })),
    );
    conforms(ctx, status, 'license-status.json', 'get_status answers {"depl_status": ..., "depl_info": {...}}');
  },

  'fortisoar.license-public-status': async (ctx) => {
    const nodeId = await servingNode(ctx);
    const body = await ctx.step('get_status without a token', async () =>
      ctx.expect<Json>(await ctx.api.post('/api/public/license', { nodeId, action: 'get_status' }, { auth: false })),
    );
    conforms(ctx, body, 'license-status.json', '"retrieve the current status of license deployment": {"depl_status": "finished", "depl_info": {...}}');
  },

  'fortisoar.license-public-info': async (ctx) => {
    const res = await ctx.api.post('/api/public/license', { license_key: licenceKey(ctx, false), action: 'get_info' }, { auth: false });
    conforms(
      ctx,
      ctx.expect<Json>(res),
      'license-info.json',
      '"retrieve the important license details for a given key": serial_no, expiry_time, max_users, type, edition, ...',
    );
  },

  'fortisoar.license-deploy': async (ctx) => {
    statusOnly(ctx, await ctx.api.post('/api/auth/license', { license_key: licenceKey(ctx, true) }));
  },

  'fortisoar.license-details': async (ctx) => {
    const body = await licenceDetails(ctx);
    const nodes = Object.entries(body.nodes as Record<string, Json>);
    ctx.rule(nodes.length >= 1, 'the licence details name the nodes of the installation', () => JSON.stringify(body).slice(0, 300));
    for (const [id, entry] of nodes) {
      const named = entry.node?.nodeId;
      ctx.rule(named === undefined || named === id, 'each entry of "nodes" is keyed by its node\'s nodeId', () => `key ${id}, node.nodeId ${named}`);
    }
  },

  'fortisoar.license-details-self': async (ctx) => {
    const all = await ctx.step('every node', () => licenceDetails(ctx));
    const self = await ctx.step('node_id=SELF', () => licenceDetails(ctx, 'SELF'));
    const ids = Object.keys(self.nodes);
    ctx.rule(
      ids.length === 1,
      'with node_id=SELF "license details are returned for the node on which the API call is received": one node',
      () => `nodes: ${ids.join(', ')}`,
    );
    ctx.rule(
      ids[0]! in all.nodes,
      "the node answered for SELF is one of the installation's nodes",
      () => `${ids[0]} not in ${Object.keys(all.nodes).join(', ')}`,
    );
  },
};

// ── users, sessions, cluster health, audit purge ──────────────────────────────────────────────

/** Two SSO users shaped as the guide's example, each with a run-marked username; deleted after the test. */
function newPeople(ctx: CaseContext, n: number): Json[] {
  return Array.from({ length: n }, (_, i) => {
    const login = `${slug(ctx, `user ${i + 1}`)}@example.invalid`;
    const uuid = neverIssuedUuid();
    ctx.defer(() => ctx.api.delete(`/api/3/people/${uuid}`));
    return {
      username: login,
      email: login,
      firstname: 'conformance-suite',
      lastname: String(i + 1),
      phoneMobile: '',
      roles: [],
      accessType: 'Concurrent',
      csActive: false,
      loginType: 6,
      uuid,
      user: { loginid: login, user_type: 6, access_type: 'Concurrent', status: 2 },
    };
  });
}

async function insertPeople(ctx: CaseContext, people: Json[], operationId?: string): Promise<Json> {
  return ctx.step('create the users (POST /api/3/insert/people)', async () =>
    ctx.expect<Json>(await ctx.api.post('/api/3/insert/people', { data: people }), 200, operationId ?? 'bulkInsertPeople'),
  );
}

function nodeIdOf(node: Json): string | undefined {
  const id = node.node_id ?? node.nodeId ?? node.id;
  return id === undefined ? undefined : String(id);
}

const sessions: Record<string, Scenario> = {
  'fortisoar.bulk-insert-people': async (ctx) => {
    const people = newPeople(ctx, 2);
    const body = await insertPeople(ctx, people);
    const listed = listedRecords(body);
    ctx.rule(listed.length === people.length || !Array.isArray(body.failure) || body.failure.length === 0, 'a 200 answer reports no failure', () =>
      JSON.stringify(body).slice(0, 300),
    );
    for (const p of people) {
      const got = await ctx.step(`the user ${p.username} exists`, async () => ctx.expect<Json>(await ctx.api.get(`/api/3/people/${p.uuid}`), 200, 'getRecord'));
      ctx.rule(
        got.username === p.username || got.email === p.email,
        'every user of the body is created',
        () => `GET answers ${JSON.stringify(got).slice(0, 200)}`,
      );
    }
  },

  'fortisoar.logout-users': async (ctx) => {
    const [person] = newPeople(ctx, 1);
    await insertPeople(ctx, [person!]);
    const res = await ctx.step('log the new user out', () => ctx.api.post('/api/auth/token', { action: 'logout', users: [person!.uuid] }));
    statusOnly(ctx, res);
    const after = await ctx.step("the administrator's own session goes on", () => ctx.api.get('/auth/license/', { query: { param: 'license_details' } }));
    ctx.rule(after.status === 200, "logging out another user leaves the caller's session alone", () => `GET /auth/license/ answered ${after.status}`);
  },

  'fortisoar.cluster-health': async (ctx) => {
    const nodes = itemsOf(ctx.expect(await ctx.api.get('/api/auth/cluster/health')));
    ctx.rule(nodes.length >= 1, '"retrieve health information for all the nodes in an HA cluster": at least the node serving the call', () => 'no node');
  },

  'fortisoar.cluster-health-node': async (ctx) => {
    const all = await ctx.step('every node', async () => itemsOf(ctx.expect(await ctx.api.get('/api/auth/cluster/health'))));
    const id = all.map(nodeIdOf).find((x) => x !== undefined);
    if (!id) return ctx.skip('the cluster health names no node id');
    const nodes = await ctx.step(`nodeId=${id}`, async () => itemsOf(ctx.expect(await ctx.api.get('/api/auth/cluster/health', { query: { nodeId: id } }))));
    ctx.rule(nodes.length >= 1, 'nodeId "retrieve[s] health information for a particular node"', () => 'no node answered');
    const others = nodes.map(nodeIdOf).filter((n) => n !== undefined && n !== id);
    ctx.rule(others.length === 0, 'nodeId answers that node only', () => `also answered ${others.join(', ')}`);
  },

  'fortisoar.cluster-health-latest': async (ctx) => {
    const nodes = itemsOf(ctx.expect(await ctx.api.get('/api/auth/cluster/health', { query: { latest: 'True', section: 'cpu,disk,ram,swap,services' } })));
    ctx.rule(
      nodes.length === 1,
      'latest=True "retrieve[s] the latest health information for the node who is serving the API": one node',
      () => `${nodes.length} nodes: ${nodes.map(nodeIdOf).join(', ')}`,
    );
  },

  'fortisoar.audit-stop-purge': async (ctx) => {
    statusOnly(ctx, await ctx.api.delete('/gateway/audit/activities/ttl', undefined, { headers: { 'content-type': 'application/json' } }));
  },

  'fortisoar.audit-purge': async (ctx) => {
    // uptoDate=0: "audit logs that exist before the specified date will be purged": none before 1970.
    statusOnly(ctx, await ctx.api.delete('/gateway/audit/activities', undefined, { query: { uptoDate: 0 }, headers: { 'cache-control': 'no-cache' } }));
  },
};

// ── configuration export and import ───────────────────────────────────────────────────────────

/** An export template that selects nothing: its export and the import of that export change no configuration. */
const EMPTY_TEMPLATE_OPTIONS = {
  modules: [],
  viewTemplates: [],
  picklistNames: [],
  views: [],
  reports: [],
  dashboards: [],
  roles: [],
  appSettings: [],
  playbooks: { collections: [], includeVersions: false, globalVariables: [] },
};

const EXPORT_COMPLETE = 'Export Complete';

async function createTemplate(ctx: CaseContext): Promise<Json> {
  return ctx.step('create an export template (POST /api/3/export_templates)', async () => {
    const body = ctx.expect<Json>(
      await ctx.api.post('/api/3/export_templates', { options: EMPTY_TEMPLATE_OPTIONS, name: ctx.unique('export template') }),
      201,
      'createExportTemplate',
    );
    ctx.defer(() => ctx.api.delete(body['@id']));
    return body;
  });
}

async function triggerExport(ctx: CaseContext, template: Json): Promise<string> {
  return ctx.step('trigger the export (PUT /api/export)', async () => {
    const templateUuid = String(template.uuid ?? uuidOf(template['@id']));
    const res = await ctx.api.put('/api/export', undefined, { query: { fileName: `${slug(ctx, 'export')}.json`, template: templateUuid } });
    const body = ctx.expect<Json>(res, 200, 'triggerExport');
    ctx.rule(
      typeof body.jobUuid === 'string' && body.jobUuid !== '',
      'the export answers {"@type": "ExportJob", "jobUuid": "<export job uuid>"}',
      () => JSON.stringify(body),
      'triggerExport',
    );
    ctx.defer(() => ctx.api.delete(`/api/3/export_jobs/${body.jobUuid}`));
    return body.jobUuid as string;
  });
}

/** Polls the export job until "Export Complete"; answers the file object. */
async function awaitExport(ctx: CaseContext, jobUuid: string): Promise<Json> {
  const job = await ctx.step('poll the export job until "Export Complete" (GET /api/3/export_jobs/{uuid})', () =>
    pollUntil(
      ctx,
      'the export reaches "Export Complete"',
      async () => ctx.expect<Json>(await ctx.api.get(`/api/3/export_jobs/${jobUuid}`), 200, 'getExportJob'),
      (j) => statusText(j.status) === EXPORT_COMPLETE || /fail|error/i.test(statusText(j.status)),
      (j) => `status ${JSON.stringify(j.status)}`,
      'getExportJob',
    ),
  );
  ctx.rule(
    statusText(job.status) === EXPORT_COMPLETE,
    'the export job reaches "Export Complete"',
    () => `status ${JSON.stringify(job.status)}`,
    'getExportJob',
  );
  const file = job.file;
  ctx.rule(
    isObject(file) || (typeof file === 'string' && file !== ''),
    '"When the status equals “Export Complete”, a file object is returned"',
    () => `file: ${JSON.stringify(file)}`,
    'getExportJob',
  );
  const iri = isObject(file) ? file['@id'] : file;
  if (typeof iri === 'string') ctx.defer(() => ctx.api.delete(iri));
  return isObject(file) ? file : { '@id': file };
}

async function exportedFile(ctx: CaseContext): Promise<string> {
  const file = await awaitExport(ctx, await triggerExport(ctx, await createTemplate(ctx)));
  const iri = file['@id'];
  if (typeof iri !== 'string') ctx.rule(false, 'the exported file object carries its "File IRI" (@id)', () => JSON.stringify(file), 'getExportJob');
  return iri as string;
}

async function createImportJob(ctx: CaseContext): Promise<string> {
  const file = await exportedFile(ctx);
  return ctx.step('create an import job (POST /api/3/import_jobs)', async () => {
    const body = ctx.expect<Json>(await ctx.api.post('/api/3/import_jobs', { status: 'In Progress', file }), 201, 'createImportJob');
    ctx.defer(() => ctx.api.delete(body['@id']));
    ctx.rule(
      /^\/api\/3\/import_jobs?\/[^/]+$/.test(body['@id']),
      'the output "contains the @id of the import_jobs record ... /api/3/import_job/<uuid>"',
      () => `@id ${body['@id']}`,
      'createImportJob',
    );
    return uuidOf(body['@id']);
  });
}

async function getImportJob(ctx: CaseContext, uuid: string): Promise<Json> {
  return ctx.expect<Json>(await ctx.api.get(`/api/3/import_jobs/${uuid}`), 200, 'getImportJob');
}

async function generateOptions(ctx: CaseContext, uuid: string): Promise<Json> {
  await ctx.step('generate the import options (GET /api/import/{uuid})', async () =>
    statusOnly(ctx, await ctx.api.get(`/api/import/${uuid}`), 200, 'generateImportOptions'),
  );
  const job = await ctx.step('get the options object (GET /api/3/import_jobs/{uuid})', () => getImportJob(ctx, uuid));
  ctx.rule(
    isObject(job.options),
    '"This request populates the options object for the import job with the default options"',
    () => `options: ${JSON.stringify(job.options)}`,
    'generateImportOptions',
  );
  return job.options as Json;
}

const IMPORT_DONE = /complete|success|finished|done/i;
const IMPORT_FAILED = /fail|error/i;

async function importFlow(ctx: CaseContext): Promise<void> {
  const uuid = await createImportJob(ctx);
  await generateOptions(ctx, uuid);
  await ctx.step('trigger the import (PUT /api/import/{uuid})', async () => statusOnly(ctx, await ctx.api.put(`/api/import/${uuid}`), 200, 'triggerImport'));
  const job = await ctx.step('check the status until the import is done (GET /api/3/import_jobs/{uuid})', () =>
    pollUntil(
      ctx,
      'the import, which "runs asynchronously", is done',
      () => getImportJob(ctx, uuid),
      (j) => IMPORT_DONE.test(statusText(j.status)) || IMPORT_FAILED.test(statusText(j.status)),
      (j) => `status ${JSON.stringify(j.status)}`,
      'getImportJob',
    ),
  );
  ctx.rule(
    !IMPORT_FAILED.test(statusText(job.status)),
    'the import of an empty configuration export succeeds',
    () => `status ${JSON.stringify(job.status)}`,
    'getImportJob',
  );
}

const transfer: Record<string, Scenario> = {
  'fortisoar.export-template': async (ctx) => {
    const template = await createTemplate(ctx);
    ctx.rule(/^\/api\/3\/export_templates\/[^/]+$/.test(template['@id']), 'the template is an export_templates record', () => `@id ${template['@id']}`);
  },
  'fortisoar.export-trigger': async (ctx) => {
    const jobUuid = await triggerExport(ctx, await createTemplate(ctx));
    await awaitExport(ctx, jobUuid);
  },
  'fortisoar.export-complete': async (ctx) => {
    await exportedFile(ctx);
  },
  'fortisoar.import-create': async (ctx) => {
    await createImportJob(ctx);
  },
  'fortisoar.import-options': async (ctx) => {
    await generateOptions(ctx, await createImportJob(ctx));
  },
  'fortisoar.import-get-options': async (ctx) => {
    const uuid = await createImportJob(ctx);
    await generateOptions(ctx, uuid);
    const again = await ctx.step('get the options object again', () => getImportJob(ctx, uuid));
    ctx.rule(
      isObject(again.options),
      '"To get the options object: GET /api/3/import_jobs/<import job uuid>"',
      () => `options: ${JSON.stringify(again.options)}`,
    );
  },
  'fortisoar.import-modify-options': async (ctx) => {
    const uuid = await createImportJob(ctx);
    const options = await generateOptions(ctx, uuid);
    const marker = ctx.unique('import options');
    const modified = { ...options, conformanceSuite: marker };
    await ctx.step('modify the options object (PUT /api/3/import_jobs/{uuid})', async () =>
      ctx.expect(await ctx.api.put(`/api/3/import_jobs/${uuid}`, { options: modified })),
    );
    const job = await ctx.step('get the options object', () => getImportJob(ctx, uuid));
    ctx.rule(
      isObject(job.options) && job.options.conformanceSuite === marker,
      'the modified options object is stored on the import job',
      () => `options: ${JSON.stringify(job.options).slice(0, 300)}`,
    );
  },
  'fortisoar.import-trigger': importFlow,
  'fortisoar.import-status': importFlow,
};

// ── integration ─────────────────────────────────────────────────────────────────────────────────

interface Connector {
  readonly id?: string | number;
  readonly name: string;
  readonly version: string;
  readonly raw: Json;
}

async function connectors(ctx: CaseContext): Promise<Connector[]> {
  const body = await ctx.step('list the installed connectors (GET /api/integration/connectors/)', async () =>
    ctx.expect(await ctx.api.get('/api/integration/connectors/'), 200, 'listConnectors'),
  );
  return itemsOf(body)
    .filter((c) => typeof c.name === 'string' && typeof c.version === 'string')
    .map((c) => ({ id: c.id, name: c.name, version: c.version, raw: c }));
}

const latestOf = (all: readonly Connector[], name: string): string =>
  all
    .filter((c) => c.name === name)
    .map((c) => c.version)
    .sort((a, b) => compareVersion(b, a))[0]!;

/** A connector, preferring one installed in several versions (so "the latest installed" is a real choice). */
function pickConnector(ctx: CaseContext, all: readonly Connector[]): Connector {
  if (all.length === 0) return ctx.skip('no connector is installed');
  const counts = new Map<string, number>();
  for (const c of all) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  return [...all].sort((a, b) => counts.get(b.name)! - counts.get(a.name)!)[0]!;
}

async function details(ctx: CaseContext, name: string, version: string): Promise<Json> {
  return ctx.step(`connector details (POST /api/integration/connectors/${name}/${version}/)`, async () =>
    unwrap(
      ctx.expect(await ctx.api.post(`/api/integration/connectors/${encodeURIComponent(name)}/${encodeURIComponent(version)}/`, {}), 200, 'getConnectorDetails'),
    ),
  );
}

/** A version no release uses: asks for the documented fall-back to the latest installed version. */
const NOT_INSTALLED = '99.99.99';

interface ConfigRef {
  readonly connector: Connector;
  readonly configId: string;
  readonly isDefault: boolean;
}

/** Configurations the connector list or details show ({configuration: [{config_id, default}]}). */
async function configurations(ctx: CaseContext, all: readonly Connector[]): Promise<ConfigRef[]> {
  const out: ConfigRef[] = [];
  const read = (c: Connector, source: Json) => {
    for (const x of (Array.isArray(source.configuration) ? source.configuration : []).filter(isObject)) {
      if (typeof x.config_id === 'string') out.push({ connector: c, configId: x.config_id, isDefault: x.default === true });
    }
  };
  for (const c of all) read(c, c.raw);
  for (const c of all.slice(0, 10)) if (out.length === 0) read(c, await details(ctx, c.name, c.version));
  return out;
}

async function createConfiguration(ctx: CaseContext, c: Connector, version: string): Promise<Json> {
  return ctx.step(`create a configuration of ${c.name} (POST /api/integration/configuration/)`, async () => {
    const name = ctx.unique('configuration');
    const res = await ctx.api.post('/api/integration/configuration/', { connector_name: c.name, connector_version: version, name, default: false, config: {} });
    const body = unwrap(ctx.expect(res, 201, 'createConnectorConfiguration'));
    if (body.id !== undefined) ctx.defer(() => ctx.api.delete(`/api/integration/configuration/${body.id}/`));
    ctx.rule(
      body.id !== undefined,
      'the configuration created carries the <id> that deletes it',
      () => JSON.stringify(body).slice(0, 300),
      'createConnectorConfiguration',
    );
    return body;
  });
}

async function healthcheck(ctx: CaseContext, c: Connector, config: string): Promise<Json> {
  return ctx.step(`health check of ${c.name} ${c.version} with config=${config}`, async () =>
    unwrap(
      ctx.expect(
        await ctx.api.get(`/api/integration/connectors/healthcheck/${encodeURIComponent(c.name)}/${encodeURIComponent(c.version)}/`, { query: { config } }),
        200,
        'connectorHealthcheck',
      ),
    ),
  );
}

/** Action names that read (on a live target the suite runs nothing else). */
const READING_ACTION = /^(get|list|search|lookup|query)_/;

const integration: Record<string, Scenario> = {
  'fortisoar.connectors-list': async (ctx) => {
    const body = ctx.expect(await ctx.api.get('/api/integration/connectors/'));
    for (const c of itemsOf(body)) {
      ctx.rule(typeof c.name === 'string' && typeof c.version === 'string', 'every installed connector is listed with its name and version', () =>
        JSON.stringify(c).slice(0, 200),
      );
    }
  },

  'fortisoar.connectors-development': async (ctx) => {
    const body = ctx.expect(await ctx.api.post('/api/integration/connector/development/list/', {}));
    ctx.rule(Array.isArray(body) || Array.isArray((body as Json).data), 'the connectors in development come as a list', () =>
      JSON.stringify(body).slice(0, 200),
    );
  },

  'fortisoar.connector-details': async (ctx) => {
    const c = pickConnector(ctx, await connectors(ctx));
    const d = await details(ctx, c.name, c.version);
    ctx.rule(
      d.name === c.name && d.version === c.version,
      'the details are those of the connector and version asked for',
      () => `asked ${c.name} ${c.version}, received ${d.name} ${d.version}`,
    );
  },

  'fortisoar.connector-details-fallback': async (ctx) => {
    const all = await connectors(ctx);
    const c = pickConnector(ctx, all);
    const latest = latestOf(all, c.name);
    const d = await details(ctx, c.name, NOT_INSTALLED);
    ctx.rule(
      d.name === c.name && d.version === latest,
      '"If the specified version ... is not installed, then the API returns details of same connector ... with latest version installed"',
      () =>
        `asked ${c.name} ${NOT_INSTALLED}; installed ${all
          .filter((x) => x.name === c.name)
          .map((x) => x.version)
          .join(', ')}; received ${d.name} ${d.version}`,
    );
  },

  'fortisoar.connector-config-create': async (ctx) => {
    const c = pickConnector(ctx, await connectors(ctx));
    const created = await createConfiguration(ctx, c, c.version);
    ctx.rule(
      typeof created.config_id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(created.config_id),
      '"It is not mandatory to provide the config_id, as a UUID gets automatically generated"',
      () => `config_id ${JSON.stringify(created.config_id)}`,
    );
  },

  'fortisoar.connector-config-fallback': async (ctx) => {
    const all = await connectors(ctx);
    const c = pickConnector(ctx, all);
    const latest = latestOf(all, c.name);
    const created = await createConfiguration(ctx, c, NOT_INSTALLED);
    let version = created.connector_version;
    if (version === undefined && typeof created.config_id === 'string') {
      const d = await details(ctx, c.name, latest);
      const listed = (Array.isArray(d.configuration) ? d.configuration : []).some((x: Json) => x.config_id === created.config_id);
      if (listed) version = latest;
    }
    ctx.rule(
      version === undefined || version === latest,
      '"If connector_version specified is invalid, then the latest installed version of same connector is considered"',
      () => `sent ${NOT_INSTALLED}; latest installed ${latest}; configuration made for ${version}`,
    );
  },

  'fortisoar.connector-config-delete': async (ctx) => {
    const c = pickConnector(ctx, await connectors(ctx));
    const created = await createConfiguration(ctx, c, c.version);
    await ctx.step('delete it (DELETE /api/integration/configuration/{id}/)', async () =>
      ctx.expect(await ctx.api.delete(`/api/integration/configuration/${created.id}/`)),
    );
    const d = await details(ctx, c.name, c.version);
    if (Array.isArray(d.configuration)) {
      ctx.rule(
        !d.configuration.some((x: Json) => x.config_id === created.config_id || String(x.id) === String(created.id)),
        'the deleted configuration is gone from the connector',
        () => `still listed: ${created.config_id}`,
      );
    }
  },

  'fortisoar.connector-health': async (ctx) => {
    const configs = await configurations(ctx, await connectors(ctx));
    const chosen = configs.find((x) => !x.isDefault) ?? configs[0];
    if (!chosen) return ctx.skip('no connector configuration exists to check');
    const h = await healthcheck(ctx, chosen.connector, chosen.configId);
    ctx.rule(
      h.config_id === undefined || h.config_id === chosen.configId,
      'the health check is that of the configuration named',
      () => `asked ${chosen.configId}, received ${h.config_id}`,
    );
  },

  'fortisoar.connector-health-fallback': async (ctx) => {
    const configs = await configurations(ctx, await connectors(ctx));
    const byDefault = configs.find((x) => x.isDefault);
    if (!byDefault) return ctx.skip('no connector has a default configuration to fall back to');
    const invalid = neverIssuedUuid();
    const h = await healthcheck(ctx, byDefault.connector, invalid);
    ctx.rule(
      h.config_id === byDefault.configId,
      '"If you specify an invalid config_id, then the health check details of the \'default\' configuration of the specified connector is returned"',
      () => `asked ${invalid}; default ${byDefault.configId}; received ${JSON.stringify(h.config_id)}`,
    );
  },

  'fortisoar.connector-execute': async (ctx) => {
    const all = await connectors(ctx);
    let target: { c: Connector; operation: string } | undefined;
    for (const c of all.slice(0, 20)) {
      const ops = (Array.isArray(c.raw.operations) ? c.raw.operations : (await details(ctx, c.name, c.version)).operations) as unknown;
      const op = (Array.isArray(ops) ? ops : [])
        .filter(isObject)
        .map((o) => String(o.operation ?? ''))
        .find((o) => READING_ACTION.test(o));
      if (op) {
        target = { c, operation: op };
        break;
      }
    }
    if (!target) return ctx.skip('no installed connector has an action whose name reads (get_, list_, search_, lookup_, query_)');
    const configs = await configurations(ctx, [target.c]);
    const config = configs.find((x) => x.isDefault) ?? configs[0];
    const res = await ctx.api.post('/api/integration/execute/', {
      connector: target.c.name,
      version: target.c.version,
      connector_version: target.c.version,
      config: config?.configId,
      operation: target.operation,
      params: {},
    });
    const body = ctx.expect<Json>(res);
    ctx.rule(!/fail|error/i.test(String(body.status ?? '')), 'the action of the installed connector is executed', () => JSON.stringify(body).slice(0, 300));
  },

  'fortisoar.connector-uninstall': async (ctx) => {
    if (ctx.live) return ctx.skip('the suite installs no connector of its own, so it never uninstalls one on a live target');
    const all = await connectors(ctx);
    const c = all.at(-1);
    if (!c || c.id === undefined) return ctx.skip('no connector with an id is installed');
    await ctx.step(`uninstall ${c.name} ${c.version} (DELETE /api/integration/connectors/${c.id}/)`, async () =>
      ctx.expect(await ctx.api.delete(`/api/integration/connectors/${c.id}/`)),
    );
    const after = await connectors(ctx);
    ctx.rule(
      !after.some((x) => String(x.id) === String(c.id)),
      'the uninstalled connector leaves the list of installed connectors',
      () => `${c.name} ${c.version} (${c.id}) is still listed`,
    );
  },
};

// ── workflows ────────────────────────────────────────────────────────────────────────────────────

const WF = '/api/wf/api/workflows/';
const LOGS = '/api/wf/api/query/workflow_logs/';

async function history(ctx: CaseContext, query: Record<string, string | number>, title = 'list the history'): Promise<Json> {
  return ctx.step(`${title} (GET ${WF})`, async () => ctx.expect<Json>(await ctx.api.get(WF, { query: { format: 'json', ...query } }), 200, 'listWorkflows'));
}

async function queryLogs(ctx: CaseContext, query: Json, title: string): Promise<Json[]> {
  const body = await ctx.step(`${title} (POST ${LOGS})`, async () => ctx.expect<Json>(await ctx.api.post(LOGS, { query })));
  return body['hydra:member'] as Json[];
}

const _tagsOf = (m: Json): string[] =>
  Array.isArray(m.tags) ? m.tags.map(String) : typeof m.tags === 'string' ? m.tags.split(',').map((t: string) => t.trim()) : [];

/** The value of `field` most members carry, with a member that does not carry it when there is one. */
function commonValue(members: Json[], valuesOf: (m: Json) => string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const m of members) for (const v of new Set(valuesOf(m))) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

const workflows: Record<string, Scenario> = {
  'fortisoar.workflow-get': async (ctx) => {
    const first = ((await history(ctx, { limit: 1 }))['hydra:member'] as Json[])[0];
    if (!first) return ctx.skip('the workflow execution history is empty');
    const body = await ctx.step(`get execution ${first.id}`, async () =>
      ctx.expect<Json>(await ctx.api.get(`${WF}${first.id}/`, { query: { format: 'json' } })),
    );
    ctx.rule(
      String(body.id) === String(first.id),
      '"the detailed view of a particular workflow execution history based on the ID specified"',
      () => `asked ${first.id}, received ${body.id}`,
    );
  },

  'fortisoar.workflow-logs-filters': async (ctx) => {
    const sample = (await history(ctx, { limit: 50, ordering: '-created' }, 'read the history'))['hydra:member'] as Json[];
    const status = commonValue(sample, (m) => (typeof m.status === 'string' ? [m.status] : []));
    if (!status) return ctx.skip('the workflow history shows no status to filter on');
    const limit = 3;
    const members = await queryLogs(
      ctx,
      { logic: 'AND', limit: String(limit), filters: [{ field: 'status', operator: 'eq', value: status }] },
      `status eq ${status}, limit "${limit}"`,
    );
    ctx.rule(members.length <= limit, '"limit" caps the logs answered', () => `${members.length} logs for limit ${limit}`);
    ctx.rule(members.length >= 1, 'logs that match the filter are answered', () => `no log with status ${status}, though the history has some`);
    const off = members.filter((m) => m.status !== status);
    ctx.rule(
      off.length === 0,
      '"filters": [{"field": "status", "operator": "eq", ...}] answers only matching logs',
      () => `statuses ${off.map((m) => m.status).join(', ')}`,
    );
  },

  'fortisoar.workflow-logs-nested': async (ctx) => {
    const sample = (await history(ctx, { limit: 100, ordering: '-created' }, 'read the history'))['hydra:member'] as Json[];
    const statuses = [...new Set(sample.map((m) => m.status).filter((s): s is string => typeof s === 'string'))].sort();
    if (statuses.length < 2) return ctx.skip('the workflow history shows fewer than two statuses');
    const [a, b] = [statuses[0]!, statuses[1]!];
    const members = await queryLogs(
      ctx,
      {
        logic: 'AND',
        limit: 100,
        filters: [
          {
            logic: 'OR',
            filters: [
              { field: 'status', operator: 'eq', value: a },
              { field: 'status', operator: 'eq', value: b },
            ],
          },
        ],
      },
      `a nested OR group: status ${a} or ${b}`,
    );
    const off = members.filter((m) => m.status !== a && m.status !== b);
    ctx.rule(off.length === 0, "a nested group's filters apply with its own logic (OR)", () => `statuses ${off.map((m) => m.status).join(', ')}`);
    const seen = new Set(members.map((m) => m.status));
    ctx.rule(seen.has(a) && seen.has(b), 'the OR group admits logs of either status', () => `answered statuses ${[...seen].join(', ')}`);
  },

  'fortisoar.workflow-logs-sort': async (ctx) => {
    const members = await queryLogs(ctx, { limit: 30, sort: [{ field: 'modified', direction: 'desc' }] }, 'sort by modified, desc');
    const times = members.map((m) => Date.parse(String(m.modified)));
    ctx.rule(
      times.every((t) => !Number.isNaN(t)),
      'the logs sorted by modified carry it',
      () => JSON.stringify(members[0]).slice(0, 200),
    );
    const wrong = times.findIndex((t, i) => i > 0 && t > times[i - 1]!);
    ctx.rule(
      wrong < 0,
      '"sort": [{"field": "modified", "direction": "desc"}] answers the newest first',
      () => `log ${wrong} (${members[wrong]?.modified}) is newer than log ${wrong - 1} (${members[wrong - 1]?.modified})`,
    );
  },

  'fortisoar.workflow-logs-aggregates': async (ctx) => {
    const members = await queryLogs(
      ctx,
      {
        limit: 100,
        aggregates: [
          { operator: 'groupBy', field: 'status' },
          { operator: 'count', field: 'id' },
        ],
      },
      'group by status and count',
    );
    ctx.rule(members.length >= 1, 'the aggregates answer at least one group', () => 'no group');
    const keys = members.map((m) => JSON.stringify(m.status));
    const repeated = keys.filter((k, i) => keys.indexOf(k) !== i);
    ctx.rule(
      members.every((m) => 'status' in m) && repeated.length === 0,
      '"groupBy" status answers one member per status',
      () => `statuses ${keys.join(', ')}`,
    );
  },

  'fortisoar.workflow-delete': async (ctx) => {
    // Least harmful on a live target: nothing was created before 1970. Against the stub, the
    // median creation date, so that the deletion and the awaiting exception are both observable.
    let date = '1970-01-01T00:00:00.000Z';
    if (!ctx.live) {
      const total = Number((await history(ctx, { limit: 1 }, 'count the history'))['hydra:totalItems'] ?? 0);
      const median = (
        (await history(ctx, { limit: 1, offset: Math.floor(total / 2), ordering: 'created' }, 'find the median creation date'))['hydra:member'] as Json[]
      )[0];
      if (median) date = String(median.created);
    }
    const before = Date.parse(date);
    const older = async (title: string) =>
      ((await history(ctx, { limit: 100, ordering: 'created' }, title))['hydra:member'] as Json[]).filter((m) => Date.parse(String(m.created)) < before);
    const awaiting = (await older('the executions older than the date')).filter((m) => m.status === 'awaiting').map((m) => String(m.id));
    const body = await ctx.step(`delete the workflow logs before ${date}`, async () =>
      ctx.expect<Json>(
        await ctx.api.delete(
          `${WF}delete/`,
          { date, user: ctx.config.fortisoar?.username ?? 'conformance-suite', exclude_awaiting_wf: true },
          { query: { format: 'json' } },
        ),
      ),
    );
    ctx.rule(typeof body.result === 'string', 'the answer is {"result": "deleting workflows"}', () => JSON.stringify(body));
    const left = await ctx.step('the logs before the date are deleted, awaiting ones excepted', () =>
      pollUntil(
        ctx,
        'the workflow logs before the date are deleted',
        () => older('list the executions left'),
        (rows) => rows.every((m) => m.status === 'awaiting'),
        (rows) =>
          `still there: ${rows
            .filter((m) => m.status !== 'awaiting')
            .map((m) => `${m.id} ${m.status} ${m.created}`)
            .slice(0, 5)
            .join('; ')}`,
      ),
    );
    const kept = new Set(left.map((m) => String(m.id)));
    const lost = awaiting.filter((id) => !kept.has(id));
    ctx.rule(
      lost.length === 0,
      '"If you specify true then the workflow logs that are in the \'awating\' state are excluded from deletion"',
      () => `awaiting executions deleted: ${lost.join(', ')}`,
    );
  },

  'fortisoar.workflow-vacuum': async (ctx) => {
    const count = async (title: string) => Number((await history(ctx, { limit: 1 }, title))['hydra:totalItems'] ?? NaN);
    const before = await count('count the history');
    const res = await ctx.step('clean up the workflow table', () =>
      ctx.api.post(
        `${WF}auto_vacuum/`,
        { date: '1970-01-01 00:00:00', user: ctx.config.fortisoar?.username ?? 'conformance-suite' },
        { query: { format: 'json' } },
      ),
    );
    statusOnly(ctx, res);
    const after = await count('count the history again');
    ctx.rule(
      Number.isNaN(before) || Number.isNaN(after) || after >= before,
      'the cleanup "clears all the empty rows": the execution history stays',
      () => `${before} executions before, ${after} after`,
    );
  },
};

// ── log collection ────────────────────────────────────────────────────────────────────────────

const LOGS_PLAIN = 'fortisoar-logs.tar.gz';
const LOGS_GPG = 'fortisoar-logs.tar.gz.gpg';
const COLLECT = '/api/3/utils/log-collect';

/** Triggers a collection; on a live target another one may be running (202): waits for a 200 within the deadline. */
async function collect(ctx: CaseContext, password?: string): Promise<{ res: ApiResponse; filename: string }> {
  const body = password === undefined ? {} : { password };
  const res = await ctx.step(`trigger the log collection ${password === undefined ? 'without' : 'with'} a password`, () =>
    pollUntil(
      ctx,
      'a log collection can be started',
      () => ctx.api.post(COLLECT, body),
      (r) => r.status !== 202 || !ctx.live,
      (r) => `answered ${r.status}`,
      'triggerLogCollection',
    ),
  );
  const answer = ctx.expect<Json>(res, 200, 'triggerLogCollection');
  return { res, filename: String(answer.filename) };
}

/** Downloads until the file is there (202 while running, each answer checked). */
async function download(ctx: CaseContext, filename: string): Promise<ApiResponse> {
  return ctx.step(`download ${filename} once the collection is done`, () =>
    pollUntil(
      ctx,
      'the log collection finishes',
      async () => {
        const r = await ctx.api.get(COLLECT, { query: { filename } });
        if (r.status === 202) statusOnly(ctx, r, 202, 'downloadLogCollection');
        return r;
      },
      (r) => r.status !== 202,
      (r) => `answered ${r.status}`,
      'downloadLogCollection',
    ),
  );
}

function namesFile(ctx: CaseContext, res: ApiResponse, filename: string): void {
  const disposition = res.headers['content-disposition'];
  ctx.rule(
    disposition === undefined || disposition.includes(filename),
    `"A file is downloaded with the name ${filename}"`,
    () => `content-disposition: ${disposition}`,
    'downloadLogCollection',
  );
}

const logCollection: Record<string, Scenario> = {
  'fortisoar.log-collect-password': async (ctx) => {
    const { filename } = await collect(ctx, 'conformance-suite');
    ctx.rule(filename === LOGS_GPG, `"The filename is "${LOGS_GPG}" if you have supplied a password in the request"`, () => `filename ${filename}`);
    const res = await download(ctx, filename);
    ctx.expect(res, 200, 'downloadLogCollection');
    namesFile(ctx, res, filename);
  },

  'fortisoar.log-collect-plain': async (ctx) => {
    const { filename } = await collect(ctx);
    ctx.rule(filename === LOGS_PLAIN, `"Else, the filename is "${LOGS_PLAIN}""`, () => `filename ${filename}`);
    ctx.expect(await download(ctx, filename), 200, 'downloadLogCollection');
  },

  'fortisoar.log-collect-busy': async (ctx) => {
    const { filename } = await collect(ctx);
    const again = await ctx.step('trigger another while it runs', () => ctx.api.post(COLLECT, {}));
    statusOnly(ctx, again, 202);
    ctx.expect(await download(ctx, filename), 200, 'downloadLogCollection');
  },

  'fortisoar.log-download-running': async (ctx) => {
    const { filename } = await collect(ctx);
    const res = await ctx.step(`download ${filename} at once`, () => ctx.api.get(COLLECT, { query: { filename } }));
    statusOnly(ctx, res, 202);
    ctx.expect(await download(ctx, filename), 200, 'downloadLogCollection');
  },

  'fortisoar.log-download-done': async (ctx) => {
    const { filename } = await collect(ctx);
    const res = await download(ctx, filename);
    const file = ctx.expect<Buffer>(res, 200);
    ctx.rule(file.length > 0, 'the collected log file is downloaded', () => 'empty body');
    namesFile(ctx, res, filename);
  },

  'fortisoar.log-download-unknown': async (ctx) => {
    const filename = `${slug(ctx, 'missing logs')}.tar.gz`;
    const res = await ctx.step(`download ${filename}, which was never collected`, () =>
      pollUntil(
        ctx,
        'no log collection is running',
        () => ctx.api.get(COLLECT, { query: { filename } }),
        (r) => r.status !== 202 || !ctx.live,
        (r) => `answered ${r.status}`,
      ),
    );
    ctx.expect(res);
  },
};

export const fortisoarAdmin: Readonly<Record<string, Scenario>> = {
  ...licensing,
  ...sessions,
  ...transfer,
  ...integration,
  ...workflows,
  ...logCollection,
};
