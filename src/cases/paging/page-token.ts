/**
 * FortiMail Browser Security pageToken/nextPageToken paging
 * (fortimail-browser-security-admin-audit-logs.txt › Retrieving full logs using pagination,
 * Example 4). The walk is Example 4's loop: request with `limit` (and the last `nextPageToken`)
 * until a page has no items. It checks what that loop relies on: every entry once, oldest
 * first ("sorted in chronological order - the first entry is the oldest"), no page larger than
 * `limit`, a token on every page that has items, and an end. A live walk reads at most
 * CONFORMANCE_MAX_PAGES pages and checks every invariant on those.
 */
import type { CaseContext, Scenario } from '../context.ts';
import { tooLittleData } from './skip-limit.ts';

export const ENTRIES = '/api/admin-audit-log-entries';
export const LIST_OP = 'listAdminAuditLogEntries';

export interface Entry {
  readonly id: string;
  readonly [field: string]: unknown;
}

export interface EntryPage {
  readonly items: Entry[];
  readonly nextPageToken?: string | null;
}

/** Page size of the walks: 40 in the stub (250 seed entries: seven pages and the empty one); 50 live, so that a page of 2×limit (100, Example 4's size) stays within common caps. */
export const walkLimit = (ctx: CaseContext): number => Number(ctx.case.params.limit ?? (ctx.live ? 50 : 40));

export async function listEntries(ctx: CaseContext, query: Readonly<Record<string, string | number | undefined>>, title: string): Promise<EntryPage> {
  return ctx.step(title, async () => ctx.expect<EntryPage>(await ctx.api.get(ENTRIES, { query }), 200, LIST_OP));
}

/**
 * The entry field holding its timestamp. The document names none; field notes say timestamps
 * are ISO 8601 UTC with milliseconds. Common names first, then any field every entry fills with
 * an ISO 8601 date-time.
 */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i;
const TIMESTAMP_NAMES = ['timestamp', 'time', 'createdAt', 'created', 'date', 'eventTime', 'occurredAt', 'generatedAt'];

export function timestampField(ctx: CaseContext, entries: readonly Entry[]): string {
  const isIso = (name: string): boolean => entries.every((e) => typeof e[name] === 'string' && ISO.test(e[name] as string));
  const found = TIMESTAMP_NAMES.find(isIso) ?? Object.keys(entries[0] ?? {}).find(isIso);
  ctx.rule(
    found !== undefined || entries.length === 0,
    'entries carry the ISO 8601 UTC timestamp they were generated at (field notes: "2021-01-07T11:33:39.557Z")',
    () => `no field holds an ISO 8601 date-time in every entry; first entry: ${JSON.stringify(entries[0]).slice(0, 300)}`,
  );
  return found ?? 'timestamp';
}

export const timeOf = (e: Entry, field: string): number => Date.parse(e[field] as string);

export interface EntryWalk {
  readonly pages: EntryPage[];
  readonly entries: Entry[];
  /** True when the walk reached a page with no items (false: stopped at CONFORMANCE_MAX_PAGES). */
  readonly ended: boolean;
  /** `nextPageToken` of the last page read. */
  readonly lastToken: string | null | undefined;
  readonly field: string;
}

export interface WalkOptions {
  readonly limit: number;
  readonly since?: string;
  readonly pageToken?: string;
  /** Entries already seen by an earlier walk: none may appear again, and none may be older. */
  readonly after?: readonly Entry[];
  readonly field?: string;
}

/** Example 4's loop, checking each page as it comes. */
export async function walkEntries(ctx: CaseContext, o: WalkOptions, label: string): Promise<EntryWalk> {
  const seen = new Map<string, number>((o.after ?? []).map((e) => [e.id, 0]));
  const pages: EntryPage[] = [];
  const entries: Entry[] = [];
  let field = o.field;
  let previous: Entry | undefined = o.after?.at(-1);
  let token: string | null | undefined = o.pageToken;
  for (;;) {
    const n = pages.length + 1;
    const page = await listEntries(
      ctx,
      { limit: o.limit, since: o.since, pageToken: token ?? undefined },
      `${label}: page ${n}${token ? ' (pageToken of the page before)' : ''}`,
    );
    pages.push(page);
    ctx.rule(
      page.items.length <= o.limit,
      '"limit: Limits the number of results that can be included in the response."',
      () => `limit ${o.limit}, page ${n} has ${page.items.length} entries`,
    );
    if (page.items.length > 0) {
      field ??= timestampField(ctx, [...(o.after ?? []), ...page.items]);
      for (const e of page.items) {
        ctx.rule(
          !seen.has(e.id),
          'every entry appears once in a walk',
          () => `entry ${e.id} on page ${n} was already seen${seen.get(e.id) ? ` on page ${seen.get(e.id)}` : ' by the earlier walk'}`,
        );
        seen.set(e.id, n);
        if (previous) {
          const [before, after] = [previous, e];
          ctx.rule(
            timeOf(after, field) >= timeOf(before, field),
            '"The entries in the returned log are sorted in chronological order - the first entry is the oldest."',
            () => `entry ${after.id} (${String(after[field!])}) comes after ${before.id} (${String(before[field!])})`,
          );
        }
        previous = e;
        entries.push(e);
      }
      ctx.rule(
        typeof page.nextPageToken === 'string' && page.nextPageToken !== '',
        '"pageToken: A token that is used to retrieve the next page of partial results": a page with entries carries one',
        () => `page ${n} has ${page.items.length} entries and nextPageToken ${JSON.stringify(page.nextPageToken)}`,
      );
    }
    token = page.nextPageToken;
    if (page.items.length === 0) return { pages, entries, ended: true, lastToken: token, field: field ?? 'timestamp' };
    if (pages.length >= ctx.config.maxPages) return { pages, entries, ended: false, lastToken: token, field: field ?? 'timestamp' };
  }
}

/** Entries of `a` and `b` agree as sets, leaving out those generated at the last compared instant (their order among themselves is open). */
export function sameEntries(a: readonly Entry[], b: readonly Entry[], field: string): { same: boolean; evidence: () => string } {
  const n = Math.min(a.length, b.length);
  const edge = n > 0 ? timeOf(a[n - 1]!, field) : NaN;
  const ids = (xs: readonly Entry[]): string[] =>
    xs
      .slice(0, n)
      .filter((e) => timeOf(e, field) !== edge)
      .map((e) => e.id)
      .sort();
  const [x, y] = [ids(a), ids(b)];
  return { same: x.length === y.length && x.every((id, i) => id === y[i]), evidence: () => `${x.join(', ')}\n  vs ${y.join(', ')}` };
}

export const pageToken: Scenario = async (ctx) => {
  const limit = walkLimit(ctx);
  const walk = await walkEntries(ctx, { limit }, `walk with limit ${limit}`);
  if (!ctx.live)
    ctx.rule(
      walk.ended,
      'the walk ends on a page with no items (Example 4 loops "while ($items.Length -ne 0)")',
      () => `no empty page within ${walk.pages.length} pages`,
    );
  const filled = walk.pages.filter((p) => p.items.length > 0).length;
  if (filled < 2) tooLittleData(ctx, `fewer than two pages: the log holds ${walk.entries.length} entries, limit ${limit}`);
  // No entry falls between two pages: the first pages hold what one page of twice the size holds.
  const double = await listEntries(ctx, { limit: 2 * limit }, `one page with limit ${2 * limit}`);
  const cmp = sameEntries(walk.entries, double.items, walk.field);
  ctx.rule(cmp.same, `the first pages of ${limit} hold the same entries as one page of ${2 * limit} (no entry is skipped between pages)`, cmp.evidence);
};
