/**
 * Broken variants of the FortiCASB stub (Get Alert List). Each breaks one sentence of
 * forticasb-get-alert-list.txt; the variants self-test (`npm run variants`, decision 0010) proves
 * the suite fails on every one, in the cases each names.
 */
import { json } from '../../core/http.ts';
import type { HandlerContext, StubResponse } from '../../core/types.ts';
import type { CasbState } from '../../forticasb/index.ts';
import { editJsonBody, withBearer } from '../reshape.ts';
import { type BrokenVariant, broken } from '../types.ts';

type Ctx = HandlerContext<CasbState>;
/** A broken variant as declared: `broken()` adds its kind. */
type M = Omit<BrokenVariant<CasbState>, 'kind'>;
const OP = ['getAlertList'];

/** Rewrites the JSON request body before the handler reads it. */
const withBody = editJsonBody;
const withHeader = (ctx: Ctx, name: string, value: string): Ctx =>
  ctx.req.headers[name] === undefined ? { ...ctx, req: { ...ctx.req, headers: { ...ctx.req.headers, [name]: value } } } : ctx;
const page = (r: StubResponse): Record<string, any> => r.body as Record<string, any>;
/** Rewrites a 200 page. */
const onPage = (r: StubResponse, edit: (p: Record<string, any>) => Record<string, any>): StubResponse =>
  r.status === 200 ? json(200, edit({ ...page(r) })) : r;

/**
 * Runs the handler on an edited body but answers with the skip and limit that were asked for, as
 * a server whose paging is broken inside (not in its echo) would.
 */
const pagingFault = async (ctx: Ctx, next: (c?: Ctx) => Promise<StubResponse>, edit: (b: Record<string, any>) => void): Promise<StubResponse> => {
  let skip: unknown;
  let limit: unknown;
  const edited = withBody(ctx, (b) => {
    skip = b.skip;
    limit = b.limit;
    edit(b);
  });
  return onPage(await next(edited), (p) => ({ ...p, skip, limit }));
};

const DEFAULTS: Readonly<Record<string, () => number>> = { startTime: () => 1, endTime: () => Date.now(), skip: () => 0, limit: () => 20 };
const FILTER_NAMES = ['user', 'policy', 'activity', 'objectIdList', 'objectName', 'severity', 'status', 'idList', 'alertType', 'countryList'];
/** The case of each filter (getAlertList.200.filter-<name>): it must exclude what the filter excludes. */
const FILTER_CASES = FILTER_NAMES.map((name) => `getAlertList.200.filter-${name.toLowerCase()}`);

const missingHeader = (header: string, lower: string, value: string): M => ({
  id: `casb-missing-${lower}-accepted`,
  product: 'forticasb',
  operations: OP,
  breaks: `"Request Header": a request without ${header} is served`,
  cases: [`getAlertList.400.no-${lower}-header`],
  wrap: async (ctx, next) => next(withHeader(ctx, lower, value)),
});

const missingField = (field: string): M => ({
  id: `casb-missing-${field.toLowerCase()}-accepted`,
  product: 'forticasb',
  operations: OP,
  breaks: `"Request Body Parameters": ${field} is Required, yet a body without it is served`,
  cases: [`getAlertList.400.no-${field.toLowerCase()}`],
  wrap: async (ctx, next) => next(withBody(ctx, (b) => void (b[field] ??= DEFAULTS[field]!()))),
});

const wrongType = (field: string): M => ({
  id: `casb-wrong-type-${field.toLowerCase()}-accepted`,
  product: 'forticasb',
  operations: OP,
  breaks: `${field} is ${field.endsWith('Time') ? 'long' : 'integer'}, yet a non-numeric ${field} is served (read as its default)`,
  cases: [`getAlertList.400.text-${field.toLowerCase()}`],
  wrap: async (ctx, next) =>
    next(withBody(ctx, (b) => void (typeof b[field] === 'string' && !/^\d+$/.test(b[field] as string) && (b[field] = DEFAULTS[field]!())))),
});

const filterIgnored = (name: string): M => ({
  id: `casb-filter-${name.toLowerCase()}-ignored`,
  product: 'forticasb',
  operations: OP,
  breaks: `the ${name} filter ("Filter to search alert by ...") is ignored`,
  cases: [`getAlertList.200.filter-${name.toLowerCase()}`],
  wrap: async (ctx, next) => next(withBody(ctx, (b) => void delete b[name])),
});

