/**
 * FortiCASB Get Alert List (forticasb-get-alert-list.txt): the time window and each optional
 * filter, read from what the server returns (never from seed data). Every request carries the
 * configured companyId, buId and service headers (the client adds them). A filter is checked
 * only with a value some alerts carry and others do not, so a server that ignored it fails;
 * where the target's alerts cannot show the difference, the test skips and says so.
 */
import type { Source } from '../../checks/response.ts';
import { type CaseContext, scenario, withParams } from '../context.ts';
import { tooLittleData } from '../kit/data.ts';
import { casbDoc } from '../kit/sources.ts';
import { pagingParams } from '../paging/params.ts';
import { type Item, type SkipLimitParams, skipLimit, wideWindow } from '../paging/skip-limit.ts';

/** Alerts read to choose filter values and windows from. */
const PROBE = 50;

const S = {
  start: casbDoc('startTime Required long Timestamp, filter to get open alert time after start date'),
  end: casbDoc('endTime Required long Timestamp, filter to get open alert time before start date'),
} satisfies Record<string, Source>;

/**
 * What each filter searches, as the suite reads the "Request Body Parameters" table. The table
 * names the filter, not the alert field it compares with, so an alert satisfies a filter when
 * any of the candidate fields holds one of the values (case-insensitive); the values sent are
 * all the candidates of one alert, so whichever field a server compares, that alert matches.
 */
interface FilterCheck {
  readonly source: Source;
  readonly fields: readonly string[];
  /** `objectName` is a String (a name, possibly matched in part), the others List<String>. */
  readonly single?: boolean;
  /** Values come from geoLocationList, whose element shape is not documented. */
  readonly countries?: boolean;
}

const FILTER_CHECKS: Readonly<Record<string, FilterCheck>> = {
  user: { source: casbDoc('user Optional List<String> Filter to search user email'), fields: ['userName', 'user', 'userId'] },
  policy: { source: casbDoc('policy Optional List<String> Filter to search alert id'), fields: ['policyId', 'policyName', 'policyCode'] },
  activity: { source: casbDoc('activity Optional List<String> Filter to search alert by activities'), fields: ['violationActivity', 'displayOperation'] },
  objectIdList: { source: casbDoc('objectIdList Optional List<String> Filter to search alert by object identity'), fields: ['objectId'] },
  objectName: { source: casbDoc('objectName Optional String Filter to search alert by object name'), fields: ['object'], single: true },
  severity: { source: casbDoc('severity Optional List<String> Filter to search alert by severity'), fields: ['severity'] },
  status: { source: casbDoc('status Optional List<String> Filter to search by status'), fields: ['state', 'status'] },
  idList: { source: casbDoc('idList Optional List<String> Filter to search alert by alert IDs'), fields: ['id'] },
  alertType: { source: casbDoc('alertType Optional List<String> Filter to search alert by alert types'), fields: ['alertType'] },
  countryList: { source: casbDoc('countryList Optional List<String> Filter to search alert by countries'), fields: [], countries: true },
};

const fold = (s: string): string => s.trim().toLowerCase();

function countriesOf(a: Item): string[] {
  const list = a.geoLocationList;
  if (!Array.isArray(list)) return [];
  return list.flatMap((g: unknown) => {
    if (typeof g === 'string') return [g];
    if (g && typeof g === 'object') {
      const o = g as Record<string, unknown>;
      return ['country', 'countryName', 'countryCode'].map((k) => o[k]).filter((v): v is string => typeof v === 'string' && v !== '');
    }
    return [];
  });
}

function valuesOf(a: Item, check: FilterCheck): string[] {
  const raw = check.countries ? countriesOf(a) : check.fields.map((f) => a[f]).filter((v): v is string => typeof v === 'string' && v !== '');
  return [...new Set(raw)];
}

function satisfies(a: Item, check: FilterCheck, sent: readonly string[]): boolean {
  const have = valuesOf(a, check).map(fold);
  if (check.single) return have.some((h) => sent.some((s) => h.includes(fold(s))));
  const wanted = new Set(sent.map(fold));
  return have.some((h) => wanted.has(h));
}

const walkerOf = (ctx: CaseContext) => {
  const p = pagingParams<SkipLimitParams>(ctx.op(), 'skip-limit');
  return { p, ...skipLimit(ctx, p) };
};

const createTimeOf = (a: Item): number => Number(a.createTime);

/** Alerts of the first page of a wide window; none on a live target is a skip, in the stub an error. */
async function probe(ctx: CaseContext): Promise<Item[]> {
  const { p, page } = walkerOf(ctx);
  const window = wideWindow(p);
  const items: Item[] = [];
  // A server that caps its pages below PROBE (and says so in its limit) is read page by page.
  for (let pages = 0; items.length < PROBE && pages < 10; pages++) {
    const got = await page(window, items.length, PROBE - items.length, `read up to ${PROBE} alerts of a wide window to choose values from`);
    items.push(...got.items);
    if (got.items.length === 0 || items.length >= got.total) break;
  }
  if (items.length === 0) tooLittleData(ctx, 'no alert in a wide window for the configured companyId, buId and service');
  return items;
}

