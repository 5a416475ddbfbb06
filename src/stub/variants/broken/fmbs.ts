/**
 * Broken variants of the FortiMail Browser Security stub (admin audit log). Each breaks one
 * sentence of fortimail-browser-security-admin-audit-logs.txt or one behaviour the field notes
 * record; the variants self-test (`npm run variants`, decision 0010) proves the suite fails on
 * every one, in the cases each names.
 */
import { json } from '../../core/http.ts';
import type { HandlerContext, StubResponse } from '../../core/types.ts';
import type { FmbsState } from '../../fmbs/index.ts';
import { encodeToken } from '../../fmbs/token.ts';
import { answered, withBearer, withQuery } from '../reshape.ts';
import { type BrokenVariant, broken } from '../types.ts';

type Ctx = HandlerContext<FmbsState>;
/** A broken variant as declared: `broken()` adds its kind. */
type M = Omit<BrokenVariant<FmbsState>, 'kind'>;
const LIST = ['listAdminAuditLogEntries'];
const ONE = ['getAdminAuditLogEntry'];

const page = (r: StubResponse): { items: any[]; nextPageToken?: string | null } => r.body as { items: any[]; nextPageToken?: string | null };
const onPage = (r: StubResponse, edit: (p: { items: any[]; nextPageToken?: string | null }) => unknown): StubResponse =>
  r.status === 200 ? json(200, edit({ ...page(r) })) : r;
const hasToken = (ctx: Ctx): boolean => !!ctx.req.query.get('pageToken');

