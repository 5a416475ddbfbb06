/**
 * Offset/limit paging of the workflow execution history (fortisoar-api-guide.txt › Workflow
 * Execution History): "Offset - The initial index from which to return the results. Limit - The
 * maximum number of results to return per page. Ordering - The field using which you want to sort
 * the results", and the filters. One walk per case, by `params.check`:
 * - `walk`: pages are disjoint, none larger than the limit, together complete;
 * - `ordering`: `ordering=-created` answers the newest first, across pages too;
 * - `filter`: each filter (`params.filter`) answers only matching executions and narrows the history.
 * On a live target the walk reads what is there, ordered by creation so that executions started
 * during the walk land at its end, and stops after CONFORMANCE_MAX_PAGES pages.
 */
import type { CaseContext, Scenario } from '../context.ts';

type Json = Record<string, any>;
const PATH = '/api/wf/api/workflows/';

interface Page {
  readonly members: Json[];
  readonly total?: number;
}

async function page(ctx: CaseContext, query: Record<string, string | number>, title: string): Promise<Page> {
  return ctx.step(`${title} (GET ${PATH})`, async () => {
    const body = ctx.expect<Json>(await ctx.api.get(PATH, { query: { format: 'json', ...query } }));
    const total = body['hydra:totalItems'];
    return { members: body['hydra:member'] as Json[], total: typeof total === 'number' ? total : undefined };
  });
}

const idOf = (m: Json): string => String(m.id ?? m['@id'] ?? JSON.stringify(m));
const created = (m: Json): number => Date.parse(String(m.created));
const tagsOf = (m: Json): string[] =>
  Array.isArray(m.tags)
    ? m.tags.map(String)
    : typeof m.tags === 'string'
      ? m.tags
          .split(',')
          .map((t: string) => t.trim())
          .filter(Boolean)
      : [];
const recordsOf = (m: Json): string[] =>
  (Array.isArray(m.records) ? m.records : typeof m.records === 'string' ? [m.records] : []).map((r: unknown) =>
    r && typeof r === 'object' ? String((r as Json)['@id']) : String(r),
  );
const isNullParent = (m: Json): boolean => m.parent === null || m.parent === undefined || m.parent === '';

/** The page size of a walk: small against the stub (many pages), within CONFORMANCE_MAX_PAGES on a live target. */
function limitFor(ctx: CaseContext, total: number | undefined): number {
  if (!ctx.live) return 7;
  if (total === undefined) return 25;
  return Math.min(100, Math.max(10, Math.ceil(total / ctx.config.maxPages)));
}

async function walk(
  ctx: CaseContext,
  query: Record<string, string>,
  limit: number,
  maxPages: number,
): Promise<{ members: Json[]; pages: Page[]; complete: boolean }> {
  const pages: Page[] = [];
  const members: Json[] = [];
  for (let offset = 0; pages.length < maxPages; offset += limit) {
    const p = await page(ctx, { ...query, offset, limit }, `offset=${offset}&limit=${limit}`);
    pages.push(p);
    ctx.rule(
      p.members.length <= limit,
      '"Limit - The maximum number of results to return per page"',
      () => `offset ${offset}: ${p.members.length} results for limit ${limit}`,
    );
    members.push(...p.members);
    if (p.members.length < limit || (p.total !== undefined && offset + limit >= p.total)) return { members, pages, complete: true };
  }
  return { members, pages, complete: false };
}

async function checkWalk(ctx: CaseContext): Promise<void> {
  const first = await page(ctx, { limit: 1, ordering: 'created' }, 'count the history');
  if (first.members.length === 0) return ctx.skip('the workflow execution history is empty: nothing to page');
  const limit = limitFor(ctx, first.total);
  if (!ctx.live && (first.total ?? 0) <= limit) return ctx.skip(`the history holds ${first.total} executions, no more than one page of ${limit}`);
  const { members, pages, complete } = await walk(ctx, { ordering: 'created' }, limit, ctx.config.maxPages);
  const seen = new Map<string, number>();
  members.forEach((m, i) => {
    const id = idOf(m);
    ctx.rule(
      !seen.has(id),
      '"Offset - The initial index from which to return the results": pages are disjoint',
      () => `execution ${id} is answered at index ${seen.get(id)} and again at index ${i}`,
    );
    seen.set(id, i);
  });
  if (!complete) return;
  const totals = pages.map((p) => p.total).filter((t): t is number => t !== undefined);
  if (totals.length === 0) return;
  const low = Math.min(...totals);
  const high = Math.max(...totals);
  ctx.rule(
    ctx.live ? members.length >= low && members.length <= high : members.length === low && low === high,
    'the pages together answer every execution of hydra:totalItems',
    () => `walked ${members.length} executions in ${pages.length} pages of ${limit}; hydra:totalItems ${low === high ? low : `${low}..${high}`}`,
  );
  pages.slice(0, -1).forEach((p, i) => {
    ctx.rule(
      p.members.length === limit,
      'every page but the last is full',
      () => `page ${i + 1} of ${pages.length} answers ${p.members.length} for limit ${limit}`,
    );
  });
}

