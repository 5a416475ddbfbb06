/**
 * Hydra collection paging (fortisoar-api-guide.txt › Retrieve Collection of Model Records): the
 * 7.0.0 `hydra:view` with first, next and last page links (`hydra-view`), and the legacy view
 * with `hydra:itemsPerPage`, `hydra:firstPage` and `hydra:lastPage` (`hydra-legacy`).
 *
 * The walk runs over records the test itself creates (the product's `seedCollection` hook),
 * selected with a query, so that it is exact on a shared live instance. A server that ignores the
 * query is walked whole instead, bounded by CONFORMANCE_MAX_PAGES; a walk that saw the collection
 * change under it (other clients writing) is tried once more.
 */
import type { Source } from '../../checks/response.ts';
import { compareVersions } from '../../config/index.ts';
import type { Collection } from '../../types/fortisoar/collection.ts';
import { type CaseContext, type SeededCollection, withParams } from '../context.ts';
import type { Json } from '../kit/bodies.ts';
import { guide, notes } from '../kit/sources.ts';

export interface HydraParams {
  /** `$limit` of the walk. */
  readonly pageSize: number;
  /** Records the walk creates. */
  readonly records: number;
}

const hydraParams = {
  properties: { pageSize: { type: 'integer', minimum: 1 }, records: { type: 'integer', minimum: 2 } },
  required: ['pageSize', 'records'],
} as const;

const S = {
  members: guide('Records that match the specified query are returned as objects within the "hydra:member" array.'),
  hydra: guide('The responses adhere to the Hydra Spec for pagination.'),
  view: guide("The new 'pagination' response has hydra: view with first page, next page, and last page information."),
  noNext: guide("The hydra 'next' attribute is not displayed in the API response, if there are no further results."),
  noItemsPerPage: guide('The Item per page key has been removed.'),
  legacy: guide('then the API request will also contain the following older keys:'),
  limit: notes('Paging parameters: `$limit` (default 30) and `$page` (1-based).'),
} satisfies Record<string, Source>;

interface Page {
  readonly url: string;
  readonly members: Collection['hydra:member'];
  readonly total: number;
  readonly body: Collection;
}

const pageParam = (link: string): number => {
  const p = new URL(link, 'http://relative.invalid').searchParams.get('$page');
  return p === null ? 1 : Number(p);
};

const nextOf = (p: Page): unknown => (p.body['hydra:view'] as Json | undefined)?.['hydra:next'];

async function fetchPage(ctx: CaseContext, seeded: SeededCollection, request: { query?: Record<string, string | number>; link?: string }): Promise<Page> {
  const op = ctx.op();
  const body = (await ctx.call(op.operationId, request.link ? { link: request.link } : { path: seeded.path, query: request.query })).expect<Collection>(200);
  return { url: request.link ?? JSON.stringify(request.query), members: body['hydra:member'], total: body['hydra:totalItems'], body };
}

async function seed(ctx: CaseContext, count: number): Promise<SeededCollection> {
  const hook = ctx.hooks.seedCollection;
  if (!hook) throw new Error(`[cases] ${ctx.case.product} provides no seedCollection hook for a Hydra walk`);
  return ctx.step(`create ${count} records to page through`, () => hook(ctx, count));
}

