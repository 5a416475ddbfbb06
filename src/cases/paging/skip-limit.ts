/**
 * Skip/limit paging: a request carries how many items to skip and at most how many to return; the
 * answer holds the items and the total count of matching items. A consumer pages with
 * skip += limit until skip >= total; the walk checks what that consumer relies on: every item
 * exactly once, no page larger than the limit, the total the same on every page, and an empty
 * page past the end. It reads only what the server returns, so it works alike on the stub and a
 * live target; a live walk reads at most CONFORMANCE_MAX_PAGES pages and checks every invariant
 * on those. Field names, where they go and the sentences enforced come from the case's params.
 */
import { type CaseContext, withParams } from '../context.ts';
import { tooLittleData } from '../kit/data.ts';
import { boundTo, type SourceParam, sourcesSchema } from './params.ts';

export interface SkipLimitParams {
  /** Where skip and limit go: the JSON body (FortiCASB) or the query string. */
  readonly in: 'body' | 'query';
  readonly items: string;
  readonly total: string;
  readonly skip: string;
  readonly limit: string;
  readonly pageSize: number;
  /** The item field that identifies it (default `id`). */
  readonly idField?: string;
  /** Required time range fields (epoch milliseconds), filled with a window wide enough for any target. */
  readonly window?: { readonly from: string; readonly to: string };
  readonly sources: { readonly skip: SourceParam; readonly limit: SourceParam; readonly total: SourceParam };
}

export const skipLimitParams = {
  properties: {
    in: { enum: ['body', 'query'] },
    items: { type: 'string' },
    total: { type: 'string' },
    skip: { type: 'string' },
    limit: { type: 'string' },
    pageSize: { type: 'integer', minimum: 1 },
    idField: { type: 'string' },
    window: { type: 'object', required: ['from', 'to'], additionalProperties: false, properties: { from: { type: 'string' }, to: { type: 'string' } } },
    sources: sourcesSchema(['skip', 'limit', 'total']),
  },
  required: ['in', 'items', 'total', 'skip', 'limit', 'pageSize', 'sources'],
} as const;

export type Item = Readonly<Record<string, unknown>>;

export interface SkipLimitPage {
  readonly items: Item[];
  readonly total: number;
  readonly body: Record<string, unknown>;
}

/**
 * A window wide enough for any live tenant: from 1 (not 0, which a server testing `!startTime`
 * would take for a missing field) to the start of the test, so items created during the walk
 * cannot shift its pages.
 */
export function wideWindow(p: SkipLimitParams): Record<string, number> {
  return p.window ? { [p.window.from]: 1, [p.window.to]: Date.now() } : {};
}