async function checkOrdering(ctx: CaseContext): Promise<void> {
  const ordering = String(ctx.case.params.ordering ?? '-created');
  const desc = ordering.startsWith('-');
  const first = await page(ctx, { limit: 1 }, 'count the history');
  const limit = limitFor(ctx, first.total);
  const { members } = await walk(ctx, { ordering }, limit, Math.min(3, ctx.config.maxPages));
  if (members.length < 2) return ctx.skip('fewer than two executions to order');
  ctx.rule(
    members.every((m) => !Number.isNaN(created(m))),
    'executions carry their creation date (created)',
    () => JSON.stringify(members.find((m) => Number.isNaN(created(m)))).slice(0, 200),
  );
  const wrong = members.findIndex((m, i) => i > 0 && (desc ? created(m) > created(members[i - 1]!) : created(m) < created(members[i - 1]!)));
  ctx.rule(
    wrong < 0,
    `"ordering=${ordering} sorts the results in the ${desc ? 'descending' : 'ascending'} order based on the creation date", across pages`,
    () => `execution ${idOf(members[wrong]!)} (${members[wrong]!.created}) follows ${idOf(members[wrong - 1]!)} (${members[wrong - 1]!.created})`,
  );
}

interface FilterPlan {
  readonly query: Record<string, string>;
  readonly holds: (m: Json) => boolean;
  readonly sentence: string;
}

const day = (t: number): string => new Date(t).toISOString().slice(0, 10);

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

/** A filter value taken from the sample (what is there), with the predicate the guide gives it. */
function plan(filter: string, sample: Json[]): FilterPlan | string {
  switch (filter) {
    case 'template_iri': {
      const v = mostCommon(sample.map((m) => m.template_iri).filter((x): x is string => typeof x === 'string'));
      return v
        ? {
            query: { template_iri: v },
            holds: (m) => m.template_iri === v,
            sentence: '"template_iri – Filters the workflow execution history based on the playbook IRI specified"',
          }
        : 'no execution names its playbook (template_iri)';
    }
    case 'records': {
      const v = mostCommon(sample.flatMap(recordsOf));
      return v
        ? {
            query: { records: v },
            holds: (m) => recordsOf(m).includes(v),
            sentence: '"records - ... retrieves the execution history for playbooks execution on a specific record"',
          }
        : 'no execution of the sample ran on a record';
    }
    case 'status': {
      const v = mostCommon(sample.map((m) => m.status).filter((x): x is string => typeof x === 'string'));
      return v
        ? {
            query: { status: v },
            holds: (m) => m.status === v,
            sentence: '"status – Filters the workflow execution history based on the running status of the playbooks"',
          }
        : 'no execution shows a status';
    }
    case 'created': {
      const times = sample
        .map(created)
        .filter((t) => !Number.isNaN(t))
        .sort((a, b) => a - b);
      if (times.length < 4) return 'too few executions with a creation date';
      const after = day(times[Math.floor(times.length / 4)]!);
      const before = day(times[Math.floor((times.length * 3) / 4)]!);
      const from = Date.parse(`${after}T00:00:00Z`);
      const to = Date.parse(`${before}T00:00:00Z`) + 86_400_000;
      return {
        query: { created_after: after, created_before: before },
        holds: (m) => created(m) >= from && created(m) < to,
        sentence: `"created_after=...&created_before=... retrieves the execution history of all playbooks that are executed between" ${after} and ${before}`,
      };
    }
    case 'parent__isnull':
      return {
        query: { parent__isnull: 'True' },
        holds: isNullParent,
        sentence: '"parent__isnull=True ... will filter out the execution history of all children playbooks"',
      };
    case 'tags_include': {
      const v = mostCommon(sample.flatMap(tagsOf));
      return v
        ? {
            query: { tags_include: v },
            holds: (m) => tagsOf(m).includes(v),
            sentence: '"tags_include" retrieves "the execution history of all playbooks that contain" the tags',
          }
        : 'no execution of the sample has a tag';
    }
    case 'tags_exclude': {
      const v = mostCommon(sample.flatMap(tagsOf));
      return v
        ? { query: { tags_exclude: `${v},` }, holds: (m) => !tagsOf(m).includes(v), sentence: '"tags_exclude" "excludes all playbooks containing" the tags' }
        : 'no execution of the sample has a tag';
    }
    default:
      throw new Error(`[cases] offset-limit: unknown filter "${filter}" in params.filter`);
  }
}

async function checkFilter(ctx: CaseContext): Promise<void> {
  const filter = String(ctx.case.params.filter);
  const size = ctx.live ? 100 : 200;
  const all = await page(ctx, { limit: size, ordering: '-created' }, 'read the history');
  const p = plan(filter, all.members);
  if (typeof p === 'string') return ctx.skip(`${filter}: ${p}`);
  const narrowed = await page(ctx, { ...p.query, limit: size, ordering: '-created' }, `filter ${new URLSearchParams(p.query).toString()}`);
  const off = narrowed.members.filter((m) => !p.holds(m));
  ctx.rule(off.length === 0, `${p.sentence}: every execution answered matches`, () => `${off.length} do not, e.g. ${JSON.stringify(off[0]).slice(0, 250)}`);
  const matching = all.members.filter(p.holds).length;
  ctx.rule(
    matching === 0 || narrowed.members.length > 0,
    `${p.sentence}: matching executions are answered`,
    () => `the history shows ${matching} matching executions, the filter answers none`,
  );
  if (all.total !== undefined && narrowed.total !== undefined) {
    const excluded = all.members.some((m) => !p.holds(m));
    ctx.rule(
      excluded ? narrowed.total < all.total : narrowed.total <= all.total,
      'the filter narrows the history (hydra:totalItems)',
      () => `${narrowed.total} of ${all.total} executions with the filter`,
    );
  }
}

export const offsetLimit: Scenario = async (ctx) => {
  const check = String(ctx.case.params.check ?? 'walk');
  if (check === 'walk') return checkWalk(ctx);
  if (check === 'ordering') return checkOrdering(ctx);
  if (check === 'filter') return checkFilter(ctx);
  throw new Error(`[cases] offset-limit: unknown check "${check}" in params.check`);
};
