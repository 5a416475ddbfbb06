/**
 * Offset/limit paging: a request carries the index of the first item and at most how many to
 * return (query parameters); the answer holds the items and, where the server gives it, the total.
 * The walk moves on by the items each page holds (a limit is a maximum) and checks that pages are
 * disjoint, none larger than the limit, and that together they hold the total. A live walk reads what is there (ordered, through
 * the case's fixed `query`, so that items added during the walk land at its end) and stops after
 * CONFORMANCE_MAX_PAGES pages. Names and the sentences enforced come from the case's params.
 */
import { type CaseContext, withParams } from '../context.ts';
import type { Json } from '../kit/bodies.ts';
import { boundTo, type SourceParam, sourcesSchema } from './params.ts';

export interface OffsetLimitParams {
  readonly items: string;
  readonly total: string;
  readonly offset: string;
  readonly limit: string;
  /** Page size against the stub; on a live target it grows to cover the total within CONFORMANCE_MAX_PAGES. */
  readonly pageSize?: number;
  /** Query parameters every request of the walk carries (a format, an ordering). */
  readonly query?: Readonly<Record<string, string>>;
  readonly sources: { readonly offset: SourceParam; readonly limit: SourceParam };
}

export const offsetLimitParams = {
  properties: {
    items: { type: 'string' },
    total: { type: 'string' },
    offset: { type: 'string' },
    limit: { type: 'string' },
    pageSize: { type: 'integer', minimum: 1 },
    query: { type: 'object', additionalProperties: { type: 'string' } },
    sources: sourcesSchema(['offset', 'limit']),
  },
  required: ['items', 'total', 'offset', 'limit', 'sources'],
} as const;

export interface OffsetPage {
  readonly items: Json[];
  readonly total?: number;
  readonly body: Json;
}

/** An item's identity: its `id`, else its `@id` (field notes: executions do not always carry an integer id). */
export const itemId = (m: Json): string => String(m.id ?? m['@id'] ?? JSON.stringify(m));

/** The walk's helpers bound to one operation's params. */
export function offsetLimit(ctx: CaseContext, p: OffsetLimitParams, operationId = ctx.op().operationId) {
  const { op, rule, src } = boundTo(ctx, operationId, p.sources);

  async function page(query: Readonly<Record<string, string | number>>, title: string): Promise<OffsetPage> {
    return ctx.step(`${title} (${op.method} ${op.path})`, async () => {
      const body = (await ctx.call(operationId, { query: { ...p.query, ...query } })).expect<Json>(200);
      const total = body[p.total];
      return { items: (body[p.items] ?? []) as Json[], total: typeof total === 'number' ? total : undefined, body };
    });
  }

  /** The page size of a walk: the params' against the stub, within CONFORMANCE_MAX_PAGES on a live target. */
  function sizeFor(total: number | undefined): number {
    const size = p.pageSize ?? 25;
    if (!ctx.live) return size;
    if (total === undefined) return Math.max(size, 25);
    return Math.min(100, Math.max(size, 10, Math.ceil(total / ctx.config.maxPages)));
  }

  async function walk(
    query: Readonly<Record<string, string>>,
    limit: number,
    maxPages: number,
  ): Promise<{ items: Json[]; pages: OffsetPage[]; complete: boolean }> {
    const pages: OffsetPage[] = [];
    const items: Json[] = [];
    // The next offset follows the items received, not the limit asked: "Limit" is a maximum, and a
    // server may answer fewer (a cap of its own) without the walk losing what follows.
    for (let offset = 0; pages.length < maxPages; offset += pages.at(-1)!.items.length) {
      const got = await page({ ...query, [p.offset]: offset, [p.limit]: limit }, `${p.offset}=${offset}&${p.limit}=${limit}`);
      pages.push(got);
      rule(got.items.length <= limit, `no page holds more than ${p.limit} items`, src.limit, () => ({
        expected: `at most ${limit}`,
        received: got.items.length,
        detail: `${p.offset} ${offset}`,
      }));
      items.push(...got.items);
      const end = got.total !== undefined ? offset + got.items.length >= got.total : got.items.length === 0;
      if (end || got.items.length === 0) return { items, pages, complete: true };
    }
    return { items, pages, complete: false };
  }

  return { page, walk, sizeFor, sources: src };
}

export const offsetLimitMode = withParams<OffsetLimitParams>(offsetLimitParams, async (ctx, p) => {
  const { page, walk, sizeFor, sources } = offsetLimit(ctx, p);
  const first = await page({ [p.limit]: 1 }, 'count the items');
  if (first.items.length === 0) return ctx.skip(`${ctx.op().operationId} answers no item: nothing to page`);
  const limit = sizeFor(first.total);
  if (!ctx.live && (first.total ?? 0) <= limit) throw new Error(`[cases] the stub holds ${first.total} items, no more than one page of ${limit}`);
  const { items, pages, complete } = await walk({}, limit, ctx.config.maxPages);
  const seen = new Map<string, number>();
  items.forEach((m, i) => {
    const id = itemId(m);
    ctx.rule(!seen.has(id), 'pages are disjoint', sources.offset, () => `item ${id} is answered at index ${seen.get(id)} and again at index ${i}`);
    seen.set(id, i);
  });
  if (!complete) return;
  const totals = pages.map((x) => x.total).filter((t): t is number => t !== undefined);
  if (totals.length === 0) return;
  const low = Math.min(...totals);
  const high = Math.max(...totals);
  // On a live target items may arrive during the walk: the count lies between the totals seen.
  ctx.rule(
    ctx.live ? items.length >= low && items.length <= high : items.length === low && low === high,
    `the pages together answer every item of ${p.total}`,
    sources.offset,
    () => ({
      expected: low === high ? low : `${low}..${high}`,
      received: items.length,
      detail: `${pages.length} pages of ${limit}`,
    }),
  );
});
