/**
 * FortiSOAR workflow execution history (fortisoar-api-guide.txt › Workflow Execution › Workflow
 * Execution History): one execution, the ordering, and each filter. The history is read as it is
 * (no documented call makes executions), so a filter is checked only where the history shows
 * executions it keeps and executions it drops; otherwise the test skips and says so.
 */
import type { Source } from '../../checks/response.ts';
import type { Workflow } from '../../types/fortisoar/workflow.ts';
import { type CaseContext, scenario, withParams } from '../context.ts';
import { type Json, lastSegment, listOf } from '../kit/bodies.ts';
import { tooLittleData } from '../kit/data.ts';
import { guide, notes } from '../kit/sources.ts';
import { itemId, type OffsetLimitParams, offsetLimit } from '../paging/offset-limit.ts';
import { pagingParams } from '../paging/params.ts';

const S = {
  detail: guide('Used to retrieve the detailed view of a particular workflow execution history based on the ID specified.'),
  runId: notes('a run is identified by its `@id`'),
  ordering: guide('ordering=-created sorts the results in the descending order based on the creation date.'),
  templateIri: guide('template_iri – Filters the workflow execution history based on the playbook IRI specified'),
  records: guide('records - Filters the workflow execution history based on the record ID specified'),
  status: guide('status – Filters the workflow execution history based on the running status of the playbooks.'),
  created: guide('Filters the workflow execution history based on the time range specified.'),
  parent: guide('specifying this filter will filter out the execution history of all children playbooks.'),
  tags: guide('Filters the workflow execution history based on the comma-separated list of tags specified.'),
} satisfies Record<string, Source>;

/** The history's offset/limit helpers, bound to listWorkflows whichever operation the case tests. */
const walker = (ctx: CaseContext) => offsetLimit(ctx, pagingParams<OffsetLimitParams>(ctx.op('listWorkflows'), 'offset-limit'), 'listWorkflows');

/** A page of the history (GET listWorkflows, with the walk's fixed query). */
export async function history(ctx: CaseContext, query: Record<string, string | number>, title: string): Promise<{ items: Json[]; total?: number }> {
  return walker(ctx).page(query, title);
}

export const created = (m: Json): number => Date.parse(String(m.created));
const recordsOf = (m: Json): string[] =>
  (Array.isArray(m.records) ? m.records : typeof m.records === 'string' ? [m.records] : []).map((r: unknown) =>
    r && typeof r === 'object' ? String((r as Json)['@id']) : String(r),
  );
const isNullParent = (m: Json): boolean => m.parent === null || m.parent === undefined || m.parent === '';
const day = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** The value most members carry among those some members do not carry (so that the filter drops something). */
export function discriminating(members: Json[], valuesOf: (m: Json) => string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const m of members) for (const v of new Set(valuesOf(m))) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].filter(([, n]) => n < members.length).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

interface FilterPlan {
  readonly query: Record<string, string>;
  readonly holds: (m: Json) => boolean;
  readonly source: Source;
  readonly says: string;
}

/** A filter value taken from the sample (what is there) such that the sample holds executions it keeps and executions it drops. */
function plan(filter: string, sample: Json[]): FilterPlan | string {
  const value = (valuesOf: (m: Json) => string[], what: string) =>
    discriminating(sample, valuesOf) ?? `no ${what} is carried by some executions of the sample and not by others`;
  switch (filter) {
    case 'template_iri': {
      const v = value((m) => (typeof m.template_iri === 'string' ? [m.template_iri] : []), 'playbook (template_iri)');
      return v.startsWith('no ')
        ? v
        : {
            query: { template_iri: v },
            holds: (m) => m.template_iri === v,
            source: S.templateIri,
            says: 'template_iri answers the executions of that playbook',
          };
    }
    case 'records': {
      const v = value(recordsOf, 'record');
      return v.startsWith('no ')
        ? v
        : { query: { records: v }, holds: (m) => recordsOf(m).includes(v), source: S.records, says: 'records answers the executions on that record' };
    }
    case 'status': {
      const v = value((m) => (typeof m.status === 'string' ? [m.status] : []), 'status');
      return v.startsWith('no ')
        ? v
        : { query: { status: v }, holds: (m) => m.status === v, source: S.status, says: 'status answers the executions in that running state' };
    }
    case 'created': {
      const times = sample
        .map(created)
        .filter((t) => !Number.isNaN(t))
        .sort((a, b) => a - b);
      if (times.length < 4) return 'too few executions with a creation date';
      const after = day(times[Math.floor(times.length / 4)]!);
      // The guide's example ("created_after=2020-11-08&created_before=2020-11-10 ... executed between
      // the 8th and 10th of November") does not say whether created_before's own day is in the range:
      // a server may read it as that day's midnight. The range spans at least two days, so that the
      // executions of the first day are answered either way (a busy history may hold one day only).
      const before = day(Math.max(times[Math.floor((times.length * 3) / 4)]!, Date.parse(`${after}T00:00:00Z`) + 86_400_000));
      const from = Date.parse(`${after}T00:00:00Z`);
      const to = Date.parse(`${before}T00:00:00Z`) + 86_400_000;
      const holds = (m: Json) => created(m) >= from && created(m) < to;
      if (sample.every(holds)) return `every execution of the sample lies between ${after} and ${before}`;
      return {
        query: { created_after: after, created_before: before },
        holds,
        source: S.created,
        says: `created_after=${after}&created_before=${before} answers the executions of that range`,
      };
    }
    case 'parent__isnull':
      if (sample.every(isNullParent) || !sample.some(isNullParent)) return 'the sample does not hold both parent and child executions';
      return { query: { parent__isnull: 'True' }, holds: isNullParent, source: S.parent, says: 'parent__isnull=True answers the parent executions only' };
    case 'tags_include': {
      const v = value((m) => listOf(m.tags), 'tag');
      return v.startsWith('no ')
        ? v
        : { query: { tags_include: v }, holds: (m) => listOf(m.tags).includes(v), source: S.tags, says: 'tags_include answers the executions with the tag' };
    }
    case 'tags_exclude': {
      const v = value((m) => listOf(m.tags), 'tag');
      return v.startsWith('no ')
        ? v
        : {
            query: { tags_exclude: `${v},` },
            holds: (m) => !listOf(m.tags).includes(v),
            source: S.tags,
            says: 'tags_exclude drops the executions with the tag',
          };
    }
    default:
      throw new Error(`[cases] fortisoar.workflow-filter: unknown filter "${filter}"`);
  }
}

