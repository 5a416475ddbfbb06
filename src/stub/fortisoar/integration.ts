/**
 * FortiSOAR "Integration APIs": connectors, their configurations, health checks, actions and
 * uninstall. Bodies follow the integration envelope real servers use where the guide is silent
 * (field notes: {data, totalItems, itemsPerPage, nextPage, previousPage, status}; configuration
 * create 201; delete and uninstall 204).
 */
import { randomUUID } from 'node:crypto';
import type { ConnectorSeed } from '../../../fixtures/fortisoar/admin.ts';
import { error, isObject, json, noContent } from '../core/http.ts';
import type { Handler } from '../core/types.ts';
import { type AdminState, adminState, compareVersion } from './admin-state.ts';
import type { FortiSoarState } from './state.ts';

type H = Handler<FortiSoarState>;

/** Fields a connector list may be narrowed by (`?name=`), each an exact match. */
const CONNECTOR_FILTERS = ['name', 'label', 'version'] as const;

const envelope = (data: unknown[]) => ({ data, totalItems: data.length, itemsPerPage: 30, nextPage: null, previousPage: null, status: 'Success' });

/** "the latest installed version of same connector". */
export function latestInstalled(admin: AdminState, name: string): ConnectorSeed | undefined {
  return admin.connectors.filter((c) => c.name === name).sort((a, b) => compareVersion(b.version, a.version))[0];
}

/** The connector installed with this name and version, else the latest installed version of it. */
export function installed(admin: AdminState, name: string, version: string | undefined): ConnectorSeed | undefined {
  return admin.connectors.find((c) => c.name === name && c.version === version) ?? latestInstalled(admin, name);
}

function describe(admin: AdminState, c: ConnectorSeed, development = false) {
  const configuration = admin.configurations
    .filter((x) => x.connector === c.id)
    .map(({ id, config_id, name, default: isDefault }) => ({ id, config_id, name, default: isDefault }));
  return {
    id: c.id,
    name: c.name,
    label: c.label,
    version: c.version,
    status: 'Completed',
    active: true,
    development,
    config_count: configuration.length,
    configuration,
    operations: c.operations,
  };
}

