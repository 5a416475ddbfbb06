/**
 * Page-token paging: each answer carries the token of the next page; a consumer loops, sending
 * the last token, until a page has no items (FortiMail Browser Security's Example 4). The walk
 * is that loop; it checks what the loop relies on: every item once, no page larger than the
 * limit, a token on every page that has items (without one the loop would start over), an end,
 * and, where the document says so (`chronological`), oldest first by the items' ISO 8601
 * timestamp. A live walk reads at most CONFORMANCE_MAX_PAGES pages and checks every invariant on
 * those. Field and parameter names, and the sentences enforced, come from the case's params.
 */
import { type CaseContext, withParams } from '../context.ts';
import { tooLittleData } from '../kit/data.ts';
import { notes } from '../kit/sources.ts';
import { boundTo, type SourceParam, sourcesSchema } from './params.ts';

export interface PageTokenParams {
  readonly items: string;
  /** The answer's field holding the next page's token. */
  readonly token: string;
  /** The query parameter that sends it back. */
  readonly tokenParam: string;
  readonly limitParam: string;
  readonly pageSize: number;
  /** Items come oldest first by their timestamp (an ISO 8601 field found by its value). */
  readonly chronological?: boolean;
  readonly sources: { readonly limit: SourceParam; readonly token: SourceParam; readonly end: SourceParam; readonly order: SourceParam };
}

export const pageTokenParams = {
  properties: {
    items: { type: 'string' },
    token: { type: 'string' },
    tokenParam: { type: 'string' },
    limitParam: { type: 'string' },
    pageSize: { type: 'integer', minimum: 1 },
    chronological: { type: 'boolean' },
    sources: sourcesSchema(['limit', 'token', 'end', 'order']),
  },
  required: ['items', 'token', 'tokenParam', 'limitParam', 'pageSize', 'sources'],
} as const;

export interface Entry {
  readonly id: string;
  readonly [field: string]: unknown;
}

export interface TokenPage {
  readonly items: Entry[];
  /** The next page's token: a string, or null / undefined where the server gives none. */
  readonly next: unknown;
}

export interface TokenWalk {
  readonly pages: TokenPage[];
  readonly entries: Entry[];
  /** True when the walk reached a page with no items (false: stopped at CONFORMANCE_MAX_PAGES). */
  readonly ended: boolean;
  /** The token of the last page read. */
  readonly lastToken: unknown;
  readonly field: string;
}

export interface WalkOptions {
  readonly limit: number;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly pageToken?: string;
  /** Entries already seen by an earlier walk: none may appear again, and none may be older. */
  readonly after?: readonly Entry[];
  readonly field?: string;
}

/**
 * The entry field holding its timestamp. Field notes: "timestamps are ISO 8601 UTC with
 * milliseconds" and no public source lists the fields: common names first, then any field every
 * entry fills with an ISO 8601 date-time.
 */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i;
const TIMESTAMP_NAMES = ['timestamp', 'time', 'createdAt', 'created', 'date', 'eventTime', 'occurredAt', 'generatedAt'];
const TIMESTAMPS = notes('timestamps are ISO 8601 UTC with milliseconds (`2021-01-07T11:33:39.557Z`)');

export const timeOf = (e: Entry, field: string): number => Date.parse(e[field] as string);

const usableToken = (t: unknown): t is string => typeof t === 'string' && t !== '';

