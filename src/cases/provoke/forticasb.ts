/**
 * FortiCASB Get Alert List (forticasb-get-alert-list.txt): the time window, each optional filter,
 * and the refusals (missing header, missing or mistyped required body field, no or wrong
 * credentials). Every request carries the configured companyId, buId and service headers (the
 * client adds them); filter values are taken from what the server returns, never from seed data.
 */
import type { ApiResponse } from '../../client/api.ts';
import type { CaseContext, Scenario } from '../context.ts';
import { ALERT_LIST, type Alert, listAlerts, SAMPLE_LIMIT, tooLittleData, walkAlerts, wideWindow } from '../paging/skip-limit.ts';

/** Alerts read to choose filter values and windows from. */
const PROBE = 50;

/**
 * A refusal: the documented status (or one of its x-accept-status). The document describes no
 * error body, so a body that is empty or not JSON is judged by its status alone; a JSON body is
 * checked against the response's schema as any other.
 */
export function expectRefusal(ctx: CaseContext, res: ApiResponse, status: string = ctx.case.status): void {
  const spec = ctx.op().responses[status];
  if (spec && (res.body.length === 0 || !/json/i.test(res.contentType))) {
    ctx.rule(spec.acceptStatus.includes(res.status), `${spec.description} (${spec.acceptStatus.join(' or ')})`, () =>
      ctx.api.redactor.text(`${res.method} ${res.url} answered ${res.status}: ${res.text.slice(0, 200)}`),
    );
    return;
  }
  ctx.expect(res, status);
}

/** A valid request body: the sample's required fields over a wide window. */
const validBody = (): Record<string, unknown> => ({ ...wideWindow(), skip: 0, limit: SAMPLE_LIMIT });

/**
 * What each filter searches, as the suite reads the "Request Body Parameters" table. The table
 * names the filter, not the alert field it compares with, so an alert satisfies a filter when
 * any of the candidate fields holds one of the values (case-insensitive); the values sent are
 * all the candidates of one alert, so whichever field a server compares, that alert matches.
 */
interface FilterCheck {
  readonly sentence: string;
  readonly fields: readonly string[];
  /** `objectName` is a String (a name, possibly matched in part), the others List<String>. */
  readonly single?: boolean;
  /** Values come from geoLocationList, whose element shape is not documented. */
  readonly countries?: boolean;
}

const FILTER_CHECKS: Readonly<Record<string, FilterCheck>> = {
  user: { sentence: '"user: Filter to search user email"', fields: ['userName', 'user', 'userId'] },
  policy: { sentence: '"policy: Filter to search alert id" (by the alert\'s policy)', fields: ['policyId', 'policyName', 'policyCode'] },
  activity: { sentence: '"activity: Filter to search alert by activities"', fields: ['violationActivity', 'displayOperation'] },
  objectIdList: { sentence: '"objectIdList: Filter to search alert by object identity"', fields: ['objectId'] },
  objectName: { sentence: '"objectName: Filter to search alert by object name"', fields: ['object'], single: true },
  severity: { sentence: '"severity: Filter to search alert by severity"', fields: ['severity'] },
  status: { sentence: '"status: Filter to search by status"', fields: ['state', 'status'] },
  idList: { sentence: '"idList: Filter to search alert by alert IDs"', fields: ['id'] },
  alertType: { sentence: '"alertType: Filter to search alert by alert types"', fields: ['alertType'] },
  countryList: { sentence: '"countryList: Filter to search alert by countries"', fields: [], countries: true },
};

const fold = (s: string): string => s.trim().toLowerCase();

