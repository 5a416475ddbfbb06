/**
 * FortiSOAR workflow execution logs (fortisoar-api-guide.txt › Workflow Execution › Workflow
 * Execution Log): the query in the POST body, its filters (nested groups too), sort, aggregates
 * and limit. Values are taken from the history; a filter is checked only where the history shows
 * logs it keeps and logs it drops.
 */
import type { Source } from '../../checks/response.ts';
import { type CaseContext, scenario } from '../context.ts';
import type { Json } from '../kit/bodies.ts';
import { tooLittleData } from '../kit/data.ts';
import { guide } from '../kit/sources.ts';
import { discriminating, history } from './workflow-history.ts';

const S = {
  logsQuery: guide("If {'query': {}} is found in the POST body of the API call, then the query set is formed based on the users' input data."),
  logsLimit: guide('"limit": "30",'),
  nested: guide('An example of a query containing nested filters follows:'),
  sort: guide('direction: "asc/desc"'),
  aggregates: guide('"operator": "groupBy/count",'),
} satisfies Record<string, Source>;

async function queryLogs(ctx: CaseContext, query: Json, title: string): Promise<Json[]> {
  const body = await ctx.step(title, async () => (await ctx.call('queryWorkflowLogs', { body: { query } })).expect<Json>());
  return body['hydra:member'] as Json[];
}

export const workflowLogs = {
  'fortisoar.workflow-logs-filters': scenario(async (ctx) => {
    const sample = (await history(ctx, { limit: 50, ordering: '-created' }, 'read the history')).items;
    const status = discriminating(sample, (m) => (typeof m.status === 'string' ? [m.status] : []));
    if (!status) return tooLittleData(ctx, 'the history shows no status that some executions have and others have not: the filter cannot be seen at work');
    const limit = 3;
    const members = await queryLogs(
      ctx,
      { logic: 'AND', limit: String(limit), filters: [{ field: 'status', operator: 'eq', value: status }] },
      `status eq ${status}, limit "${limit}"`,
    );
    ctx.rule(members.length <= limit, '"limit" caps the logs answered', S.logsLimit, () => ({ expected: `at most ${limit}`, received: members.length }));
    ctx.rule(members.length >= 1, 'logs that match the filter are answered', S.logsQuery, () => ({ expected: `logs with status ${status}`, received: 'none' }));
    const off = members.filter((m) => m.status !== status);
    ctx.rule(off.length === 0, 'a status eq filter answers only matching logs', S.logsQuery, () => ({
      expected: `status ${status}`,
      received: off.map((m) => m.status),
    }));
  }),

  'fortisoar.workflow-logs-nested': scenario(async (ctx) => {
    const sample = (await history(ctx, { limit: 100, ordering: '-created' }, 'read the history')).items;
    const statuses = [...new Set(sample.map((m) => m.status).filter((s): s is string => typeof s === 'string'))].sort();
    // Two statuses for the OR group and a third it must leave out.
    if (statuses.length < 3) return tooLittleData(ctx, 'the history shows fewer than three statuses: a nested OR group cannot be seen to leave one out');
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
    ctx.rule(off.length === 0, "a nested group's filters apply with its own logic (OR)", S.nested, () => ({
      expected: `${a} or ${b}`,
      received: off.map((m) => m.status),
    }));
    const seen = new Set(members.map((m) => m.status));
    ctx.rule(seen.has(a) && seen.has(b), 'the OR group admits logs of either status', S.nested, () => ({ expected: [a, b], received: [...seen] }));
  }),

  'fortisoar.workflow-logs-sort': scenario(async (ctx) => {
    const members = await queryLogs(ctx, { limit: 30, sort: [{ field: 'modified', direction: 'desc' }] }, 'sort by modified, desc');
    const times = members.map((m) => Date.parse(String(m.modified)));
    // The guide names modified as a sort field ("field: \"modified/status/name\""), not as a field
    // every log shows: logs that do not carry it cannot show their order.
    if (!times.every((t) => !Number.isNaN(t))) return ctx.skip('the logs answered do not all carry a modified date-time: the order by modified cannot be seen');
    const wrong = times.findIndex((t, i) => i > 0 && t > times[i - 1]!);
    ctx.rule(wrong < 0, 'sort by modified, desc answers the newest first', S.sort, () => ({
      expected: `log ${wrong} not newer than log ${wrong - 1} (${members[wrong - 1]?.modified})`,
      received: members[wrong]?.modified,
    }));
  }),

  'fortisoar.workflow-logs-aggregates': scenario(async (ctx) => {
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
    ctx.rule(members.length >= 1, 'the aggregates answer at least one group', S.aggregates, () => ({ expected: 'a group', received: 'none' }));
    const keys = members.map((m) => JSON.stringify(m.status));
    const repeated = keys.filter((k, i) => keys.indexOf(k) !== i);
    ctx.rule(members.every((m) => 'status' in m) && repeated.length === 0, 'groupBy status answers one member per status', S.aggregates, () => ({
      expected: 'one group per status',
      received: keys,
    }));
  }),
};
