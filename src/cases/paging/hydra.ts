/**
 * FortiSOAR collection paging (fortisoar-api-guide.txt › Retrieve Collection of Model Records).
 *
 * The walk runs over records the test itself creates, selected with a field filter
 * (`name=<marker>`, field notes), so that it is exact on a shared live instance. A server that
 * ignores the filter is walked whole instead, bounded by CONFORMANCE_MAX_PAGES; a walk that saw
 * the collection change under it (other clients writing) is tried once more.
 */

import { compareVersions } from '../../config/index.ts';
import type { CaseContext, Scenario } from '../context.ts';
import { createRecord, markerField, type Rec } from '../provoke/fortisoar.ts';

interface Page {
  readonly url: string;
  readonly members: Rec[];
  readonly total: number;
  readonly body: Record<string, unknown>;
}

const RECORDS = 5;
const LIMIT = 2;

const pageParam = (link: string): number => {
  const q = new URL(link, 'http://x').searchParams;
  const p = q.get('$page');
  return p === null ? 1 : Number(p);
};

async function fetchPage(ctx: CaseContext, url: string, query?: Record<string, string | number>): Promise<Page> {
  const body = ctx.expect<Record<string, unknown>>(await ctx.api.get(url, { query }));
  return { url, members: body['hydra:member'] as Rec[], total: body['hydra:totalItems'] as number, body };
}

/** Creates the records to walk; returns the filter that selects them and their ids. */
async function seedWalk(ctx: CaseContext, module: string): Promise<{ filter: Record<string, string>; ids: Set<string> }> {
  const field = markerField(module);
  const name = ctx.unique('paging');
  const created = await ctx.step(`create ${RECORDS} records to page through`, () =>
    Promise.all(Array.from({ length: RECORDS }, (_, i) => createRecord(ctx, module, `paging ${i}`, { ...recordBody(module, name, i) }))),
  );
  return { filter: { [field]: name }, ids: new Set(created.map(({ record }) => record['@id'])) };
}

const recordBody = (module: string, name: string, i: number): Record<string, unknown> =>
  module === 'assets' ? { hostname: name, ip: `192.0.2.${20 + i}` } : module === 'indicators' ? { value: name } : { name, description: `page record ${i}` };

/** Checks the invariants a consumer relies on over the pages of one walk. */
function checkWalk(ctx: CaseContext, pages: Page[], limit: number, own: Set<string>, exact: boolean, complete: boolean): void {
  const total = pages[0]!.total;
  const seen = new Map<string, number>();
  pages.forEach((p, i) => {
    ctx.rule(p.members.length <= limit, `no page is larger than asked ($limit=${limit})`, () => `page ${i + 1} (${p.url}) has ${p.members.length} records`);
    ctx.rule(p.total === total, 'hydra:totalItems is the same on every page', () => `page 1 says ${total}, page ${i + 1} says ${p.total}`);
    if (i < pages.length - 1) ctx.rule(p.members.length > 0, 'a page before the last is not empty', () => `page ${i + 1} (${p.url}) is empty`);
    for (const m of p.members) seen.set(m['@id'], (seen.get(m['@id']) ?? 0) + 1);
  });
  const twice = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  ctx.rule(twice.length === 0, 'every record appears exactly once in the walk', () => `seen more than once: ${twice.join(', ')}`);
  // A walk cut short by CONFORMANCE_MAX_PAGES checks only what it read.
  if (complete) for (const id of own) ctx.rule(seen.has(id), 'every record appears in the walk', () => `${id} was on no page`);
  if (exact) {
    ctx.rule(total === own.size, 'hydra:totalItems counts the records that match the query', () => `hydra:totalItems ${total}, matching records ${own.size}`);
    ctx.rule(seen.size === total, 'the pages hold hydra:totalItems records in all', () => `hydra:totalItems ${total}, records on the pages ${seen.size}`);
  } else if (complete) {
    ctx.rule(seen.size === total, 'the pages hold hydra:totalItems records in all', () => `hydra:totalItems ${total}, records on the pages ${seen.size}`);
  }
}

const nextOf = (p: Page): unknown => (p.body['hydra:view'] as Record<string, unknown> | undefined)?.['hydra:next'];

/** Walks by `hydra:view` → `hydra:next` until a page has none ("not displayed ... if there are no further results"). */
async function walkView(ctx: CaseContext, module: string, filter: Record<string, string>, limit: number, exact: boolean): Promise<Page[]> {
  const first = await fetchPage(ctx, `/api/3/${module}`, { ...filter, $limit: limit });
  const pages = [first];
  // The suite's own records are walked whole; CONFORMANCE_MAX_PAGES bounds a walk of the live collection.
  const expected = Math.ceil(first.total / limit) + 1;
  const bound = exact ? expected : Math.min(ctx.config.maxPages, expected);
  for (let next = nextOf(first); next !== undefined && next !== null; next = nextOf(pages.at(-1)!)) {
    ctx.rule(typeof next === 'string', 'hydra:next is a link', () => `hydra:next is ${JSON.stringify(next)}`);
    if (pages.length >= bound) {
      ctx.rule(
        pages.length < Math.ceil(first.total / limit) + 1,
        'the walk ends: the last page has no hydra:next',
        () => `still a hydra:next after ${pages.length} pages of ${limit} for ${first.total} records: ${String(next)}`,
      );
      break;
    }
    pages.push(await fetchPage(ctx, String(next)));
  }
  return pages;
}