export const alerts = {
  /**
   * startTime: "filter to get open alert time after start date"; endTime "... before" it: every
   * alert returned was created within the window (either end may be inclusive: the document does
   * not say), alerts before it are not counted, and alerts well inside it are returned.
   */
  'forticasb.window': scenario(async (ctx) => {
    const { p, page, walk, sources } = walkerOf(ctx);
    if (!p.window) throw new Error('[cases] forticasb.window needs the skip-limit params of a window (specs: params.window)');
    const { from, to } = p.window;
    const wide = wideWindow(p);
    const first = await probe(ctx);
    for (const a of first) {
      ctx.rule(createTimeOf(a) >= wide[from]! && createTimeOf(a) <= wide[to]!, 'every alert was created between startTime and endTime', S.start, () => ({
        expected: `${wide[from]}..${wide[to]}`,
        received: a.createTime,
        detail: `alert ${a.id}`,
      }));
    }
    const times = [...new Set(first.map(createTimeOf))].sort((x, y) => x - y);
    if (times.length < 3) tooLittleData(ctx, `the newest ${first.length} alerts carry fewer than three distinct createTimes: no narrower window can be chosen`);
    // startTime leaves at least the oldest createTime out, so that the rule below holds with either
    // end inclusive (three distinct times: the window is the newer two).
    const startTime = times[Math.max(1, Math.floor(times.length / 4))]!;
    const endTime = times[Math.floor((3 * times.length) / 4)]!;
    const totalWide = (await page(wide, 0, 1, 'count the wide window')).total;
    const narrow = await walk(
      { [from]: startTime, [to]: endTime },
      p.pageSize,
      `window ${new Date(startTime).toISOString()} .. ${new Date(endTime).toISOString()}`,
    );
    for (const a of narrow.items) {
      ctx.rule(createTimeOf(a) >= startTime && createTimeOf(a) <= endTime, 'every alert returned was created between startTime and endTime', S.end, () => ({
        expected: `${startTime}..${endTime}`,
        received: a.createTime,
        detail: `alert ${a.id}`,
      }));
    }
    ctx.rule(narrow.total < totalWide, 'alerts created before startTime are not counted', S.start, () => ({
      expected: `fewer than ${totalWide}`,
      received: narrow.total,
    }));
    if (narrow.complete) {
      const got = new Set(narrow.items.map((a) => String(a.id)));
      for (const a of first.filter((x) => createTimeOf(x) > startTime && createTimeOf(x) < endTime)) {
        ctx.rule(got.has(String(a.id)), 'every alert created inside the window is returned', sources.total, () => ({
          expected: `alert ${a.id} (${a.createTime})`,
          received: 'missing',
        }));
      }
    }
  }),

  /**
   * Each optional filter narrows the result: every alert returned satisfies it, the total is less
   * than the unfiltered one (the probe page holds alerts it must drop), and the alert the values
   * were taken from is among the results.
   */
  'forticasb.filter': withParams<{ filter: string }>(
    { properties: { filter: { enum: Object.keys(FILTER_CHECKS) } }, required: ['filter'] },
    async (ctx, { filter: name }) => {
      const check = FILTER_CHECKS[name]!;
      const { p, page, walk } = walkerOf(ctx);
      const first = await probe(ctx);
      // The alert whose values match the fewest alerts of the page: the filter then visibly narrows.
      let source: { alert: Item; values: string[]; matching: number } | undefined;
      for (const alert of first) {
        const values = check.single ? valuesOf(alert, check).slice(0, 1) : valuesOf(alert, check);
        if (values.length === 0) continue;
        const matching = first.filter((a) => satisfies(a, check, values)).length;
        if (!source || matching < source.matching) source = { alert, values, matching };
      }
      if (!source || source.matching === first.length) {
        const why = !source
          ? `no alert of the newest ${first.length} carries a value for ${name} (${check.countries ? 'geoLocationList countries' : check.fields.join(', ')})`
          : `all ${first.length} newest alerts share the ${name} value, so the filter cannot be seen to narrow`;
        tooLittleData(ctx, why);
      }
      const window = wideWindow(p);
      const unfiltered = (await page(window, 0, 1, 'count without the filter')).total;
      const filter = { [name]: check.single ? source.values[0] : source.values };
      const got = await walk({ ...window, ...filter }, p.pageSize, `${name} = ${JSON.stringify(filter[name])}`);
      for (const a of got.items) {
        ctx.rule(satisfies(a, check, source.values), 'every alert returned matches the filter', check.source, () => ({
          expected: `${name} ${JSON.stringify(filter[name])}`,
          received: check.countries ? countriesOf(a) : Object.fromEntries(check.fields.map((f) => [f, a[f]])),
          detail: `alert ${a.id}`,
        }));
      }
      ctx.rule(got.total < unfiltered, 'the filter drops the alerts that do not match', check.source, () => ({
        expected: `fewer than ${unfiltered} (alerts without the value exist)`,
        received: got.total,
      }));
      ctx.rule(got.total >= 1, 'the alert the value was taken from matches it', check.source, () => ({
        expected: `alert ${source.alert.id}`,
        received: 'nothing',
      }));
      if (got.complete) {
        const ids = new Set(got.items.map((a) => String(a.id)));
        ctx.rule(ids.has(String(source.alert.id)), 'the alert the value was taken from is returned', check.source, () => ({
          expected: `alert ${source.alert.id}`,
          received: 'missing',
        }));
        // With one candidate field there is no doubt which alerts match: all of those on the probe page must be returned.
        if (check.fields.length === 1 && !check.single) {
          for (const a of first.filter((x) => satisfies(x, check, source.values))) {
            ctx.rule(ids.has(String(a.id)), 'every matching alert is returned', check.source, () => ({ expected: `alert ${a.id}`, received: 'missing' }));
          }
        }
      }
    },
  ),
};