/** Checks the invariants a consumer relies on over the pages of one walk. */
function checkWalk(ctx: CaseContext, pages: Page[], limit: number, own: ReadonlySet<string>, exact: boolean, complete: boolean): void {
  const total = pages[0]!.total;
  const seen = new Map<string, number>();
  pages.forEach((p, i) => {
    ctx.rule(p.members.length <= limit, 'no page is larger than asked ($limit)', S.limit, () => ({
      expected: `at most ${limit}`,
      received: p.members.length,
      detail: `page ${i + 1} (${p.url})`,
    }));
    ctx.rule(p.total === total, 'hydra:totalItems is the same on every page', S.hydra, () => ({ expected: total, received: p.total, detail: `page ${i + 1}` }));
    if (i < pages.length - 1) ctx.rule(p.members.length > 0, 'a page before the last is not empty', S.hydra, () => `page ${i + 1} (${p.url}) is empty`);
    for (const m of p.members) seen.set(m['@id'], (seen.get(m['@id']) ?? 0) + 1);
  });
  const twice = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  ctx.rule(twice.length === 0, 'every record appears exactly once in the walk', S.members, () => `seen more than once: ${twice.join(', ')}`);
  // A walk cut short by CONFORMANCE_MAX_PAGES checks only what it read.
  if (complete)
    for (const id of own) ctx.rule(seen.has(id), 'every record that matches the query appears in the walk', S.members, () => `${id} was on no page`);
  if (exact) {
    ctx.rule(total === own.size, 'hydra:totalItems counts the records that match the query', S.hydra, () => ({ expected: own.size, received: total }));
  }
  if (exact || complete)
    ctx.rule(seen.size === total, 'the pages hold hydra:totalItems records in all', S.hydra, () => ({ expected: total, received: seen.size }));
}

/** The query a walk selects its records with, and the page size: exact over the seeded records, else the whole collection within CONFORMANCE_MAX_PAGES. */
async function plan(ctx: CaseContext, seeded: SeededCollection, p: HydraParams, extra: Record<string, string>) {
  const probe = await fetchPage(ctx, seeded, { query: { ...seeded.query, ...extra, $limit: p.pageSize } });
  const exact = probe.total === seeded.ids.size && probe.members.every((m) => seeded.ids.has(m['@id']));
  const limit = exact ? p.pageSize : Math.max(p.pageSize, Math.ceil(probe.total / ctx.config.maxPages));
  // An exact walk asks for what the probe asked: the probe is its first page.
  return { exact, limit, query: { ...(exact ? seeded.query : {}), ...extra, $limit: limit }, first: exact ? probe : undefined };
}

/** Walks by `hydra:view` → `hydra:next` until a page has none. */
async function walkView(
  ctx: CaseContext,
  seeded: SeededCollection,
  { query, limit, exact, first: planned }: Awaited<ReturnType<typeof plan>>,
): Promise<Page[]> {
  const first = planned ?? (await fetchPage(ctx, seeded, { query }));
  const pages = [first];
  // The suite's own records are walked whole; CONFORMANCE_MAX_PAGES bounds a walk of the live collection.
  const expected = Math.ceil(first.total / limit) + 1;
  const bound = exact ? expected : Math.min(ctx.config.maxPages, expected);
  // An absent and a null hydra:next both end the walk (field notes: 8.0 sends `"hydra:next": null`;
  // "Both mean no next page"); one still there after the pages the total needs fails below.
  for (let next = nextOf(first); next !== undefined && next !== null; next = nextOf(pages.at(-1)!)) {
    ctx.rule(typeof next === 'string', 'hydra:next is a link to the next page', S.view, () => ({ expected: 'a link', received: next }));
    if (pages.length >= bound) {
      ctx.rule(pages.length < expected, 'the walk ends: the last page has no hydra:next', S.noNext, () => ({
        expected: `no hydra:next after ${pages.length} pages of ${limit} for ${first.total} records`,
        received: next,
      }));
      break;
    }
    pages.push(await fetchPage(ctx, seeded, { link: String(next) }));
  }
  return pages;
}