export const hydraView: Scenario = async (ctx) => {
  const module = ctx.config.fortisoar!.recordModule;
  const { filter, ids } = await seedWalk(ctx, module);
  await ctx.step('walk the pages by hydra:next', async () => {
    for (let attempt = 1; ; attempt++) {
      const probe = await fetchPage(ctx, `/api/3/${module}`, { ...filter, $limit: LIMIT });
      const exact = probe.total === ids.size && probe.members.every((m) => ids.has(m['@id']));
      const limit = exact ? LIMIT : Math.max(LIMIT, Math.ceil(probe.total / ctx.config.maxPages));
      const pages = await walkView(ctx, module, exact ? filter : {}, limit, exact);
      if (!exact && pages.some((p) => p.total !== pages[0]!.total) && attempt < 2) continue; // the collection changed under the walk
      const complete = !(nextOf(pages.at(-1)!) ?? false);
      checkWalk(ctx, pages, limit, ids, exact, exact || complete);
      const first = pages[0]!;
      const view = first.body['hydra:view'] as Record<string, unknown> | undefined;
      ctx.rule(
        view !== undefined && typeof view === 'object',
        'the 7.0.0 "pagination" response has hydra:view',
        () => `keys: ${Object.keys(first.body).join(', ')}`,
      );
      ctx.rule(
        !('hydra:itemsPerPage' in first.body),
        '"The Item per page key has been removed" (without $legacy_collection_view)',
        () => `hydra:itemsPerPage: ${String(first.body['hydra:itemsPerPage'])}`,
      );
      const last = pages.at(-1)!;
      const lastNext = nextOf(last);
      if (complete) ctx.rule(lastNext === undefined || lastNext === null, 'the last page has no hydra:next', () => `hydra:next: ${String(lastNext)}`);
      if (pages.length > 1 && complete) {
        ctx.rule(typeof view!['hydra:first'] === 'string' && typeof view!['hydra:last'] === 'string', 'hydra:view has first and last page links', () =>
          JSON.stringify(view),
        );
        const viaLast = await fetchPage(ctx, view!['hydra:last'] as string);
        ctx.rule(
          JSON.stringify(viaLast.members.map((m) => m['@id'])) === JSON.stringify(last.members.map((m) => m['@id'])),
          'hydra:last is the page where the walk ends',
          () => `hydra:last ${String(view!['hydra:last'])} holds ${viaLast.members.length} records, the walk's last page ${last.members.length}`,
        );
      }
      return;
    }
  });
};

export const hydraLegacy: Scenario = async (ctx) => {
  const c = ctx.config.fortisoar!;
  const module = c.recordModule;
  // Before 7.0.0 the legacy keys are the default view; from 7.0.0 they need $legacy_collection_view=true.
  const legacyParam: Record<string, string> = compareVersions(c.version, '7.0.0') >= 0 ? { $legacy_collection_view: 'true' } : {};
  const { filter, ids } = await seedWalk(ctx, module);
  await ctx.step('walk the pages of the legacy view', async () => {
    for (let attempt = 1; ; attempt++) {
      const probe = await fetchPage(ctx, `/api/3/${module}`, { ...filter, ...legacyParam, $limit: LIMIT });
      const exact = probe.total === ids.size && probe.members.every((m) => ids.has(m['@id']));
      const limit = exact ? LIMIT : Math.max(LIMIT, Math.ceil(probe.total / ctx.config.maxPages));
      const query = { ...(exact ? filter : {}), ...legacyParam, $limit: limit };
      const first = await fetchPage(ctx, `/api/3/${module}`, query);
      for (const key of ['hydra:itemsPerPage', 'hydra:firstPage', 'hydra:lastPage']) {
        ctx.rule(key in first.body, `with $legacy_collection_view=true the answer contains '${key}'`, () => `keys: ${Object.keys(first.body).join(', ')}`);
      }
      const perPage = first.body['hydra:itemsPerPage'] as number;
      ctx.rule(
        Number.isInteger(perPage) && perPage >= 1 && perPage <= limit,
        `hydra:itemsPerPage is the page size asked ($limit=${limit}) or less`,
        () => `hydra:itemsPerPage ${String(perPage)}`,
      );
      const count = Math.max(1, Math.ceil(first.total / perPage));
      const lastPage = pageParam(String(first.body['hydra:lastPage']));
      ctx.rule(
        lastPage === count,
        'hydra:lastPage is the page that holds the last records',
        () => `hydra:lastPage ${String(first.body['hydra:lastPage'])} for ${first.total} records of ${perPage} a page`,
      );
      const pages = [first];
      for (let p = 2; p <= (exact ? count : Math.min(count, ctx.config.maxPages)); p++)
        pages.push(await fetchPage(ctx, `/api/3/${module}`, { ...query, $page: p }));
      if (!exact && pages.some((p) => p.total !== first.total) && attempt < 2) continue;
      checkWalk(ctx, pages, perPage, ids, exact, exact || pages.length === count);
      return;
    }
  });
};
