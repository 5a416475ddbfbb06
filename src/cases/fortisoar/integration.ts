/**
 * FortiSOAR integration APIs (fortisoar-api-guide.txt › Integration APIs): connectors, their
 * configurations, health checks, actions and uninstall. Bodies are read tolerantly (the guide
 * gives no shapes; field notes: the `{data, totalItems, ...}` envelope). On a live target the
 * suite creates only marked configurations it deletes, runs only actions whose names read, and
 * never uninstalls a connector (it installs none).
 */
import { randomUUID } from 'node:crypto';
import type { Source } from '../../checks/response.ts';
import { isSuiteName } from '../../client/marker.ts';
import { compareVersions } from '../../config/index.ts';
import type { ConnectorHealth } from '../../types/fortisoar/connector-health.ts';
import { type CaseContext, scenario } from '../context.ts';
import { isObject, itemsOf, type Json, unwrap } from '../kit/bodies.ts';
import { guide } from '../kit/sources.ts';

const S = {
  listed: guide('To get details of any installed connector: POST api/integration/connectors/<connector_name> /<connector_version>/'),
  development: guide('To get a list of all connectors that being developed on a FortiSOAR instance:'),
  detailsFallback: guide(
    'If the specified version, 3.1.2, in our example is not installed, then the API returns details of same connector (cyops_utilities) with latest version installed',
  ),
  generatedId: guide('It is not mandatory to provide the config_id, as a UUID gets automatically generated.'),
  configFallback: guide('If connector_version specified is invalid, then the latest installed version of same connector is considered.'),
  configDelete: guide('To delete a specific configuration of a connector:'),
  health: guide('To get the heath check details for a connector:'),
  healthFallback: guide(
    "If you specify an invalid config_id, then the health check details of the 'default' configuration of the specified connector is returned.",
  ),
  execute: guide('To execute an action of an installed connector:'),
  uninstall: guide('To uninstall a connector:'),
  configId: guide('"config_id": <config_id>,'),
} satisfies Record<string, Source>;

interface Connector {
  readonly id?: string | number;
  readonly name: string;
  readonly version: string;
  readonly raw: Json;
}

async function connectors(ctx: CaseContext): Promise<Connector[]> {
  const body = await ctx.step('list the installed connectors', async () => (await ctx.call('listConnectors')).expect(200));
  return itemsOf(body)
    .filter((c) => typeof c.name === 'string' && typeof c.version === 'string')
    .map((c) => ({ id: c.id, name: c.name, version: c.version, raw: c }));
}

const latestOf = (all: readonly Connector[], name: string): string =>
  all
    .filter((c) => c.name === name)
    .map((c) => c.version)
    .sort((a, b) => compareVersions(b, a))[0]!;

/** A connector, preferring one installed in several versions (so "the latest installed" is a real choice). */
function pickConnector(ctx: CaseContext, all: readonly Connector[]): Connector {
  if (all.length === 0) return ctx.skip('no connector is installed');
  const counts = new Map<string, number>();
  for (const c of all) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  return [...all].sort((a, b) => counts.get(b.name)! - counts.get(a.name)!)[0]!;
}

async function details(ctx: CaseContext, name: string, version: string): Promise<Json> {
  return ctx.step(`connector details of ${name} ${version}`, async () =>
    unwrap((await ctx.call('getConnectorDetails', { path: { name, version }, body: {} })).expect(200)),
  );
}

/** A version no release uses: asks for the documented fall-back to the latest installed version. */
const NOT_INSTALLED = '99.99.99';

interface ConfigRef {
  readonly connector: Connector;
  readonly configId: string;
  readonly isDefault: boolean;
  /** Made by this suite (its marker in the name): another test's, which may be deleted at any moment. */
  readonly bySuite: boolean;
}

/** Configurations the connector list or details show ({configuration: [{config_id, default}]}). */
async function configurations(ctx: CaseContext, all: readonly Connector[]): Promise<ConfigRef[]> {
  const out: ConfigRef[] = [];
  const read = (c: Connector, source: Json) => {
    for (const x of (Array.isArray(source.configuration) ? source.configuration : []).filter(isObject)) {
      if (typeof x.config_id === 'string') out.push({ connector: c, configId: x.config_id, isDefault: x.default === true, bySuite: isSuiteName(x.name) });
    }
  };
  for (const c of all) read(c, c.raw);
  for (const c of all.slice(0, 10)) if (out.length === 0) read(c, await details(ctx, c.name, c.version));
  return out;
}