const FILTERS = ['template_iri', 'records', 'status', 'created', 'parent__isnull', 'tags_include', 'tags_exclude'];

export const workflowHistory = {
  'fortisoar.workflow-get': scenario(async (ctx) => {
    const first = (await history(ctx, { limit: 1 }, 'the newest execution')).items[0];
    if (!first) return ctx.skip('the workflow execution history is empty');
    // Field notes: a run is identified by its @id (/wf/api/workflows/<pk>/) and does not always carry an integer id.
    const id = String(first.id ?? lastSegment(String(first['@id'])));
    const body = await ctx.step(`get execution ${id}`, async () =>
      (await ctx.call('getWorkflow', { path: { id }, query: { format: 'json' } })).expect<Workflow>(),
    );
    ctx.rule(itemId(body) === itemId(first), 'the detailed view is that of the execution asked for', S.detail, () => ({
      expected: itemId(first),
      received: itemId(body),
    }));
  }),

  'fortisoar.workflow-ordering': withParams<{ ordering: string }>(
    { properties: { ordering: { enum: ['created', '-created'] } }, required: ['ordering'] },
    async (ctx, p) => {
      const desc = p.ordering.startsWith('-');
      const { page, walk, sizeFor } = walker(ctx);
      const first = await page({ limit: 1 }, 'count the history');
      const { items } = await walk({ ordering: p.ordering }, sizeFor(first.total), Math.min(3, ctx.config.maxPages));
      if (items.length < 2) return ctx.skip('fewer than two executions to order');
      ctx.rule(
        items.every((m) => !Number.isNaN(created(m))),
        'executions carry their creation date (created)',
        S.ordering,
        () => ({
          expected: 'created on every execution',
          received: items.find((m) => Number.isNaN(created(m))),
        }),
      );
      const wrong = items.findIndex((m, i) => i > 0 && (desc ? created(m) > created(items[i - 1]!) : created(m) < created(items[i - 1]!)));
      ctx.rule(wrong < 0, `ordering=${p.ordering} sorts by creation date, ${desc ? 'newest' : 'oldest'} first, across pages`, S.ordering, () => ({
        expected: `${itemId(items[wrong]!)} (${items[wrong]!.created}) ${desc ? 'not newer' : 'not older'} than ${itemId(items[wrong - 1]!)}`,
        received: `${items[wrong - 1]!.created} then ${items[wrong]!.created}`,
      }));
    },
  ),

  /**
   * Each filter answers only matching executions, answers them, and narrows the history; the
   * value is one the history shows on some executions and not on others, so a server that
   * ignored the filter fails.
   */
  'fortisoar.workflow-filter': withParams<{ filter: string }>({ properties: { filter: { enum: FILTERS } }, required: ['filter'] }, async (ctx, p) => {
    const size = ctx.live ? 100 : 200;
    const all = await history(ctx, { limit: size, ordering: '-created' }, 'read the history');
    const plan_ = plan(p.filter, all.items);
    if (typeof plan_ === 'string') return tooLittleData(ctx, `${p.filter}: ${plan_}; the filter cannot be seen at work`);
    const narrowed = await history(ctx, { ...plan_.query, limit: size, ordering: '-created' }, `filter ${new URLSearchParams(plan_.query).toString()}`);
    const off = narrowed.items.filter((m) => !plan_.holds(m));
    ctx.rule(off.length === 0, `${plan_.says}: every execution answered matches`, plan_.source, () => ({
      expected: 'only matching executions',
      received: off.slice(0, 3),
    }));
    const matching = all.items.filter(plan_.holds).length;
    ctx.rule(narrowed.items.length > 0, `${plan_.says}: the matching executions are answered`, plan_.source, () => ({
      expected: `${matching} or more`,
      received: 0,
    }));
    if (all.total !== undefined && narrowed.total !== undefined) {
      ctx.rule(narrowed.total < all.total, `${plan_.says}: the filter narrows the history (hydra:totalItems)`, plan_.source, () => ({
        expected: `fewer than ${all.total}`,
        received: narrowed.total,
      }));
    }
  }),
};
