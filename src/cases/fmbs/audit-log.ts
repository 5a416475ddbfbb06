/**
 * FortiMail Browser Security admin audit log (fortimail-browser-security-admin-audit-logs.txt):
 * `since` (Example 2), `limit` (Example 4), resuming Example 4's loop from a stored token, the
 * single entry (Example 3), and the refusals. The API is read-only: everything is read from
 * what the server returns; only the stub lets the resume test add entries, as a tenant would.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Source } from '../../checks/response.ts';
import { type CaseContext, scenario } from '../context.ts';
import { tooLittleData } from '../kit/data.ts';
import { expectRefusal } from '../kit/refusals.ts';
import { fmbsDoc, notes } from '../kit/sources.ts';
import { type Entry, type PageTokenParams, pageToken, timeOf } from '../paging/page-token.ts';
import { pagingParams } from '../paging/params.ts';

const LIST = 'listAdminAuditLogEntries';
const ENTRY = 'getAdminAuditLogEntry';
/** Entries the resume test adds to the stub's log after its walk. */
const NEW_ENTRIES = 5;
/** Well-formed (24 hex digits, as Example 3's id) and not issued by the stub. */
const UNKNOWN_ID = '000000000000000000c0ffee';

const S = {
  since: fmbsDoc('use the since parameter to return only those events that occurred [on or] after a specified timestamp.'),
  inclusive: fmbsDoc('The returned events are inclusive of the specified date/time.'),
  limit: fmbsDoc('limit: Limits the number of results that can be included in the response.'),
  empty: fmbsDoc('} while ($items.Length -ne 0)'),
  resume: fmbsDoc('# store $pageToken to a persistent state storage, unless it is $null'),
  resumeNew: notes('replaying it after new entries arrive returns them'),
  entry: fmbsDoc('You can fetch the details of a specific event in the admin audit log - based on the ID of the event.'),
} satisfies Record<string, Source>;

/** The page-token walker of the list operation, with its params from the spec. */
const walkerOf = (ctx: CaseContext) => {
  const p = pagingParams<PageTokenParams>(ctx.op(LIST), 'page-token');
  return { p, ...pageToken(ctx, p, LIST) };
};

/** The id of an existing entry when there is one: a refusal then shows it is about credentials, not the id. */
async function someId(ctx: CaseContext): Promise<string> {
  const { p, page } = walkerOf(ctx);
  const got = await page({ [p.limitParam]: 1 }, 'read one entry id');
  return got.items[0]?.id ?? UNKNOWN_ID;
}