/** The walk's helpers bound to one operation's params. */
export function pageToken(ctx: CaseContext, p: PageTokenParams, operationId = ctx.op().operationId) {
  const { rule, src } = boundTo(ctx, operationId, p.sources);

  async function page(query: Readonly<Record<string, string | number | undefined>>, title: string): Promise<TokenPage> {
    return ctx.step(title, async () => {
      // The page as the spec types it; its item and token fields are named by the params.
      const body = (await ctx.call(operationId, { query })).expect<Record<string, unknown>>(200);
      return { items: (body[p.items] ?? []) as Entry[], next: body[p.token] };
    });
  }

  function timestampField(entries: readonly Entry[]): string {
    const isIso = (name: string): boolean => entries.every((e) => typeof e[name] === 'string' && ISO.test(e[name] as string));
    const found = TIMESTAMP_NAMES.find(isIso) ?? Object.keys(entries[0] ?? {}).find(isIso);
    rule(found !== undefined || entries.length === 0, 'entries carry the ISO 8601 UTC timestamp they were generated at', TIMESTAMPS, () => ({
      expected: 'a field holding an ISO 8601 date-time in every entry',
      received: entries[0],
    }));
    return found ?? 'timestamp';
  }

  /** Entries of `a` and `b` agree as sets, leaving out those generated at the last compared instant (their order among themselves is open). */
  function sameEntries(a: readonly Entry[], b: readonly Entry[], field: string): { same: boolean; evidence: () => { expected: string[]; received: string[] } } {
    const n = Math.min(a.length, b.length);
    const edge = n > 0 && p.chronological ? timeOf(a[n - 1]!, field) : Number.NaN;
    const ids = (xs: readonly Entry[]): string[] =>
      xs
        .slice(0, n)
        .filter((e) => !p.chronological || timeOf(e, field) !== edge)
        .map((e) => e.id)
        .sort();
    const [x, y] = [ids(a), ids(b)];
    return { same: x.length === y.length && x.every((id, i) => id === y[i]), evidence: () => ({ expected: x, received: y }) };
  }

  /** The loop, checking each page as it comes. */
  async function walk(o: WalkOptions, label: string): Promise<TokenWalk> {
    const seen = new Map<string, number>((o.after ?? []).map((e) => [e.id, 0]));
    const pages: TokenPage[] = [];
    const entries: Entry[] = [];
    let field = o.field;
    let previous: Entry | undefined = o.after?.at(-1);
    let token: unknown = o.pageToken;
    for (;;) {
      const n = pages.length + 1;
      const got = await page(
        { ...o.query, [p.limitParam]: o.limit, [p.tokenParam]: usableToken(token) ? token : undefined },
        `${label}: page ${n}${usableToken(token) ? ` (${p.tokenParam} of the page before)` : ''}`,
      );
      pages.push(got);
      rule(got.items.length <= o.limit, `no page holds more than ${p.limitParam} items`, src.limit, () => ({
        expected: `at most ${o.limit}`,
        received: got.items.length,
      }));
      if (got.items.length > 0) {
        if (p.chronological) field ??= timestampField([...(o.after ?? []), ...got.items]);
        for (const e of got.items) {
          rule(!seen.has(e.id), 'every item appears once in a walk', src.token, () =>
            seen.get(e.id)
              ? `item ${e.id} on page ${n} was already on page ${seen.get(e.id)}`
              : `item ${e.id} on page ${n} was already seen by the earlier walk`,
          );
          seen.set(e.id, n);
          if (previous && p.chronological && field) {
            const [before, after] = [previous, e];
            rule(timeOf(after, field) >= timeOf(before, field), 'items come oldest first', src.order, () => ({
              expected: `${after.id} not older than ${before.id} (${String(before[field!])})`,
              received: `${after.id} at ${String(after[field!])}`,
            }));
          }
          previous = e;
          entries.push(e);
        }
        rule(usableToken(got.next), `a page with items carries ${p.token} (without it the loop would start over)`, src.token, () => ({
          expected: 'a token',
          received: got.next,
          detail: `page ${n} has ${got.items.length} items`,
        }));
      }
      token = got.next;
      if (got.items.length === 0) return { pages, entries, ended: true, lastToken: token, field: field ?? 'timestamp' };
      if (pages.length >= ctx.config.maxPages) return { pages, entries, ended: false, lastToken: token, field: field ?? 'timestamp' };
    }
  }

  return { page, walk, timestampField, sameEntries, sources: src, usableToken };
}

export const pageTokenMode = withParams<PageTokenParams>(pageTokenParams, async (ctx, p) => {
  const { page, walk, sameEntries, sources } = pageToken(ctx, p);
  const limit = p.pageSize;
  const all = await walk({ limit }, `walk with ${p.limitParam} ${limit}`);
  if (!ctx.live) ctx.rule(all.ended, 'the walk ends on a page with no items', sources.end, () => `no empty page within ${all.pages.length} pages`);
  const filled = all.pages.filter((x) => x.items.length > 0).length;
  if (filled < 2) tooLittleData(ctx, `fewer than two pages: ${all.entries.length} items, ${p.limitParam} ${limit}`);
  // No item falls between two pages: the first pages hold what one page of twice the size holds.
  const double = await page({ [p.limitParam]: 2 * limit }, `one page with ${p.limitParam} ${2 * limit}`);
  // Expected: the one page (the reference); received: what the walk's pages held.
  const cmp = sameEntries(double.items, all.entries, all.field);
  ctx.rule(
    cmp.same,
    `the first pages of ${limit} hold the same items as one page of ${2 * limit} (no item is skipped between pages)`,
    sources.token,
    cmp.evidence,
  );
});