export const integrationHandlers: Record<string, H> = {
  /**
   * "To get a list of all connectors installed on a FortiSOAR instance: GET api/integration/connectors/".
   * Real clients narrow it by field (`?name=hello-world`, the fortisoar-api-docs harness before it
   * deletes what it finds): a filter the stub ignored would hand them every connector.
   */
  listConnectors: ({ state, req }) => {
    const admin = adminState(state);
    const filters = CONNECTOR_FILTERS.flatMap((f) => (req.query.has(f) ? [[f, req.query.get(f)!] as const] : []));
    const shown = admin.connectors.filter((c) => filters.every(([f, v]) => String(c[f]) === v));
    return json(200, envelope(shown.map((c) => describe(admin, c))));
  },

  /** "To get a list of all connectors that being developed ... POST /api/integration/connector/development/list/ Body {}". */
  listDevelopmentConnectors: ({ state, body }) => {
    if (body !== undefined && !isObject(body)) return error(400, 'the body must be a JSON object ({})');
    const admin = adminState(state);
    return json(200, envelope(admin.development.map((c) => describe(admin, c, true))));
  },

  /**
   * "To get details of any installed connector: POST api/integration/connectors/<connector_name>/<connector_version>/"
   * ... "If the specified version ... is not installed, then the API returns details of same
   * connector ... with latest version installed".
   */
  getConnectorDetails: ({ state, params }) => {
    const admin = adminState(state);
    const c = installed(admin, params.name!, params.version);
    return c ? json(200, describe(admin, c)) : error(404, `no connector ${params.name} is installed`);
  },

  /**
   * "You must specify either the connector_id or connector_name. You must specify the
   * connector_version. If connector_version specified is invalid, then the latest installed
   * version of same connector is considered. It is not mandatory to provide the config_id, as a
   * UUID gets automatically generated." Answers 201 (field notes).
   */
  createConnectorConfiguration: ({ state, body }) => {
    const admin = adminState(state);
    if (!isObject(body)) return error(400, 'the body must be a JSON object');
    if (body.connector === undefined && typeof body.connector_name !== 'string')
      return error(400, 'You must specify either the connector_id or connector_name');
    if (typeof body.connector_version !== 'string') return error(400, 'You must specify the connector_version');
    if (typeof body.name !== 'string' || body.name === '') return error(400, 'name is required');
    const byId = body.connector !== undefined ? admin.connectors.find((c) => String(c.id) === String(body.connector)) : undefined;
    const name = byId?.name ?? (typeof body.connector_name === 'string' ? body.connector_name : undefined);
    const c = name === undefined ? undefined : installed(admin, name, body.connector_version);
    if (!c) return error(404, `no connector ${String(body.connector ?? body.connector_name)} is installed`);
    if (body.config !== undefined && !isObject(body.config)) return error(400, 'config must be an object');
    const config_id = typeof body.config_id === 'string' && body.config_id !== '' ? body.config_id : randomUUID();
    if (admin.configurations.some((x) => x.config_id === config_id)) return error(400, `a configuration ${config_id} exists already`);
    const isDefault = body.default === true;
    if (isDefault) admin.configurations = admin.configurations.map((x) => (x.connector === c.id ? { ...x, default: false } : x));
    const created = {
      id: admin.nextConfigurationId++,
      config_id,
      name: body.name,
      connector: c.id,
      connector_version: c.version,
      default: isDefault,
      config: (body.config ?? {}) as Record<string, unknown>,
    };
    admin.configurations.push(created);
    return json(201, { ...created, connector_name: c.name });
  },

  /** "To delete a specific configuration of a connector: DELETE /api/integration/configuration/<id>/". 204 (field notes). */
  deleteConnectorConfiguration: ({ state, params }) => {
    const admin = adminState(state);
    const i = admin.configurations.findIndex((x) => String(x.id) === params.id || x.config_id === params.id);
    if (i < 0) return error(404, `no configuration ${params.id}`);
    admin.configurations.splice(i, 1);
    return noContent();
  },

  /**
   * "GET /api/integration/connectors/healthcheck/<connector_name>/<connector_version>/?config=<config_id>"
   * ... "If you specify an invalid config_id, then the health check details of the 'default'
   * configuration of the specified connector is returned."
   */
  connectorHealthcheck: ({ state, params, req }) => {
    const admin = adminState(state);
    const c = installed(admin, params.name!, params.version);
    if (!c) return error(404, `no connector ${params.name} is installed`);
    const mine = admin.configurations.filter((x) => x.connector === c.id);
    const asked = req.query.get('config');
    const config = mine.find((x) => x.config_id === asked) ?? mine.find((x) => x.default);
    if (!config) return error(400, `connector ${c.name} ${c.version} has no configuration ${asked ?? ''} and no default configuration`);
    const connected = Object.keys(config.config).length > 0;
    return json(200, {
      status: connected ? 'Available' : 'Disconnected',
      message: connected ? '' : 'the configuration has no connection details',
      name: c.name,
      version: c.version,
      config_id: config.config_id,
    });
  },

  /**
   * "To execute an action of an installed connector: POST /api/integration/execute/" with
   * connector, version (the example says connector_version), config, operation and params.
   */
  executeConnectorAction: ({ state, body }) => {
    const admin = adminState(state);
    if (!isObject(body) || body.connector === undefined || typeof body.operation !== 'string')
      return error(400, 'the body must name the connector and the operation');
    const version = typeof body.version === 'string' ? body.version : typeof body.connector_version === 'string' ? body.connector_version : undefined;
    const named = admin.connectors.find((c) => c.name === body.connector || String(c.id) === String(body.connector));
    const c = named ? installed(admin, named.name, version) : undefined;
    if (!c) return error(404, `no connector ${String(body.connector)} is installed`);
    if (!c.operations.some((o) => o.operation === body.operation)) return error(400, `connector ${c.name} ${c.version} has no action ${body.operation}`);
    const mine = admin.configurations.filter((x) => x.connector === c.id);
    const config = mine.find((x) => x.config_id === body.config) ?? mine.find((x) => x.default);
    return json(200, {
      data: { operation: body.operation, params: isObject(body.params) ? body.params : {}, config_id: config?.config_id ?? null, result: 'ok' },
      status: 'Success',
      message: '',
    });
  },

  /** "To uninstall a connector: DELETE /api/integration/connectors/<id>/". 204 (field notes). */
  uninstallConnector: ({ state, params }) => {
    const admin = adminState(state);
    const i = admin.connectors.findIndex((c) => String(c.id) === params.id);
    if (i < 0) return error(404, `no connector ${params.id} is installed`);
    const [gone] = admin.connectors.splice(i, 1);
    admin.configurations = admin.configurations.filter((x) => x.connector !== gone!.id);
    return noContent();
  },
};

/**
 * Installs a connector (stub mode: what an administrator does on a real instance, which no
 * documented call makes the suite do), so that the uninstall test removes its own and leaves
 * the shared stub's connectors as they were.
 */
export function installConnector(state: unknown, name: string): ConnectorSeed {
  const admin = adminState(state as FortiSoarState);
  const id = Math.max(0, ...admin.connectors.map((c) => c.id), ...admin.development.map((c) => c.id)) + 1;
  const connector: ConnectorSeed = {
    id,
    name,
    label: name,
    version: '1.0.0',
    operations: [{ operation: 'get_status', title: 'get status', category: 'investigation' }],
  };
  admin.connectors.push(connector);
  return connector;
}