function countriesOf(a: Alert): string[] {
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

function valuesOf(a: Alert, check: FilterCheck): string[] {
  const raw = check.countries ? countriesOf(a) : check.fields.map((f) => a[f]).filter((v): v is string => typeof v === 'string' && v !== '');
  return [...new Set(raw)];
}

function satisfies(a: Alert, check: FilterCheck, sent: readonly string[]): boolean {
  const have = valuesOf(a, check).map(fold);
  if (check.single) return have.some((h) => sent.some((s) => h.includes(fold(s))));
  const wanted = new Set(sent.map(fold));
  return have.some((h) => wanted.has(h));
}

/** Alerts of the newest page of a wide window; none on a live target is a skip, in the stub a failure. */
async function probe(ctx: CaseContext): Promise<Alert[]> {
  const page = await listAlerts(ctx, { ...wideWindow(), skip: 0, limit: PROBE }, `read up to ${PROBE} alerts of a wide window to choose values from`);
  if (page.data.length === 0) tooLittleData(ctx, 'no alert in a wide window for the configured companyId, buId and service');
  return page.data;
}

/** Sends without one of the client's default headers. */
function postWithoutHeader(ctx: CaseContext, header: string, body: unknown): Promise<ApiResponse> {
  return ctx.api.post(ALERT_LIST, body, { headers: { [header]: undefined } });
}

export const forticasb: Readonly<Record<string, Scenario>> = {
  /**
   * "startTime ... Timestamp, filter to get open alert time after start date"; "endTime ...
   * before" it: every alert returned was created within the window (either end may be
   * inclusive: the document does not say), alerts before it are not counted, and alerts well
   * inside it are returned.
   */
  'forticasb.window': async (ctx) => {
    const wide = wideWindow();
    const first = await probe(ctx);
    for (const a of first) {
      ctx.rule(
        a.createTime >= wide.startTime && a.createTime <= wide.endTime,
        'every alert was created between startTime and endTime',
        () => `alert ${a.id} createTime ${a.createTime}, window ${wide.startTime}..${wide.endTime}`,
      );
    }
    const times = [...new Set(first.map((a) => a.createTime))].sort((x, y) => x - y);
    if (times.length < 3) tooLittleData(ctx, `the newest ${first.length} alerts carry fewer than three distinct createTimes: no narrower window can be chosen`);
    const startTime = times[Math.floor(times.length / 4)]!;
    const endTime = times[Math.floor((3 * times.length) / 4)]!;
    const totalWide = (await listAlerts(ctx, { ...wide, skip: 0, limit: 1 }, 'count the wide window')).totalCount;
    const walk = await walkAlerts(
      ctx,
      { startTime, endTime },
      SAMPLE_LIMIT,
      `window ${new Date(startTime).toISOString()} .. ${new Date(endTime).toISOString()}`,
    );
    for (const a of walk.alerts) {
      ctx.rule(
        a.createTime >= startTime && a.createTime <= endTime,
        'every alert returned was created between startTime and endTime',
        () => `alert ${a.id} createTime ${a.createTime} (${new Date(a.createTime).toISOString()}), window ${startTime}..${endTime}`,
      );
    }
    ctx.rule(
      walk.totalCount < totalWide,
      'alerts created before startTime are not counted',
      () => `the window counts ${walk.totalCount}, the wide window ${totalWide}; alert createTimes before ${startTime} exist`,
    );
    if (walk.complete) {
      const got = new Set(walk.alerts.map((a) => a.id));
      for (const a of first.filter((x) => x.createTime > startTime && x.createTime < endTime)) {
        ctx.rule(
          got.has(a.id),
          'every alert created inside the window is returned',
          () => `alert ${a.id} createTime ${a.createTime} is missing from the window ${startTime}..${endTime}`,
        );
      }
    }
  },

  /**
   * Each optional filter narrows the result: every alert returned satisfies it, totalCount is at
   * most the unfiltered one, and the alert the values were taken from is among the results.
   */
  'forticasb.filter': async (ctx) => {
    const name = String(ctx.case.params.filter);
    const check = FILTER_CHECKS[name];
    if (!check) throw new Error(`[cases] forticasb.filter has no check for filter "${name}"`);
    const first = await probe(ctx);
    // The alert whose values match the fewest alerts of the page: the filter then visibly narrows.
    let source: { alert: Alert; values: string[]; matching: number } | undefined;
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
    const window = wideWindow();
    const unfiltered = (await listAlerts(ctx, { ...window, skip: 0, limit: 1 }, 'count without the filter')).totalCount;
    const filter = { [name]: check.single ? source.values[0] : source.values };
    const walk = await walkAlerts(ctx, { ...window, ...filter }, SAMPLE_LIMIT, `${name} = ${JSON.stringify(filter[name])}`);
    for (const a of walk.alerts) {
      ctx.rule(
        satisfies(a, check, source.values),
        `${check.sentence}: every alert returned matches the filter`,
        () =>
          `alert ${a.id} has ${check.countries ? `countries ${JSON.stringify(countriesOf(a))}` : check.fields.map((f) => `${f}=${JSON.stringify(a[f])}`).join(', ')}; the filter was ${JSON.stringify(filter[name])}`,
      );
    }
    ctx.rule(
      walk.totalCount <= unfiltered,
      `${check.sentence}: the filter never widens the result`,
      () => `totalCount ${walk.totalCount} with the filter, ${unfiltered} without`,
    );
    ctx.rule(
      walk.totalCount >= 1,
      `${check.sentence}: the alert the value was taken from matches it`,
      () => `alert ${source.alert.id} has ${JSON.stringify(source.values)}, the filter found nothing`,
    );
    if (walk.complete) {
      const got = new Set(walk.alerts.map((a) => a.id));
      ctx.rule(got.has(source.alert.id), `${check.sentence}: the alert the value was taken from is returned`, () => `alert ${source.alert.id} is missing`);
      // With one candidate field there is no doubt which alerts match: all of those on the probe page must be returned.
      if (check.fields.length === 1 && !check.single) {
        for (const a of first.filter((x) => satisfies(x, check, source.values))) {
          ctx.rule(
            got.has(a.id),
            `${check.sentence}: every matching alert is returned`,
            () => `alert ${a.id} (${check.fields[0]}=${JSON.stringify(a[check.fields[0]!])}) is missing`,
          );
        }
      }
    }
  },

  /** "Request Header": companyId, buId and service are part of every request; without one the request is refused. */
  'forticasb.missing-header': async (ctx) => {
    const header = String(ctx.case.params.header);
    const res = await ctx.step(`send a valid body without the ${header} header`, () => postWithoutHeader(ctx, header, validBody()));
    expectRefusal(ctx, res);
  },

  /** "Request Body Parameters": startTime, endTime, skip and limit are "Required". */
  'forticasb.missing-field': async (ctx) => {
    const field = String(ctx.case.params.field);
    const body = validBody();
    delete body[field];
    const res = await ctx.step(`send a body without ${field}`, () => ctx.api.post(ALERT_LIST, body));
    expectRefusal(ctx, res);
  },

  /**
   * startTime and endTime are "long", skip and limit "integer". A numeric string could be coerced
   * by a lenient parser (Jackson does), so the wrong type sent is a string that is no number.
   */
  'forticasb.wrong-type': async (ctx) => {
    const field = String(ctx.case.params.field);
    const res = await ctx.step(`send ${field} as "not-a-number"`, () => ctx.api.post(ALERT_LIST, { ...validBody(), [field]: 'not-a-number' }));
    expectRefusal(ctx, res);
  },

  /** "Authorization Bearer <Authorization Token> ... Authorization credential generated by FortiCASB": none, none accepted. */
  'forticasb.no-credentials': async (ctx) => {
    const res = await ctx.step('send a valid request without the Authorization header', () => ctx.api.post(ALERT_LIST, validBody(), { auth: false }));
    expectRefusal(ctx, res);
  },

  'forticasb.wrong-token': async (ctx) => {
    const res = await ctx.step('send a valid request with a token FortiCASB never generated', () =>
      ctx.api.post(ALERT_LIST, validBody(), { auth: 'Bearer conformance.invalid.token' }),
    );
    expectRefusal(ctx, res);
  },
};