export const forticasbBroken: readonly BrokenVariant[] = (
  [
    {
      id: 'casb-auth-not-enforced',
      product: 'forticasb',
      operations: '*',
      breaks: '"Authorization Bearer <Authorization Token>": requests without a valid token are served',
      cases: ['getAlertList.401.no-credentials', 'getAlertList.401.wrong-token'],
      wrap: async (ctx, next) => next(withBearer(ctx, 'stub-casb-token')),
    },
    missingHeader('companyId', 'companyid', '6'),
    missingHeader('buId', 'buid', '6384'),
    missingHeader('service', 'service', 'Salesforce'),
    ...['startTime', 'endTime', 'skip', 'limit'].map(missingField),
    ...['startTime', 'endTime', 'skip', 'limit'].map(wrongType),
    ...FILTER_NAMES.map(filterIgnored),
    {
      id: 'casb-window-ignored',
      product: 'forticasb',
      operations: OP,
      breaks: 'startTime/endTime: "filter to get open alert time after start date" is ignored',
      cases: ['getAlertList.200.window'],
      wrap: async (ctx, next) => next(withBody(ctx, (b) => Object.assign(b, { startTime: 1, endTime: 8.64e15 }))),
    },
    {
      id: 'casb-window-start-ignored',
      product: 'forticasb',
      operations: OP,
      breaks: 'startTime is ignored (only endTime bounds the window)',
      cases: ['getAlertList.200.window'],
      wrap: async (ctx, next) => next(withBody(ctx, (b) => Object.assign(b, { startTime: 1 }))),
    },
    {
      id: 'casb-total-counts-all',
      product: 'forticasb',
      operations: OP,
      breaks: 'totalCount counts every alert of the tenant, not the matching ones',
      cases: [...FILTER_CASES, 'getAlertList.200.walk', 'getAlertList.200.window'],
      wrap: async (ctx, next) => onPage(await next(), (p) => ({ ...p, totalCount: ctx.state.alerts.length })),
    },
    {
      id: 'casb-total-counts-page',
      product: 'forticasb',
      operations: OP,
      breaks: 'totalCount counts the alerts of the page, not the matching ones',
      // An idList filter names the alerts it wants: the page holds all of them, so its count is right.
      cases: [...FILTER_CASES.filter((c) => c !== 'getAlertList.200.filter-idlist'), 'getAlertList.200.walk', 'getAlertList.200.window'],
      wrap: async (_ctx, next) => onPage(await next(), (p) => ({ ...p, totalCount: p.data.length })),
    },
    {
      id: 'casb-skip-ignored',
      product: 'forticasb',
      operations: OP,
      breaks: '"skip: ... Used to exclude response from the first N items" is ignored',
      cases: ['getAlertList.200.walk'],
      wrap: async (ctx, next) => pagingFault(ctx, next, (b) => Object.assign(b, { skip: 0 })),
    },
    {
      id: 'casb-limit-ignored',
      product: 'forticasb',
      operations: OP,
      breaks: '"limit: Maximum number of return items" is ignored',
      cases: ['getAlertList.200.walk'],
      wrap: async (ctx, next) => pagingFault(ctx, next, (b) => Object.assign(b, { limit: 10_000 })),
    },
    {
      id: 'casb-skip-overlap',
      product: 'forticasb',
      operations: OP,
      breaks: 'skip is off by one: each page repeats the last alert of the one before',
      cases: ['getAlertList.200.walk'],
      wrap: async (ctx, next) => pagingFault(ctx, next, (b) => typeof b.skip === 'number' && b.skip > 0 && (b.skip -= 1)),
    },
    {
      id: 'casb-skip-gap',
      product: 'forticasb',
      operations: OP,
      breaks: 'skip is off by one: an alert falls between each two pages',
      cases: ['getAlertList.200.walk'],
      wrap: async (ctx, next) => pagingFault(ctx, next, (b) => typeof b.skip === 'number' && b.skip > 0 && (b.skip += 1)),
    },
    {
      id: 'casb-past-end-not-empty',
      product: 'forticasb',
      operations: OP,
      breaks: 'a skip past the end answers the last page again instead of an empty one',
      cases: ['getAlertList.200.walk'],
      wrap: async (ctx, next) => {
        const r = await next();
        if (r.status !== 200 || page(r).data.length > 0) return r;
        return pagingFault(ctx, next, (b) => Object.assign(b, { skip: Math.max(0, page(r).totalCount - Number(b.limit)) }));
      },
    },
    {
      id: 'casb-limit-off-by-one',
      product: 'forticasb',
      operations: OP,
      breaks: 'limit returns one alert more than asked',
      cases: ['getAlertList.200.walk'],
      wrap: async (ctx, next) => pagingFault(ctx, next, (b) => typeof b.limit === 'number' && (b.limit += 1)),
    },
  ] satisfies M[]
).map(broken);