/** The walk's helpers bound to one operation's params. */
export function skipLimit(ctx: CaseContext, p: SkipLimitParams, operationId = ctx.op().operationId) {
  const { rule, src } = boundTo(ctx, operationId, p.sources);
  const idOf = (item: Item): string => String(item[p.idField ?? 'id']);
  const ids = (items: readonly Item[]): string => items.map(idOf).join(', ');

  /** One request (skip and limit, with the other fields of `request`), checked against the documented 200. */
  async function page(request: Readonly<Record<string, unknown>>, skip: number, limit: number, title: string): Promise<SkipLimitPage> {
    return ctx.step(title, async () => {
      const paging = { [p.skip]: skip, [p.limit]: limit };
      const answer = await ctx.call(
        operationId,
        p.in === 'body' ? { body: { ...request, ...paging } } : { query: { ...(request as Record<string, string>), ...paging } },
      );
      const body = answer.expect<Record<string, unknown>>(200);
      return { items: (body[p.items] ?? []) as Item[], total: body[p.total] as number, body };
    });
  }

  /**
   * The page size a server gives for `asked`: the request's limit is a maximum ("Maximum number of
   * return items"), and an answer whose own limit is smaller says the server caps its pages there
   * (FortiCASB's answer: "limit: Maximum number of return alerts in one page"). A smaller page
   * without that said is a page short of its items.
   */
  const capOf = (body: Record<string, unknown>, asked: number): number | undefined => {
    const echoed = body[p.limit];
    return typeof echoed === 'number' && Number.isInteger(echoed) && echoed > 0 && echoed < asked ? echoed : undefined;
  };

  /**
   * Pages through `request` (window and filters) with skip += limit (or the server's cap, said on
   * the first page), checking each page as it comes.
   */
  async function walk(request: Readonly<Record<string, unknown>>, limit: number, label: string) {
    const seenOn = new Map<string, number>();
    const items: Item[] = [];
    let total: number | undefined;
    let pages = 0;
    let size: number | undefined;
    for (let skip = 0; ; skip += size!) {
      const got = await page(request, skip, limit, `${label}: ${p.skip} ${skip}, ${p.limit} ${limit}`);
      pages++;
      const at = (size ??= capOf(got.body, limit) ?? limit);
      const t = (total ??= got.total);
      rule(got.total === t, `${p.total} counts the matching items, so it is the same on every page of one walk`, src.total, () => ({
        expected: t,
        received: got.total,
        detail: `${p.skip} 0 said ${t}, ${p.skip} ${skip} says ${got.total}`,
      }));
      rule(got.items.length <= limit, `no page holds more than ${p.limit} items`, src.limit, () => ({
        expected: `at most ${limit}`,
        received: got.items.length,
      }));
      const expected = Math.max(0, Math.min(at, t - skip));
      rule(got.items.length === expected, `the page at ${p.skip} holds the matching items ${p.skip} .. ${p.skip}+${p.limit}-1`, src.skip, () => ({
        expected,
        received: got.items.length,
        detail: `${p.skip} ${skip}, ${p.limit} ${limit}${at < limit ? ` (the server's cap ${at})` : ''}, ${p.total} ${t}`,
      }));
      const echoedSkip = got.body[p.skip];
      if (echoedSkip !== undefined)
        rule(echoedSkip === skip, `the answer's ${p.skip} is the request's`, src.skip, () => ({ expected: skip, received: echoedSkip }));
      const echoedLimit = got.body[p.limit];
      if (echoedLimit !== undefined)
        rule(echoedLimit === at, `the answer's ${p.limit} is the request's, or the same cap on every page`, src.limit, () => ({
          expected: at,
          received: echoedLimit,
        }));
      for (const item of got.items) {
        const id = idOf(item);
        rule(
          !seenOn.has(id),
          'every matching item appears on exactly one page',
          src.skip,
          () => `item ${id} is on the page at ${p.skip} ${seenOn.get(id)} and again at ${p.skip} ${skip}`,
        );
        seenOn.set(id, skip);
        items.push(item);
      }
      if (skip + at >= t) {
        rule(items.length === t, `the pages together hold ${p.total} items`, src.total, () => ({ expected: t, received: items.length }));
        return { items, total: t, pages, complete: true, size: at };
      }
      if (pages >= ctx.config.maxPages) return { items, total: t, pages, complete: false, size: at };
    }
  }

  return { page, walk, capOf, ids, idOf, sources: src };
}

/** The walk of the whole window, the page past the end, and agreement with larger and shifted pages. */
export const skipLimitMode = withParams<SkipLimitParams>(skipLimitParams, async (ctx, p) => {
  const { page, walk, capOf, ids, sources } = skipLimit(ctx, p);
  const limit = p.pageSize;
  const request = wideWindow(p);
  const all = await walk(request, limit, 'walk');
  /** What a page of `asked` holds: the server's cap, where it said one, is the most. */
  const sizeOf = (asked: number, body: Record<string, unknown>): number => Math.min(asked, capOf(body, asked) ?? asked);

  const past = await page(request, all.total, limit, `past the end: ${p.skip} ${all.total} (${p.total})`);
  ctx.rule(past.items.length === 0, `a ${p.skip} past the last matching item returns an empty page`, sources.skip, () => ({
    expected: 0,
    received: past.items.length,
    detail: ids(past.items.slice(0, 5)),
  }));
  ctx.rule(past.total === all.total, `${p.total} does not depend on ${p.skip}`, sources.total, () => ({ expected: all.total, received: past.total }));

  if (all.total <= all.size)
    tooLittleData(ctx, `fewer than two pages: ${p.total} ${all.total} with ${p.limit} ${all.size}; paging needs at least ${all.size + 1} items`);

  // Pages must agree with one larger page and with a page that starts mid-way: the order is the
  // server's to choose, but it must be the same for every request of the same query. Compared as
  // sets, since items created in the same instant may come in either order.
  const double = await page(request, 0, 2 * limit, `one page of ${2 * limit}`);
  const span = Math.min(all.items.length, sizeOf(2 * limit, double.body));
  const sameSet = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((x) => b.includes(x));
  const idsOf = (items: readonly Item[]) => items.map((i) => i[p.idField ?? 'id']);
  ctx.rule(
    sameSet(idsOf(double.items), idsOf(all.items.slice(0, span))),
    `the first ${span} items of the walk are one page of ${2 * limit}`,
    sources.skip,
    () => ({
      expected: ids(all.items.slice(0, span)),
      received: ids(double.items),
    }),
  );
  const half = Math.floor(all.size / 2);
  const shifted = await page(request, half, limit, `a page starting mid-way: ${p.skip} ${half}`);
  const shiftedSize = sizeOf(limit, shifted.body);
  ctx.rule(
    sameSet(idsOf(shifted.items), idsOf(all.items.slice(half, half + shiftedSize))),
    `${p.skip} ${half} excludes exactly the first ${half} items of the walk`,
    sources.skip,
    () => ({
      expected: ids(all.items.slice(half, half + shiftedSize)),
      received: ids(shifted.items),
    }),
  );
});
