/**
 * FortiSOAR users and sessions, HA health and the audit-log purge (fortisoar-api-guide.txt ›
 * "Create users in bulk", "API for administrators to forcefully log out users", "High
 * Availability Health Cluster API", "Audit Log Purge Operations"). Users the suite creates carry
 * its marker and are deleted after the test; purges get the least harmful arguments (1970).
 */
import { randomUUID } from 'node:crypto';
import type { Source } from '../../checks/response.ts';
import { type CaseContext, scenario } from '../context.ts';
import { statusOnly } from '../kit/answers.ts';
import { itemsOf, type Json } from '../kit/bodies.ts';
import { slug } from '../kit/names.ts';
import { guide } from '../kit/sources.ts';
import { listedRecords } from './bulk.ts';

const S = {
  people: guide('Use the /api/3/insert/people API to create uses in bulk.'),
  logout: guide('This API can be used by an administrator to forcefully log out a user from FortiSOAR'),
  all: guide('Used to retrieve health information for all the nodes in an HA cluster from the database.'),
  node: guide('Used to retrieve health information for a particular node in an HA cluster from the database.'),
  latest: guide('Used to retrieve the latest health information for the node who is serving the API from the database.'),
} satisfies Record<string, Source>;

/** SSO users shaped as the guide's example, each with a run-marked username; deleted after the test. */
function newPeople(ctx: CaseContext, n: number): Json[] {
  return Array.from({ length: n }, (_, i) => {
    const login = `${slug(ctx, `user ${i + 1}`)}@example.invalid`;
    const uuid = randomUUID();
    ctx.defer(() => ctx.call('deleteRecord', { path: { collection: 'people', uuid } }));
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

/**
 * Creates the users and answers, per user sent, the record the answer lists for it (matched by its
 * run-marked username or email), if any. The guide's example sends a uuid with each user but does
 * not say the server keeps it: a user the answer lists under another @id is deleted by that @id too.
 */
async function insertPeople(ctx: CaseContext, people: Json[]): Promise<{ body: Json; created: (Json | undefined)[] }> {
  const body = await ctx.step('create the users (bulk insert of people)', async () =>
    (await ctx.call('bulkInsertPeople', { body: { data: people } })).expect<Json>(200),
  );
  const listed = listedRecords(body);
  const created = people.map((p) =>
    listed.find((r) => (r.username !== undefined && r.username === p.username) || (r.email !== undefined && r.email === p.email)),
  );
  for (const [i, r] of created.entries()) {
    if (r && !String(r['@id']).endsWith(`/${people[i]!.uuid}`)) ctx.defer(() => ctx.call('deleteRecord', { link: r['@id'] }));
  }
  return { body, created };
}

/** The uuid a created user goes by: the one its record in the answer shows, else the one sent. */
function uuidOf(person: Json, record: Json | undefined): string {
  if (typeof record?.uuid === 'string') return record.uuid;
  const tail = typeof record?.['@id'] === 'string' ? record['@id'].split('/').pop() : undefined;
  return tail || String(person.uuid);
}

function nodeIdOf(node: Json): string | undefined {
  const id = node.node_id ?? node.nodeId ?? node.id;
  return id === undefined ? undefined : String(id);
}

const health = async (ctx: CaseContext, query?: Record<string, string>): Promise<Json[]> => itemsOf((await ctx.call('getClusterHealth', { query })).expect());

export const sessions = {
  'fortisoar.bulk-insert-people': scenario(async (ctx) => {
    const people = newPeople(ctx, 2);
    const { body, created } = await insertPeople(ctx, people);
    const failure = Array.isArray(body.failure) ? body.failure : [];
    ctx.rule(listedRecords(body).length === people.length || failure.length === 0, 'a 200 answer reports no failure', S.people, () => ({
      expected: [],
      received: failure,
    }));
    for (const [i, p] of people.entries()) {
      const got = await ctx.step(`the user ${p.username} exists`, async () =>
        (await ctx.call('getRecord', { path: { collection: 'people', uuid: uuidOf(p, created[i]) } })).expect<Json>(200),
      );
      ctx.rule(got.username === p.username || got.email === p.email, 'every user of the body is created', S.people, () => ({
        expected: p.username,
        received: got.username ?? got.email,
      }));
    }
  }),

  'fortisoar.logout-users': scenario(async (ctx) => {
    const [person] = newPeople(ctx, 1);
    const { created } = await insertPeople(ctx, [person!]);
    const uuid = uuidOf(person!, created[0]);
    statusOnly(await ctx.step('log the new user out', () => ctx.call('logoutUsers', { body: { action: 'logout', users: [uuid] } })));
    const after = await ctx.step("the administrator's own session goes on", () => ctx.call('getLicenseDetails', { query: { param: 'license_details' } }));
    ctx.rule(
      after.status === 200,
      "logging out another user leaves the caller's session alone",
      S.logout,
      () => ({ expected: 200, received: after.status }),
      'getLicenseDetails',
    );
  }),

  'fortisoar.cluster-health': scenario(async (ctx) => {
    const nodes = await health(ctx);
    ctx.rule(nodes.length >= 1, 'the health of every node, at least the node serving the call', S.all, () => ({
      expected: 'one node or more',
      received: nodes.length,
    }));
  }),

  'fortisoar.cluster-health-node': scenario(async (ctx) => {
    const all = await ctx.step('every node', () => health(ctx));
    const ids = all.map(nodeIdOf).filter((x): x is string => x !== undefined);
    if (new Set(ids).size < 2) return ctx.skip(`the cluster health names ${ids.length} node id(s): nodeId cannot be seen to select one node of several`);
    const id = ids[ids.length - 1]!;
    const nodes = await ctx.step(`nodeId=${id}`, () => health(ctx, { nodeId: id }));
    ctx.rule(nodes.length >= 1, 'nodeId answers the health of that node', S.node, () => ({ expected: id, received: 'no node' }));
    const others = nodes.map(nodeIdOf).filter((n) => n !== undefined && n !== id);
    ctx.rule(others.length === 0, 'nodeId answers that node only', S.node, () => ({ expected: [id], received: nodes.map(nodeIdOf) }));
  }),

  'fortisoar.cluster-health-latest': scenario(async (ctx) => {
    const all = await ctx.step('every node', () => health(ctx));
    if (all.length < 2) return ctx.skip(`the cluster has ${all.length} node: latest=True cannot be seen to select the node serving the call`);
    const nodes = await ctx.step('latest=True, section', () => health(ctx, { latest: 'True', section: 'cpu,disk,ram,swap,services' }));
    ctx.rule(nodes.length === 1, 'latest=True answers one node, the one serving the call', S.latest, () => ({
      expected: 1,
      received: nodes.length,
      detail: nodes.map(nodeIdOf).join(', '),
    }));
  }),

  'fortisoar.audit-stop-purge': scenario(async (ctx) => {
    statusOnly(await ctx.call('stopAuditPurge', { headers: { 'content-type': 'application/json' } }));
  }),

  'fortisoar.audit-purge': scenario(async (ctx) => {
    // uptoDate=0: "audit logs that exist before the specified date will be purged": none before 1970.
    statusOnly(await ctx.call('purgeAuditLogs', { query: { uptoDate: 0 }, headers: { 'cache-control': 'no-cache' } }));
  }),
};
