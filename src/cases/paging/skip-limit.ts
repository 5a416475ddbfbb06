/**
 * FortiCASB skip/limit paging (forticasb-get-alert-list.txt › Get Alert List): "skip: Indexes in
 * a result set. Used to exclude response from the first N items of a resource collection.",
 * "limit: Maximum number of return items", and `totalCount` (the table's "totaCount") counting
 * the matching alerts. A consumer pages with skip += limit until skip >= totalCount; the walk
 * checks what that consumer relies on: every matching alert exactly once, no page larger than
 * limit, totalCount the same on every page, and an empty page past the end. It reads only what
 * the server returns (the API is read-only), so it works alike on the stub and a live target;
 * a live walk reads at most CONFORMANCE_MAX_PAGES pages and checks every invariant on those.
 * `totalPage` is never compared with totalCount / limit: it is 0 in every published sample.
 */
import type { CaseContext, Scenario } from '../context.ts';

export const ALERT_LIST = '/api/v1/alert/list';
export const ALERT_LIST_OP = 'getAlertList';
/** The sample request's page size. */
export const SAMPLE_LIMIT = 20;

export interface Alert {
  readonly id: string;
  readonly createTime: number;
  readonly [field: string]: unknown;
}

export interface AlertPage {
  readonly data: Alert[];
  readonly totalCount: number;
  readonly skip?: number;
  readonly limit?: number;
  readonly totalPage?: number;
}

export type TimeWindow = {
  readonly startTime: number;
  readonly endTime: number;
};

/**
 * A window wide enough for any live tenant: from 1 (not 0, which a server testing `!startTime`
 * would take for a missing field) to the start of the test, so alerts created during the walk
 * cannot shift its pages.
 */
export const wideWindow = (): TimeWindow => ({ startTime: 1, endTime: Date.now() });

/**
 * A check that needs more data than the target holds: skipped on a live target, with the reason
 * (never passed vacuously); a failure in the stub, whose seed is made to hold enough.
 */
export function tooLittleData(ctx: CaseContext, why: string): never {
  if (ctx.live) ctx.skip(why);
  ctx.rule(false, 'the stub seed holds enough data for this check', () => why);
  throw new Error(why);
}

/** One request, checked against the documented 200 (status, JSON, schema). */
export async function listAlerts(ctx: CaseContext, body: Readonly<Record<string, unknown>>, title: string): Promise<AlertPage> {
  return ctx.step(title, async () => ctx.expect<AlertPage>(await ctx.api.post(ALERT_LIST, body), 200, ALERT_LIST_OP));
}

export interface AlertWalk {
  readonly alerts: Alert[];
  readonly totalCount: number;
  readonly pages: number;
  /** True when the walk reached skip >= totalCount (false: stopped at CONFORMANCE_MAX_PAGES). */
  readonly complete: boolean;
}

const shortIds = (alerts: readonly Alert[]): string => alerts.map((a) => a.id).join(', ');

