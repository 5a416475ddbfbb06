/**
 * FortiSOAR licensing, forced logout, bulk users, HA cluster health and audit purge
 * (fortisoar-api-guide.txt, the sections before "Model Operations" and "Audit Log Purge
 * Operations"), each handler under the sentence it implements.
 */

import { LICENCE } from '../../../fixtures/fortisoar/admin.ts';
import { error, isObject, json } from '../core/http.ts';
import type { Handler } from '../core/types.ts';
import { type AdminState, adminState } from './admin-state.ts';
import { type FortiSoarState, UUID } from './state.ts';

type H = Handler<FortiSoarState>;

function nodeLicence(admin: AdminState, nodeId: string) {
  const node = admin.nodes.find((n) => n.nodeId === nodeId)!;
  return {
    details: {
      issue_time: LICENCE.issue_time,
      total_users: LICENCE.total_users,
      remaining_users: LICENCE.total_users - 1,
      expiring_on: LICENCE.expiring_on,
      remaining_days: LICENCE.remaining_days,
      customer_name: null,
      is_distributed: admin.nodes.length > 1,
      entitlements: LICENCE.entitlements,
      role: [node.role === 'primary' ? 'master' : 'slave'],
      type: LICENCE.type,
      serial_no: LICENCE.serial_no,
      edition: LICENCE.edition,
    },
    node: { nodeId: node.nodeId, nodeName: node.nodeName, status: 'active', role: node.role, comment: `${node.role} server`, health: {} },
  };
}

const healthOf = (admin: AdminState, nodeId: string, sections?: readonly string[]) => {
  const node = admin.nodes.find((n) => n.nodeId === nodeId)!;
  const i = admin.nodes.indexOf(node);
  const all: Record<string, unknown> = {
    cpu: { usage_percent: 12.5 + i * 7 },
    disk: { total_gb: 500, used_percent: 41 + i },
    ram: { total_mb: 32_768, used_percent: 55 - i * 3 },
    swap: { total_mb: 8_192, used_percent: 2 },
    services: { 'cyops-auth': 'running', 'cyops-postman': 'running', 'cyops-integrations-agent': 'running' },
  };
  const chosen = !sections || sections.includes('all') ? all : Object.fromEntries(Object.entries(all).filter(([k]) => sections.includes(k)));
  return { node_id: node.nodeId, node_name: node.nodeName, role: node.role, status: 'active', last_updated: '2021-07-22T09:00:35Z', ...chosen };
};

/** The nodes of the cluster, named for a refusal: which ids a client may send. */
const knownNodes = (admin: AdminState): string =>
  admin.nodes.map((n) => `${n.nodeId} (${n.role}${n === admin.self ? ', the node serving this call' : ''})`).join(', ');

const unknownNode = (admin: AdminState, nodeId: unknown) =>
  error(400, `nodeId ${JSON.stringify(nodeId)} names no node of this cluster; its nodes: ${knownNodes(admin)}`);