export const auditLog = {
  /**
   * Example 2: "use the since parameter to return only those events that occurred [on or] after a
   * specified timestamp" ... "The returned events are inclusive of the specified date/time".
   * `since` is an entry's own timestamp, taken from a page: that entry is returned, nothing older is.
   */
  'fmbs.since-inclusive': scenario(async (ctx) => {
    const { p, page, timestampField } = walkerOf(ctx);
    const limit = p.pageSize;
    const first = await page({ [p.limitParam]: limit }, `the oldest ${limit} entries`);
    const field = timestampField(first.items);
    const items = first.items;
    // An entry from the middle that is strictly newer than the one before it: older entries exist to be left out.
    const mid = Math.max(1, Math.floor(items.length / 2));
    const newer = (i: number): boolean => timeOf(items[i]!, field) > timeOf(items[i - 1]!, field);
    const k = [...items.keys()].slice(mid).find(newer) ?? [...items.keys()].slice(1, mid).find(newer);
    if (k === undefined) tooLittleData(ctx, `no entry of the oldest ${items.length} is newer than the one before it: since cannot separate them`);
    const entry = items[k]!;
    const since = String(entry[field]);
    const got = await page({ since, [p.limitParam]: limit }, `since=${since} (entry ${entry.id})`);
    for (const e of got.items) {
      ctx.rule(timeOf(e, field) >= Date.parse(since), 'since returns only entries on or after it', S.since, () => ({
        expected: `on or after ${since}`,
        received: `${e.id} at ${String(e[field])}`,
      }));
    }
    ctx.rule(
      got.items.some((e) => e.id === entry.id),
      'the entry generated at since is returned',
      S.inclusive,
      () => ({ expected: `${entry.id} (${since})`, received: got.items.slice(0, 5).map((e) => `${e.id} (${String(e[field])})`) }),
    );
    const ids = new Set(got.items.map((e) => e.id));
    for (const e of items.slice(k)) {
      ctx.rule(ids.has(e.id), 'every entry generated on or after since is returned, oldest first', S.since, () => ({
        expected: `${e.id} (${String(e[field])})`,
        received: 'missing',
      }));
    }
  }),

  /** "limit: Limits the number of results that can be included in the response." */
  'fmbs.limit': scenario(async (ctx) => {
    const { p, page, timestampField, sameEntries } = walkerOf(ctx);
    const probe = await page({ [p.limitParam]: 10 }, 'the oldest 10 entries');
    if (probe.items.length <= 3) tooLittleData(ctx, `the log holds ${probe.items.length} entries; limit needs more than 3 to be seen at work`);
    const field = timestampField(probe.items);
    for (const limit of [1, 3]) {
      const got = await page({ [p.limitParam]: limit }, `limit=${limit}`);
      ctx.rule(got.items.length <= limit, 'limit caps the entries of a page', S.limit, () => ({ expected: `at most ${limit}`, received: got.items.length }));
      ctx.rule(got.items.length >= 1, 'a page is empty only when no entry is left (an empty page ends the loop)', S.empty, () => ({
        expected: `1..${limit}`,
        received: 0,
        detail: `the log holds ${probe.items.length} or more`,
      }));
      const cmp = sameEntries(probe.items, got.items, field);
      ctx.rule(cmp.same, `limit=${limit} returns the oldest entries, as a larger page does`, S.limit, cmp.evidence);
    }
  }),

  /**
   * Example 4 stores the token of the page that ended its walk, "unless it is $null", and runs the
   * loop again from it: it gets only entries newer than those it has seen. A server that gives no
   * token on the empty page conforms (field notes); resuming is then not checked.
   */
  'fmbs.resume': scenario(async (ctx) => {
    const { p, page, walk, sameEntries, usableToken } = walkerOf(ctx);
    const limit = p.pageSize;
    const first = await walk({ limit }, 'first run of the loop');
    if (!first.ended)
      tooLittleData(ctx, `the log has more than ${ctx.config.maxPages} pages of ${limit} entries: raise CONFORMANCE_MAX_PAGES to walk to its end`);

    // A token saved mid-walk, replayed: the same next page.
    const filled = first.pages.filter((x) => x.items.length > 0);
    if (filled.length >= 2 && usableToken(first.pages[0]!.next)) {
      const again = await page({ [p.limitParam]: limit, [p.tokenParam]: first.pages[0]!.next as string }, 'replay the token saved after page 1');
      const cmp = sameEntries(first.pages[1]!.items, again.items, first.field);
      ctx.rule(
        cmp.same && again.items.length === first.pages[1]!.items.length,
        'a saved token, replayed, returns the page that followed it',
        S.resume,
        cmp.evidence,
      );
    }

    const saved = first.lastToken;
    if (!usableToken(saved))
      return ctx.skip(`the page that ended the walk carries ${p.token} ${JSON.stringify(saved)}: a consumer stores no token, so resuming cannot be checked`);

    const added = ctx.live
      ? []
      : await ctx.step(`the stub's log grows by ${NEW_ENTRIES} entries`, async () => {
          // Stub mode only, so loaded only then: a live run never loads the stub.
          const { appendEntries } = await import('../../stub/fmbs/index.ts');
          return ctx.changeStub(`the log grows by ${NEW_ENTRIES} entries`, (state) => appendEntries(state, NEW_ENTRIES)) as unknown as Entry[];
        });
    const resumed = await walk({ limit, pageToken: saved, after: first.entries, field: first.field }, 'second run, from the saved token');
    if (!ctx.live) {
      // Compared by their timestamps: a server may show ids in its own shape.
      const at = (xs: readonly Entry[]) => xs.map((e) => String(e[first.field]));
      ctx.rule(
        resumed.entries.length === added.length && at(resumed.entries).every((t, i) => t === at(added)[i]),
        'resuming returns exactly the entries added since, oldest first',
        S.resumeNew,
        () => ({
          expected: at(added),
          received: at(resumed.entries),
        }),
      );
    }
  }),

  /** Example 3: "fetch the details of a specific event in the admin audit log - based on the ID of the event." */
  'fmbs.entry': scenario(async (ctx) => {
    const { p, page } = walkerOf(ctx);
    const list = await page({ [p.limitParam]: 10 }, 'list the oldest 10 entries');
    if (list.items.length === 0) tooLittleData(ctx, 'the log holds no entry');
    const picks = [...new Map([list.items[0]!, list.items[Math.floor(list.items.length / 2)]!, list.items.at(-1)!].map((e) => [e.id, e])).values()];
    for (const listed of picks) {
      const one = await ctx.step(`get entry ${listed.id}`, async () => (await ctx.call(ENTRY, { path: { auditlogId: listed.id } })).expect<Entry>(200));
      ctx.rule(one.id === listed.id, 'the entry fetched by its id is that entry', S.entry, () => ({ expected: listed.id, received: one.id }));
      // Field notes: "No public source lists the other entry fields: do not over-specify them." The
      // details may show fields the list leaves out and the other way round; a field both show agrees.
      for (const [k, v] of Object.entries(listed).filter(([k]) => k in one)) {
        ctx.rule(isDeepStrictEqual(one[k], v), 'the single entry agrees with the entry as listed', S.entry, () => ({
          expected: v,
          received: one[k],
          detail: `${listed.id}: "${k}"`,
        }));
      }
    }
  }),

  'fmbs.unknown-entry': scenario(async (ctx) => {
    const { p, page } = walkerOf(ctx);
    const list = await page({ [p.limitParam]: 100 }, 'list entries to be sure the id is unknown');
    if (list.items.some((e) => e.id === UNKNOWN_ID)) ctx.skip(`the log holds an entry with the id the suite uses as unknown (${UNKNOWN_ID})`);
    expectRefusal(ctx, await ctx.step(`get entry ${UNKNOWN_ID}`, () => ctx.call(ENTRY, { path: { auditlogId: UNKNOWN_ID } })));
  }),

  /** Field notes: "Tokens are OAuth2 client-credentials access tokens sent as `Authorization: Bearer <token>`." */
  'fmbs.no-credentials': scenario(async (ctx) => {
    const path = ctx.op().operationId === ENTRY ? { auditlogId: await someId(ctx) } : undefined;
    expectRefusal(ctx, await ctx.step('without the Authorization header', () => ctx.call(ctx.op().operationId, { path, auth: false })));
  }),

  'fmbs.wrong-token': scenario(async (ctx) => {
    const path = ctx.op().operationId === ENTRY ? { auditlogId: await someId(ctx) } : undefined;
    expectRefusal(ctx, await ctx.step('with a token never issued', () => ctx.call(ctx.op().operationId, { path, auth: 'Bearer conformance.invalid.token' })));
  }),
};