export const fmbsBroken: readonly BrokenVariant[] = (
  [
    {
      id: 'fmbs-auth-not-enforced',
      product: 'fmbs',
      operations: '*',
      breaks: 'Bearer tokens (field notes): requests without a valid token are served',
      cases: ['getAdminAuditLogEntry.401', 'listAdminAuditLogEntries.401.no-credentials', 'listAdminAuditLogEntries.401.wrong-token'],
      wrap: async (ctx, next) => next(withBearer(ctx, 'stub-fmbs-token')),
    },
    {
      id: 'fmbs-since-exclusive',
      product: 'fmbs',
      operations: LIST,
      breaks: '"The returned events are inclusive of the specified date/time" (answered exclusive)',
      cases: ['listAdminAuditLogEntries.200.since'],
      wrap: async (ctx, next) => next(withQuery(ctx, (q) => q.get('since') && q.set('since', new Date(Date.parse(q.get('since')!) + 1).toISOString()))),
    },
    {
      id: 'fmbs-since-ignored',
      product: 'fmbs',
      operations: LIST,
      breaks: '"since: Limits the response to device event entries that were generated since a specified timestamp" is ignored',
      cases: ['listAdminAuditLogEntries.200.since'],
      wrap: async (ctx, next) => next(withQuery(ctx, (q) => q.delete('since'))),
    },
    {
      id: 'fmbs-newest-first',
      product: 'fmbs',
      operations: LIST,
      breaks: '"sorted in chronological order - the first entry is the oldest" (each page newest first)',
      cases: ['listAdminAuditLogEntries.200.walk'],
      wrap: async (_ctx, next) => onPage(await next(), (p) => ({ ...p, items: [...p.items].reverse() })),
    },
    {
      id: 'fmbs-limit-ignored',
      product: 'fmbs',
      operations: LIST,
      breaks: '"limit: Limits the number of results that can be included in the response" is ignored',
      cases: ['listAdminAuditLogEntries.200.limit', 'listAdminAuditLogEntries.200.resume', 'listAdminAuditLogEntries.200.walk'],
      wrap: async (ctx, next) => next(withQuery(ctx, (q) => q.set('limit', '1000'))),
    },
    {
      id: 'fmbs-limit-off-by-one',
      product: 'fmbs',
      operations: LIST,
      breaks: 'a page holds one entry more than limit',
      cases: ['listAdminAuditLogEntries.200.limit', 'listAdminAuditLogEntries.200.resume', 'listAdminAuditLogEntries.200.walk'],
      wrap: async (ctx, next) => next(withQuery(ctx, (q) => q.get('limit') && q.set('limit', String(Number(q.get('limit')) + 1)))),
    },
    {
      id: 'fmbs-small-limit-empty',
      product: 'fmbs',
      operations: LIST,
      breaks: 'a small limit answers an empty page although entries are left (ending the loop early)',
      cases: ['listAdminAuditLogEntries.200.limit'],
      wrap: async (ctx, next) => (Number(ctx.req.query.get('limit')) < 5 ? onPage(await next(), (p) => ({ ...p, items: [] })) : next()),
    },
    {
      id: 'fmbs-token-missing-mid-walk',
      product: 'fmbs',
      operations: LIST,
      breaks: '"pageToken: A token that is used to retrieve the next page": pages with entries carry none',
      cases: ['listAdminAuditLogEntries.200.walk'],
      wrap: async (_ctx, next) => onPage(await next(), (p) => ({ items: p.items })),
    },
    {
      id: 'fmbs-token-ignored',
      product: 'fmbs',
      operations: LIST,
      breaks: 'pageToken is ignored: every page is the first one again (the loop never ends)',
      cases: ['listAdminAuditLogEntries.200.resume', 'listAdminAuditLogEntries.200.walk'],
      wrap: async (ctx, next) => next(withQuery(ctx, (q) => q.delete('pageToken'))),
    },
    {
      id: 'fmbs-token-gap',
      product: 'fmbs',
      operations: LIST,
      breaks: 'the next page skips one entry: an entry falls between two pages',
      cases: ['listAdminAuditLogEntries.200.resume', 'listAdminAuditLogEntries.200.walk'],
      wrap: async (ctx, next) => (hasToken(ctx) ? onPage(await next(), (p) => ({ ...p, items: p.items.slice(1) })) : next()),
    },
    {
      id: 'fmbs-token-overlap',
      product: 'fmbs',
      operations: LIST,
      breaks: 'the next page repeats the last entry of the page before',
      cases: ['listAdminAuditLogEntries.200.walk'],
      wrap: async (ctx, next) => {
        if (!hasToken(ctx)) return next();
        return onPage(await next(), (p) => {
          const first = p.items[0];
          const i = first ? ctx.state.entries.findIndex((e) => e.id === first.id) : -1;
          return i > 0 ? { ...p, items: [ctx.state.entries[i - 1], ...p.items] } : p;
        });
      },
    },
    {
      id: 'fmbs-never-ends',
      product: 'fmbs',
      operations: LIST,
      breaks: 'Example 4 loops "while ($items.Length -ne 0)": the log never answers an empty page (the last entry again)',
      cases: ['listAdminAuditLogEntries.200.walk'],
      wrap: async (ctx, next) =>
        onPage(await next(), (p) => (p.items.length === 0 && ctx.state.entries.length ? { ...p, items: [ctx.state.entries.at(-1)] } : p)),
    },
    {
      id: 'fmbs-resume-from-start',
      product: 'fmbs',
      operations: LIST,
      breaks: "the final page's token restarts the log: resuming returns old entries again",
      cases: ['listAdminAuditLogEntries.200.resume'],
      wrap: async (_ctx, next) => onPage(await next(), (p) => (p.items.length === 0 ? { ...p, nextPageToken: encodeToken({ kind: 'start' }) } : p)),
    },
    {
      id: 'fmbs-resume-loses-new',
      product: 'fmbs',
      operations: LIST,
      breaks: 'field notes: "replaying the token after new entries arrive returns them" (they are skipped)',
      cases: ['listAdminAuditLogEntries.200.resume'],
      wrap: async (_ctx, next) =>
        onPage(await next(), (p) => (p.items.length === 0 ? { ...p, nextPageToken: encodeToken({ kind: 'since', since: '2999-01-01T00:00:00.000Z' }) } : p)),
    },
    {
      id: 'fmbs-entry-wrong',
      product: 'fmbs',
      operations: ONE,
      breaks: 'Example 3: the entry fetched by id is another entry',
      cases: ['getAdminAuditLogEntry.200'],
      wrap: async (ctx, next) => {
        const i = ctx.state.entries.findIndex((e) => e.id === ctx.params.auditlogId);
        const other = ctx.state.entries[i + 1] ?? ctx.state.entries[0];
        return i >= 0 && other ? json(200, other) : next();
      },
    },
    {
      id: 'fmbs-entry-field-differs',
      product: 'fmbs',
      operations: ONE,
      breaks: 'Example 3: the single entry disagrees with the listed one (timestamp without milliseconds)',
      cases: ['getAdminAuditLogEntry.200'],
      wrap: answered<FmbsState>(200, (r) => {
        const e = r.body as Record<string, unknown>;
        return json(200, { ...e, timestamp: String(e.timestamp).replace(/\.\d+Z$/, 'Z') });
      }),
    },
    {
      id: 'fmbs-unknown-entry-200',
      product: 'fmbs',
      operations: ONE,
      breaks: 'an unknown entry id is answered 200 (with some other entry)',
      cases: ['getAdminAuditLogEntry.404'],
      wrap: answered<FmbsState>(404, (r, ctx) => (ctx.state.entries[0] ? json(200, ctx.state.entries[0]) : r)),
    },
  ] satisfies M[]
).map(broken);