export const licensingHandlers: Record<string, H> = {
  /**
   * "POST /api/public/license" without a token: action deploy_license ("If the license is
   * successfully deployed you will get the following response: STATUS: 200 OK"), get_status
   * ({"depl_status": "finished", "depl_info": {...}}) and get_info ({serial_no, expiry_time, ...}).
   */
  publicLicense: ({ state, body }) => {
    const admin = adminState(state);
    if (!isObject(body)) return error(400, 'the body must be a JSON object with an action');
    switch (body.action) {
      case 'deploy_license': {
        if (typeof body.license_key !== 'string' || body.license_key.trim() === '') return error(400, 'license_key is required to deploy a licence');
        if (body.nodeId !== undefined && !admin.nodes.some((n) => n.nodeId === body.nodeId)) return unknownNode(admin, body.nodeId);
        admin.licence.key = body.license_key;
        admin.licence.deployments++;
        return json(200, { message: 'License deployed successfully' });
      }
      case 'get_status': {
        // Without a nodeId the node that receives the call answers for itself (the guide's example
        // names one; clients omit it, and recorded 7.6.5 servers then answer the cluster's form).
        if (body.nodeId === undefined || body.nodeId === null) {
          if (state.settings.behaviour === 'recorded') return json(200, { depl_status: admin.licence.deplStatus, depl_message: null });
        } else if (!admin.nodes.some((n) => n.nodeId === body.nodeId)) return unknownNode(admin, body.nodeId);
        return json(200, {
          depl_status: admin.licence.deplStatus,
          depl_info: { source: '192.168.56.1', user_id: null, ws_session_id: null, depl_start_time: admin.licence.deplStart },
        });
      }
      case 'get_info': {
        if (typeof body.license_key !== 'string' || body.license_key.trim() === '') return error(400, 'license_key is required');
        return json(200, {
          serial_no: LICENCE.serial_no,
          expiry_time: `${LICENCE.expiring_on} 00:00:00`,
          hardware_key: '4a1782123dca6394b0d97879ca98bdf0',
          max_users: LICENCE.total_users,
          entitlements: LICENCE.entitlements,
          type: LICENCE.type,
          edition: LICENCE.edition,
        });
      }
      default:
        return error(400, 'action must be deploy_license, get_status or get_info');
    }
  },

  /** "POST /api/auth/license {"license_key": ...}" ... "A successful deployment returns an HTTP 200 OK status." */
  deployLicense: ({ state, body }) => {
    if (!isObject(body) || typeof body.license_key !== 'string' || body.license_key.trim() === '')
      return error(400, 'the body must be {"license_key": "<contents of the licence file>"}');
    const admin = adminState(state);
    admin.licence.key = body.license_key;
    admin.licence.deployments++;
    return json(200, { message: 'License deployed successfully' });
  },

  /**
   * "GET /auth/license/?param=license_details" answers every node; "When node_id value is "SELF",
   * then license details are returned for the node on which the API call is received."
   */
  getLicenseDetails: ({ state, req }) => {
    if (req.query.get('param') !== 'license_details') return error(400, 'param must be license_details');
    const admin = adminState(state);
    const nodeId = req.query.get('node_id');
    const ids =
      nodeId === null
        ? admin.nodes.map((n) => n.nodeId)
        : nodeId === 'SELF'
          ? [admin.self.nodeId]
          : admin.nodes.filter((n) => n.nodeId === nodeId).map((n) => n.nodeId);
    if (ids.length === 0) return error(400, `no node ${nodeId}`);
    return json(200, {
      expired: false,
      expired_nodes: [],
      expired_nodes_details: [],
      remaining_days: LICENCE.remaining_days,
      users: LICENCE.total_users,
      details: { is_distributed: admin.nodes.length > 1, role: null, entitlements: LICENCE.entitlements },
      nodes: Object.fromEntries(ids.map((id) => [id, nodeLicence(admin, id)])),
      is_cloud_instance: false,
      setup_type: admin.nodes.length > 1 ? 'cluster' : 'single-node',
    });
  },

  /** "This API can be used by an administrator to forcefully log out a user": {"action": "logout", "users": [uuid]}. */
  logoutUsers: ({ state, body }) => {
    if (!isObject(body) || body.action !== 'logout' || !Array.isArray(body.users) || !body.users.every((u) => typeof u === 'string')) {
      return error(400, 'the body must be {"action": "logout", "users": [user uuid, ...]}');
    }
    const admin = adminState(state);
    for (const uuid of body.users as string[]) {
      admin.loggedOut.add(uuid.toLowerCase());
      const login = [...state.users].find(([, u]) => u.uuid === uuid.toLowerCase())?.[0];
      if (login) for (const [token, user] of [...state.tokens]) if (user === login) state.tokens.delete(token);
    }
    return json(200, { message: 'Users logged out successfully' });
  },

  /** "Use the /api/3/insert/people API to create uses in bulk": {"data": [person with a "user" object, ...]}. */
  bulkInsertPeople: ({ state, body }) => {
    if (!isObject(body) || !Array.isArray(body.data)) return error(400, 'the body must be {"data": [person, ...]}');
    const success: Record<string, unknown>[] = [];
    const failure: string[] = [];
    body.data.forEach((row, index) => {
      const why = !isObject(row)
        ? 'a person must be a JSON object'
        : typeof row.username !== 'string' || typeof row.email !== 'string'
          ? 'username and email are required strings'
          : row.uuid !== undefined && (typeof row.uuid !== 'string' || !UUID.test(row.uuid))
            ? 'uuid must be a UUID'
            : typeof row.uuid === 'string' && state.get('people', row.uuid)
              ? 'duplicate uuid'
              : [...state.records('people').values()].some((p) => p.username === row.username)
                ? `a user ${String(row.username)} exists already`
                : undefined;
      if (why) failure.push(`Insert of object at index #${index} failed with error: {"message": "${why}"}`);
      // Not records.ts present(): it would expand the person's own @id as a person reference.
      else success.push(state.insert('people', row as Record<string, unknown>, (row as { uuid?: string }).uuid));
    });
    if (failure.length === 0) return json(200, { '@context': '/api/3/contexts/Person', '@id': null, '@type': 'hydra:Collection', 'hydra:member': success });
    return json(207, { success, failure });
  },

  /**
   * "GET /api/auth/cluster/health/" (every node), "?nodeId=<cluster-node-id>" (that node),
   * "?latest=True&section=cpu,disk,ram,swap,all,services" (the node serving the API). A JSON
   * array of node objects (field notes).
   */
  getClusterHealth: ({ state, req }) => {
    const admin = adminState(state);
    const nodeId = req.query.get('nodeId');
    const latest = /^true$/i.test(req.query.get('latest') ?? '');
    const sections = req.query
      .get('section')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (nodeId !== null) {
      if (!admin.nodes.some((n) => n.nodeId === nodeId)) return error(404, `no cluster node ${nodeId}`);
      return json(200, [healthOf(admin, nodeId, latest ? sections : undefined)]);
    }
    if (latest) return json(200, [healthOf(admin, admin.self.nodeId, sections)]);
    return json(
      200,
      admin.nodes.map((n) => healthOf(admin, n.nodeId)),
    );
  },

  /** "If the API is successfully run you will get a 200 OK response, which stops the automatic purging of audit logs." */
  stopAuditPurge: ({ state }) => {
    adminState(state).audit.automaticPurge = false;
    return json(200, { message: 'Automatic purging of audit logs is stopped' });
  },

  /** "DELETE /gateway/audit/activities?uptoDate=1524477805" ... "audit logs that exist before the specified date will be purged." */
  purgeAuditLogs: ({ state, req }) => {
    const raw = req.query.get('uptoDate');
    if (raw === null || !/^\d+(\.\d+)?$/.test(raw)) return error(400, 'uptoDate (epoch seconds) is required');
    const audit = adminState(state).audit;
    const before = audit.entries.length;
    audit.entries = audit.entries.filter((ts) => ts >= Number(raw));
    return json(200, { message: 'Audit logs purged', deleted: before - audit.entries.length });
  },
};