async function createConfiguration(ctx: CaseContext, c: Connector, version: string): Promise<Json> {
  return ctx.step(`create a configuration of ${c.name}`, async () => {
    const name = ctx.unique('configuration');
    const body = unwrap(
      (
        await ctx.call('createConnectorConfiguration', { body: { connector_name: c.name, connector_version: version, name, default: false, config: {} } })
      ).expect(201),
    );
    if (body.id !== undefined) ctx.defer(() => ctx.call('deleteConnectorConfiguration', { path: { id: body.id } }));
    ctx.rule(
      body.id !== undefined,
      'the configuration created carries the <id> that deletes it',
      S.configDelete,
      () => ({ expected: 'an id', received: body }),
      'createConnectorConfiguration',
    );
    return body;
  });
}

async function healthcheck(ctx: CaseContext, c: Connector, config: string): Promise<ConnectorHealth> {
  return ctx.step(`health check of ${c.name} ${c.version} with config=${config}`, async () =>
    unwrap((await ctx.call('connectorHealthcheck', { path: { name: c.name, version: c.version }, query: { config } })).expect(200)),
  );
}

/** Action names that read (on a live target the suite runs nothing else). */
const READING_ACTION = /^(get|list|search|lookup|query)_/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const integration = {
  'fortisoar.connectors-list': scenario(async (ctx) => {
    const body = (await ctx.call('listConnectors')).expect();
    for (const c of itemsOf(body)) {
      ctx.rule(typeof c.name === 'string' && typeof c.version === 'string', 'every installed connector is listed with its name and version', S.listed, () => ({
        expected: '{name, version, ...}',
        received: c,
      }));
    }
  }),

  'fortisoar.connectors-development': scenario(async (ctx) => {
    const body = (await ctx.call('listDevelopmentConnectors', { body: {} })).expect();
    ctx.rule(Array.isArray(body) || Array.isArray((body as Json).data), 'the connectors in development come as a list', S.development, () => ({
      expected: 'a list',
      received: body,
    }));
  }),

  'fortisoar.connector-details': scenario(async (ctx) => {
    const c = pickConnector(ctx, await connectors(ctx));
    const d = await details(ctx, c.name, c.version);
    ctx.rule(d.name === c.name && d.version === c.version, 'the details are those of the connector and version asked for', S.listed, () => ({
      expected: `${c.name} ${c.version}`,
      received: `${d.name} ${d.version}`,
    }));
  }),

  'fortisoar.connector-details-fallback': scenario(async (ctx) => {
    const all = await connectors(ctx);
    const c = pickConnector(ctx, all);
    const latest = latestOf(all, c.name);
    const d = await details(ctx, c.name, NOT_INSTALLED);
    ctx.rule(
      d.name === c.name && d.version === latest,
      'a version not installed answers the latest installed version of the connector',
      S.detailsFallback,
      () => ({
        expected: `${c.name} ${latest}`,
        received: `${d.name} ${d.version}`,
        detail: `asked ${NOT_INSTALLED}; installed ${all
          .filter((x) => x.name === c.name)
          .map((x) => x.version)
          .join(', ')}`,
      }),
    );
  }),

  'fortisoar.connector-config-create': scenario(async (ctx) => {
    const c = pickConnector(ctx, await connectors(ctx));
    const created = await createConfiguration(ctx, c, c.version);
    ctx.rule(
      typeof created.config_id === 'string' && UUID.test(created.config_id),
      'a configuration sent without config_id gets a generated UUID',
      S.generatedId,
      () => ({
        expected: 'a UUID',
        received: created.config_id,
      }),
    );
  }),

  'fortisoar.connector-config-fallback': scenario(async (ctx) => {
    const all = await connectors(ctx);
    const c = pickConnector(ctx, all);
    const latest = latestOf(all, c.name);
    const created = await createConfiguration(ctx, c, NOT_INSTALLED);
    let version = created.connector_version ?? undefined;
    if (version === undefined && typeof created.config_id === 'string') {
      const d = await details(ctx, c.name, latest);
      const listed = (Array.isArray(d.configuration) ? d.configuration : []).some((x: Json) => x.config_id === created.config_id);
      if (listed) version = latest;
    }
    // Neither echoed nor listed under the latest version: the answer does not show which version the
    // configuration was made for, so the fallback cannot be seen either way.
    if (version === undefined)
      return ctx.skip(`the configuration made with connector_version ${NOT_INSTALLED} names no version and is not listed under ${c.name} ${latest}`);
    ctx.rule(version === latest, 'an invalid connector_version makes the configuration for the latest installed version', S.configFallback, () => ({
      expected: latest,
      received: version,
      detail: `sent ${NOT_INSTALLED}`,
    }));
  }),

  'fortisoar.connector-config-delete': scenario(async (ctx) => {
    const c = pickConnector(ctx, await connectors(ctx));
    const created = await createConfiguration(ctx, c, c.version);
    await ctx.step('delete it', async () => (await ctx.call('deleteConnectorConfiguration', { path: { id: created.id } })).expect());
    const d = await details(ctx, c.name, c.version);
    if (Array.isArray(d.configuration)) {
      const still = d.configuration.some((x: Json) => x.config_id === created.config_id || String(x.id) === String(created.id));
      ctx.rule(!still, 'the deleted configuration is gone from the connector', S.configDelete, () => ({
        expected: `no configuration ${created.config_id}`,
        received: d.configuration,
      }));
    }
  }),

  'fortisoar.connector-health': scenario(async (ctx) => {
    const all = await connectors(ctx);
    const configs = await configurations(ctx, all);
    // A configuration that is not the default: a server that ignored config would answer the default's.
    // Not one another test of the suite made: that test deletes it whenever it ends, and the health
    // check of a deleted configuration rightly answers the default's. Without such a configuration
    // the test makes its own (marked, deleted at the end), beside a default one.
    let chosen = configs.find((x) => !x.isDefault && !x.bySuite);
    if (!chosen) {
      const withDefault = configs.find((x) => x.isDefault);
      if (!withDefault) return ctx.skip('no connector configuration other than a default exists: a health check that ignored config could not be told apart');
      const created = await createConfiguration(ctx, withDefault.connector, withDefault.connector.version);
      if (typeof created.config_id !== 'string') return ctx.skip('the configuration created names no config_id to ask the health check for');
      chosen = { connector: withDefault.connector, configId: created.config_id, isDefault: false, bySuite: true };
    }
    const h = await healthcheck(ctx, chosen.connector, chosen.configId);
    if (h.config_id === undefined || h.config_id === null)
      return ctx.skip('the health check names no config_id: which configuration it checked cannot be seen');
    ctx.rule(h.config_id === chosen.configId, 'the health check is that of the configuration named', S.health, () => ({
      expected: chosen.configId,
      received: h.config_id,
    }));
  }),

  'fortisoar.connector-health-fallback': scenario(async (ctx) => {
    const configs = await configurations(ctx, await connectors(ctx));
    const byDefault = configs.find((x) => x.isDefault);
    if (!byDefault) return ctx.skip('no connector has a default configuration to fall back to');
    const invalid = randomUUID();
    const h = await healthcheck(ctx, byDefault.connector, invalid);
    ctx.rule(h.config_id === byDefault.configId, "an invalid config answers the health check of the 'default' configuration", S.healthFallback, () => ({
      expected: byDefault.configId,
      received: h.config_id,
      detail: `asked ${invalid}`,
    }));
  }),

  'fortisoar.connector-execute': scenario(async (ctx) => {
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
    const body = (
      await ctx.call('executeConnectorAction', {
        body: {
          connector: target.c.name,
          version: target.c.version,
          connector_version: target.c.version,
          config: config?.configId,
          operation: target.operation,
          params: {},
        },
      })
    ).expect<Json>();
    ctx.rule(!/fail|error/i.test(String(body.status ?? '')), 'the action of the installed connector is executed', S.execute, () => ({
      expected: 'a status that is no failure',
      received: body,
    }));
  }),

  /**
   * The suite installs no connector through the documents, so on a live target it never
   * uninstalls one; against the stub it installs a throwaway connector first and uninstalls that.
   */
  'fortisoar.connector-uninstall': scenario(async (ctx) => {
    if (ctx.live) return ctx.skip('the suite installs no connector of its own, so it never uninstalls one on a live target');
    const { installConnector } = await import('../../stub/fortisoar/integration.ts');
    const name = `conformance_suite_${ctx.unique('connector').replace(/\W+/g, '_').slice(-24)}`;
    const mine = ctx.changeStub(`the connector ${name} is installed`, (state) => installConnector(state, name));
    const c = (await connectors(ctx)).find((x) => x.name === mine.name);
    if (!c || c.id === undefined) return ctx.skip('the connector installed for the test is not listed with an id');
    await ctx.step(`uninstall ${c.name} ${c.version}`, async () => (await ctx.call('uninstallConnector', { path: { id: c.id! } })).expect());
    const after = await connectors(ctx);
    ctx.rule(!after.some((x) => String(x.id) === String(c.id)), 'the uninstalled connector leaves the list of installed connectors', S.uninstall, () => ({
      expected: `no connector ${c.id}`,
      received: after.map((x) => `${x.name} ${x.version} (${x.id})`),
    }));
  }),
};
