/**
 * FortiSOAR licensing (fortisoar-api-guide.txt › FortiSOAR licensing): the public licence API
 * (deploy, status, key details without a token), deploying with a token, and the licence details
 * of every node or of the node serving the call. A made-up licence is never deployed on a live
 * target, and no key is sent to one unless FORTISOAR_LICENSE_KEY gives it.
 */
import type { Source } from '../../checks/response.ts';
import type { LicenseDetails } from '../../types/fortisoar/license-details.ts';
import { type CaseContext, scenario } from '../context.ts';
import { conforms, statusOnly } from '../kit/answers.ts';
import { isObject, type Json } from '../kit/bodies.ts';
import { guide } from '../kit/sources.ts';

const S = {
  status: guide('You can also retrieve the current status of license deployment using the following API:'),
  info: guide('you can retrieve the important license details for a given key, even before deploying the license'),
  nodes: guide('"nodes": {'),
  self: guide('When node_id value is "SELF", then license details are returned for the node on which the API call is received.'),
} satisfies Record<string, Source>;

/** The details of a licence key get_info shows (fortisoar-api-guide.txt › Retrieving the license details). */
const KEY_DETAILS = ['serial_no', 'expiry_time', 'max_users', 'type', 'edition'];

/**
 * The nodes of the licence details: the entries of "nodes" whose value is an object with details
 * or node, as in both of the guide's examples. Any other key is an extra field, not a node.
 */
function nodeEntries(body: LicenseDetails): [string, Json][] {
  return Object.entries((body.nodes ?? {}) as Record<string, unknown>).filter(
    (e): e is [string, Json] => isObject(e[1]) && (isObject(e[1].node) || isObject(e[1].details)),
  );
}

async function licenceDetails(ctx: CaseContext, nodeId?: string): Promise<LicenseDetails> {
  return (await ctx.call('getLicenseDetails', { query: { param: 'license_details', node_id: nodeId } })).expect<LicenseDetails>(200);
}

/** The node id of the node serving the calls (node_id=SELF from 7.0.0), else the first node. */
async function servingNode(ctx: CaseContext): Promise<string> {
  if (!ctx.config.fortisoar?.username)
    return ctx.skip('the node id comes from GET /auth/license/, which real servers reserve for a JWT login; FORTISOAR_API_KEY is used');
  const details = await ctx.step('find the node id (license details, node_id=SELF)', () => licenceDetails(ctx, 'SELF'));
  const id = nodeEntries(details)[0]?.[0];
  if (!id) return ctx.skip('the licence details name no node');
  return id;
}

const STUB_KEY = 'conformance-suite-licence-key';

/**
 * The key the licence cases send: FORTISOAR_LICENSE_KEY when set; against the stub a made-up key.
 * A live target without one skips: a made-up licence must never replace the instance's own, and
 * a real server refuses a made-up key even where nothing is deployed (get_info).
 */
function licenceKey(ctx: CaseContext): string {
  const configured = ctx.config.fortisoar?.licenseKey;
  if (configured) return configured;
  if (ctx.live) return ctx.skip('no licence key for a live target: set FORTISOAR_LICENSE_KEY to test the licence operations that take one');
  return STUB_KEY;
}

const getStatus = async (ctx: CaseContext, nodeId: string): Promise<Json> =>
  (await ctx.call('publicLicense', { body: { nodeId, action: 'get_status' }, auth: false })).expect<Json>();

export const licensing = {
  'fortisoar.license-public-deploy': scenario(async (ctx) => {
    const key = licenceKey(ctx);
    const nodeId = await servingNode(ctx);
    const answer = await ctx.step('deploy without a token', () =>
      ctx.call('publicLicense', { body: { license_key: key, nodeId, action: 'deploy_license' }, auth: false }),
    );
    statusOnly(answer);
    const status = await ctx.step('read the deployment status', () => getStatus(ctx, nodeId));
    conforms(ctx, status, 'fortisoar/license-status.json', 'get_status answers the deployment status', S.status);
  }),

  'fortisoar.license-public-status': scenario(async (ctx) => {
    const nodeId = await servingNode(ctx);
    const body = await ctx.step('get_status without a token', () => getStatus(ctx, nodeId));
    conforms(ctx, body, 'fortisoar/license-status.json', 'get_status answers the deployment status', S.status);
  }),

  'fortisoar.license-public-info': scenario(async (ctx) => {
    const body = (await ctx.call('publicLicense', { body: { license_key: licenceKey(ctx), action: 'get_info' }, auth: false })).expect<Json>();
    conforms(
      ctx,
      body,
      'fortisoar/license-info.json',
      'get_info answers the details of the key: serial_no, expiry_time, max_users, type, edition, ...',
      S.info,
    );
    // Each field is shown in the example only (any may be absent or null), but an answer with none
    // of them gives no "important license details for a given key".
    const shown = KEY_DETAILS.filter((k) => isObject(body) && body[k] !== undefined && body[k] !== null);
    ctx.rule(shown.length > 0, 'get_info answers at least one detail of the key', S.info, () => ({
      expected: `one of ${KEY_DETAILS.join(', ')}`,
      received: body,
    }));
  }),

  'fortisoar.license-deploy': scenario(async (ctx) => {
    statusOnly(await ctx.call('deployLicense', { body: { license_key: licenceKey(ctx) } }));
  }),

  'fortisoar.license-details': scenario(async (ctx) => {
    const body = await licenceDetails(ctx);
    const nodes = nodeEntries(body);
    ctx.rule(nodes.length >= 1, 'the licence details name the nodes of the installation', S.nodes, () => ({
      expected: 'at least one node',
      received: body.nodes,
    }));
    for (const [id, entry] of nodes) {
      const named = entry.node?.nodeId;
      ctx.rule(named === undefined || named === id, 'each entry of "nodes" is keyed by its node\'s nodeId', S.nodes, () => ({ expected: id, received: named }));
    }
  }),

  'fortisoar.license-details-self': scenario(async (ctx) => {
    const all = await ctx.step('every node', () => licenceDetails(ctx));
    const allIds = nodeEntries(all).map(([id]) => id);
    if (allIds.length < 2) return ctx.skip(`the installation has ${allIds.length} node: node_id=SELF cannot be told apart from every node`);
    const self = await ctx.step('node_id=SELF', () => licenceDetails(ctx, 'SELF'));
    const ids = nodeEntries(self).map(([id]) => id);
    ctx.rule(ids.length === 1, 'node_id=SELF answers one node, the one serving the call', S.self, () => ({ expected: 'one node', received: ids }));
    ctx.rule(allIds.includes(ids[0]!), "the node answered for SELF is one of the installation's nodes", S.self, () => ({ expected: allIds, received: ids[0] }));
  }),
};