export const hydraView = withParams<HydraParams>(hydraParams, async (ctx, p) => {
  const seeded = await seed(ctx, p.records);
  await ctx.step('walk the pages by hydra:next', async () => {
    for (let attempt = 1; ; attempt++) {
      const planned = await plan(ctx, seeded, p, {});
      const { exact, limit } = planned;
      const pages = await walkView(ctx, seeded, planned);
      if (!exact && pages.some((x) => x.total !== pages[0]!.total) && attempt < 2) continue; // the collection changed under the walk
      const complete = !(nextOf(pages.at(-1)!) ?? false);
      checkWalk(ctx, pages, limit, seeded.ids, exact, exact || complete);
      const first = pages[0]!;
      const view = first.body['hydra:view'] as Json | undefined;
      ctx.rule(view !== undefined && typeof view === 'object', 'the 7.0.0 "pagination" response has hydra:view', S.view, () => ({
        expected: 'hydra:view',
        received: `keys ${Object.keys(first.body).join(', ')}`,
      }));
      ctx.rule(!('hydra:itemsPerPage' in first.body), 'without $legacy_collection_view the answer has no hydra:itemsPerPage', S.noItemsPerPage, () => ({
        expected: 'no hydra:itemsPerPage',
        received: first.body['hydra:itemsPerPage'],
      }));
      const last = pages.at(-1)!;
      if (pages.length > 1 && complete) {
        ctx.rule(
          typeof view!['hydra:first'] === 'string' && typeof view!['hydra:last'] === 'string',
          'hydra:view has first and last page links',
          S.view,
          () => ({
            expected: 'hydra:first and hydra:last links',
            received: view,
          }),
        );
        const viaLast = await fetchPage(ctx, seeded, { link: view!['hydra:last'] as string });
        const ids = (x: Page) => x.members.map((m) => m['@id']);
        ctx.rule(JSON.stringify(ids(viaLast)) === JSON.stringify(ids(last)), 'hydra:last is the page where the walk ends', S.view, () => ({
          expected: ids(last),
          received: ids(viaLast),
          detail: `hydra:last ${String(view!['hydra:last'])}`,
        }));
      }
      return;
    }
  });
});

export const hydraLegacy = withParams<HydraParams>(hydraParams, async (ctx, p) => {
  const version = (ctx.config[ctx.case.product] as { version?: string } | undefined)?.version;
  // Before 7.0.0 the legacy keys are the default view; from 7.0.0 they need $legacy_collection_view=true.
  const legacyParam: Record<string, string> = version !== undefined && compareVersions(version, '7.0.0') < 0 ? {} : { $legacy_collection_view: 'true' };
  const seeded = await seed(ctx, p.records);
  await ctx.step('walk the pages of the legacy view', async () => {
    for (let attempt = 1; ; attempt++) {
      const { exact, limit, query, first: planned } = await plan(ctx, seeded, p, legacyParam);
      const first = planned ?? (await fetchPage(ctx, seeded, { query }));
      for (const key of ['hydra:itemsPerPage', 'hydra:firstPage', 'hydra:lastPage']) {
        ctx.rule(key in first.body, `the legacy view contains '${key}'`, S.legacy, () => ({
          expected: key,
          received: `keys ${Object.keys(first.body).join(', ')}`,
        }));
      }
      const perPage = first.body['hydra:itemsPerPage'] as number;
      ctx.rule(Number.isInteger(perPage) && perPage >= 1 && perPage <= limit, 'hydra:itemsPerPage is the page size asked ($limit) or less', S.limit, () => ({
        expected: `1..${limit}`,
        received: perPage,
      }));
      const count = Math.max(1, Math.ceil(first.total / perPage));
      const lastPage = pageParam(String(first.body['hydra:lastPage']));
      ctx.rule(lastPage === count, 'hydra:lastPage is the page that holds the last records', S.legacy, () => ({
        expected: `$page=${count} (${first.total} records of ${perPage} a page)`,
        received: first.body['hydra:lastPage'],
      }));
      const pages = [first];
      for (let n = 2; n <= (exact ? count : Math.min(count, ctx.config.maxPages)); n++)
        pages.push(await fetchPage(ctx, seeded, { query: { ...query, $page: n } }));
      if (!exact && pages.some((x) => x.total !== first.total) && attempt < 2) continue;
      checkWalk(ctx, pages, perPage, seeded.ids, exact, exact || pages.length === count);
      return;
    }
  });
});