/** Pages through `query` (window and filters) with skip += limit, checking each page as it comes. */
export async function walkAlerts(ctx: CaseContext, query: Readonly<Record<string, unknown>>, limit: number, label: string): Promise<AlertWalk> {
  const seenOn = new Map<string, number>();
  const alerts: Alert[] = [];
  let totalCount: number | undefined;
  let pages = 0;
  for (let skip = 0; ; skip += limit) {
    const page = await listAlerts(ctx, { ...query, skip, limit }, `${label}: skip ${skip}, limit ${limit}`);
    pages++;
    const total = (totalCount ??= page.totalCount);
    ctx.rule(
      page.totalCount === total,
      'totalCount counts the matching alerts, so it is the same on every page of one walk',
      () => `skip 0 said totalCount ${total}, skip ${skip} says ${page.totalCount}`,
    );
    ctx.rule(
      page.data.length <= limit,
      '"limit: Maximum number of return items": no page holds more than limit alerts',
      () => `skip ${skip}, limit ${limit}: ${page.data.length} alerts`,
    );
    const expected = Math.max(0, Math.min(limit, total - skip));
    ctx.rule(
      page.data.length === expected,
      '"skip: Indexes in a result set. Used to exclude response from the first N items": the page at skip holds the matching alerts skip .. skip+limit-1',
      () => `skip ${skip}, limit ${limit}, totalCount ${total}: expected ${expected} alerts, received ${page.data.length}`,
    );
    if (page.skip !== undefined)
      ctx.rule(page.skip === skip, 'the response\'s skip is the request\'s ("Indexes in a result set")', () => `sent skip ${skip}, received skip ${page.skip}`);
    if (page.limit !== undefined)
      ctx.rule(
        page.limit === limit,
        'the response\'s limit is the request\'s ("Maximum number of return alerts in one page")',
        () => `sent limit ${limit}, received limit ${page.limit}`,
      );
    for (const a of page.data) {
      ctx.rule(
        !seenOn.has(a.id),
        'every matching alert appears on exactly one page',
        () => `alert ${a.id} is on the page at skip ${seenOn.get(a.id)} and again at skip ${skip}`,
      );
      seenOn.set(a.id, skip);
      alerts.push(a);
    }
    if (skip + limit >= total) {
      ctx.rule(alerts.length === total, 'the pages together hold totalCount alerts', () => `totalCount ${total}, the walk read ${alerts.length}`);
      return { alerts, totalCount: total, pages, complete: true };
    }
    if (pages >= ctx.config.maxPages) return { alerts, totalCount: total, pages, complete: false };
  }
}

/** The walk of the whole window, the page past the end, and agreement with larger and shifted pages. */
export const skipLimit: Scenario = async (ctx) => {
  const limit = Number(ctx.case.params.limit ?? SAMPLE_LIMIT);
  const window = wideWindow();
  const walk = await walkAlerts(ctx, window, limit, 'walk');

  const past = await listAlerts(ctx, { ...window, skip: walk.totalCount, limit }, `past the end: skip ${walk.totalCount} (totalCount)`);
  ctx.rule(
    past.data.length === 0,
    'a skip past the last matching alert returns an empty page',
    () => `skip ${walk.totalCount} returned ${past.data.length} alerts: ${shortIds(past.data.slice(0, 5))}`,
  );
  ctx.rule(
    past.totalCount === walk.totalCount,
    'totalCount does not depend on skip',
    () => `skip 0 said ${walk.totalCount}, skip ${walk.totalCount} says ${past.totalCount}`,
  );

  if (walk.totalCount <= limit)
    tooLittleData(ctx, `fewer than two pages: totalCount ${walk.totalCount} with limit ${limit}; paging needs at least ${limit + 1} alerts`);

  // Pages must agree with one larger page and with a page that starts mid-way: the order is the
  // server's to choose, but it must be the same for every request of the same query. Compared as
  // sets, since alerts created in the same millisecond may come in either order.
  const span = Math.min(walk.alerts.length, 2 * limit);
  const double = await listAlerts(ctx, { ...window, skip: 0, limit: 2 * limit }, `one page of ${2 * limit}`);
  const sameSet = (a: readonly Alert[], b: readonly Alert[]): boolean => a.length === b.length && a.every((x) => b.some((y) => y.id === x.id));
  ctx.rule(
    sameSet(double.data, walk.alerts.slice(0, span)),
    `the first two pages of ${limit} hold the same alerts as one page of ${2 * limit}`,
    () => `one page: ${shortIds(double.data)}\n  two pages: ${shortIds(walk.alerts.slice(0, span))}`,
  );
  const half = Math.floor(limit / 2);
  const shifted = await listAlerts(ctx, { ...window, skip: half, limit }, `a page starting mid-way: skip ${half}`);
  ctx.rule(
    sameSet(shifted.data, walk.alerts.slice(half, half + limit)),
    `skip ${half} excludes exactly the first ${half} alerts of the walk`,
    () => `skip ${half}: ${shortIds(shifted.data)}\n  walk[${half}..${half + limit - 1}]: ${shortIds(walk.alerts.slice(half, half + limit))}`,
  );
};
