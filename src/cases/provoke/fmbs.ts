/**
 * FortiMail Browser Security admin audit log (fortimail-browser-security-admin-audit-logs.txt):
 * `since` (Example 2), `limit` (Example 4), resuming Example 4's loop from a stored token, the
 * single entry (Example 3), and the refusals. The API is read-only: everything is read from
 * what the server returns; only the stub lets the resume test add entries, as a tenant would.
 */
import type { CaseContext, Scenario } from '../context.ts';
import { ENTRIES, type Entry, listEntries, sameEntries, timeOf, timestampField, walkEntries, walkLimit } from '../paging/page-token.ts';
import { tooLittleData } from '../paging/skip-limit.ts';
import { expectRefusal } from './forticasb.ts';

const ENTRY_OP = 'getAdminAuditLogEntry';
/** Entries the resume test adds to the stub's log after its walk. */
const NEW_ENTRIES = 5;
/** Well-formed (24 hex digits, as Example 3's id) and not issued by the stub. */
const UNKNOWN_ID = '000000000000000000c0ffee';

const entryPath = (id: string): string => `${ENTRIES}/${encodeURIComponent(id)}`;

/** The id of an existing entry when there is one: a refusal then shows it is about credentials, not the id. */
async function someId(ctx: CaseContext): Promise<string> {
  const page = await listEntries(ctx, { limit: 1 }, 'read one entry id');
  return page.items[0]?.id ?? UNKNOWN_ID;
}

const deepEqual = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
const canonical = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(canonical)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
        )
      : v;

export const fmbs: Readonly<Record<string, Scenario>> = {
  /**
   * Example 2: "use the since parameter to return only those events that occurred [on or] after
   * a specified timestamp" ... "The returned events are inclusive of the specified date/time."
   * `since` is an entry's own timestamp, taken from a page: that entry is returned, nothing older is.
   */
  'fmbs.since-inclusive': async (ctx) => {
    const limit = walkLimit(ctx);
    const first = await listEntries(ctx, { limit }, `the oldest ${limit} entries`);
    const field = timestampField(ctx, first.items);
    const items = first.items;
    // An entry from the middle that is strictly newer than the one before it.
    const mid = Math.max(1, Math.floor(items.length / 2));
    const newer = (i: number): boolean => timeOf(items[i]!, field) > timeOf(items[i - 1]!, field);
    const k = [...items.keys()].slice(mid).find(newer) ?? [...items.keys()].slice(1, mid).find(newer);
    if (k === undefined) tooLittleData(ctx, `no entry of the oldest ${items.length} is newer than the one before it: since cannot separate them`);
    const entry = items[k]!;
    const since = String(entry[field]);
    const page = await listEntries(ctx, { since, limit }, `since=${since} (entry ${entry.id})`);
    for (const e of page.items) {
      ctx.rule(
        timeOf(e, field) >= Date.parse(since),
        '"return only those events that occurred [on or] after a specified timestamp"',
        () => `entry ${e.id} (${String(e[field])}) is older than since=${since}`,
      );
    }
    ctx.rule(
      page.items.some((e) => e.id === entry.id),
      '"The returned events are inclusive of the specified date/time": the entry generated at since is returned',
      () =>
        `entry ${entry.id} (${since}) is missing; returned: ${page.items
          .slice(0, 5)
          .map((e) => `${e.id} (${String(e[field])})`)
          .join(', ')}`,
    );
    const got = new Set(page.items.map((e) => e.id));
    for (const e of items.slice(k)) {
      ctx.rule(
        got.has(e.id),
        'every entry generated on or after since is returned, oldest first',
        () => `entry ${e.id} (${String(e[field])}) from the unfiltered page is missing`,
      );
    }
  },

  /** "limit: Limits the number of results that can be included in the response." */
  'fmbs.limit': async (ctx) => {
    const probe = await listEntries(ctx, { limit: 10 }, 'the oldest 10 entries');
    if (probe.items.length <= 3) tooLittleData(ctx, `the log holds ${probe.items.length} entries; limit needs more than 3 to be seen at work`);
    const field = timestampField(ctx, probe.items);
    for (const limit of [1, 3]) {
      const page = await listEntries(ctx, { limit }, `limit=${limit}`);
      ctx.rule(
        page.items.length <= limit,
        '"limit: Limits the number of results that can be included in the response."',
        () => `limit ${limit}, received ${page.items.length} entries`,
      );
      ctx.rule(
        page.items.length >= 1,
        "a page is empty only when no entry is left (an empty page ends Example 4's loop)",
        () => `limit ${limit} returned no entry although the log holds ${probe.items.length} or more`,
      );
      const cmp = sameEntries(probe.items, page.items, field);
      ctx.rule(cmp.same, `limit=${limit} returns the oldest entries, as a larger page does`, cmp.evidence);
    }
  },

  /**
   * Example 4: "load $pageToken from a persistent state storage" ... "store $pageToken to a
   * persistent state storage, unless it is $null". A consumer that stored the token of the page
   * that ended its walk and runs the loop again gets only entries newer than those it has seen.
   * Field notes: "Every page carries a nextPageToken, including the final page with no items ...
   * replaying the token after new entries arrive returns them."
   */
  'fmbs.resume': async (ctx) => {
    const limit = walkLimit(ctx);
    const walk = await walkEntries(ctx, { limit }, 'first run of the loop');
    if (!walk.ended)
      tooLittleData(ctx, `the log has more than ${ctx.config.maxPages} pages of ${limit} entries: raise CONFORMANCE_MAX_PAGES to walk to its end`);
    const saved = walk.lastToken;
    ctx.rule(
      typeof saved === 'string' && saved !== '',
      'the page with no items carries a nextPageToken to resume from (field notes; Example 4 stores it)',
      () => `the last page has nextPageToken ${JSON.stringify(saved)}`,
    );

    // A token saved mid-walk, replayed: the same next page.
    const filled = walk.pages.filter((p) => p.items.length > 0);
    if (filled.length >= 2 && typeof walk.pages[0]!.nextPageToken === 'string') {
      const again = await listEntries(ctx, { limit, pageToken: walk.pages[0]!.nextPageToken }, 'replay the token saved after page 1');
      const cmp = sameEntries(walk.pages[1]!.items, again.items, walk.field);
      ctx.rule(cmp.same && again.items.length === walk.pages[1]!.items.length, 'a saved token, replayed, returns the page that followed it', cmp.evidence);
    }

    const added = ctx.live
      ? []
      : await ctx.step(`the stub's log grows by ${NEW_ENTRIES} entries`, async () => {
          // Stub mode only, so loaded only then: a live run never loads the stub.
          const { appendEntries } = await import('../../stub/fmbs/index.ts');
          return appendEntries(ctx.stubState, NEW_ENTRIES) as unknown as Entry[];
        });
    const resumed = await walkEntries(ctx, { limit, pageToken: saved as string, after: walk.entries, field: walk.field }, 'second run, from the saved token');
    if (!ctx.live) {
      ctx.rule(
        resumed.entries.length === added.length && resumed.entries.every((e, i) => e.id === added[i]!.id),
        'resuming returns exactly the entries added since, oldest first',
        () => `added ${added.map((e) => e.id).join(', ')}\n  resumed ${resumed.entries.map((e) => e.id).join(', ')}`,
      );
    }
  },

  /** Example 3: "fetch the details of a specific event in the admin audit log - based on the ID of the event." */
  'fmbs.entry': async (ctx) => {
    const page = await listEntries(ctx, { limit: 10 }, 'list the oldest 10 entries');
    if (page.items.length === 0) tooLittleData(ctx, 'the log holds no entry');
    const picks = [...new Map([page.items[0]!, page.items[Math.floor(page.items.length / 2)]!, page.items.at(-1)!].map((e) => [e.id, e])).values()];
    for (const listed of picks) {
      const one = await ctx.step(`GET ${ENTRIES}/${listed.id}`, async () => ctx.expect<Entry>(await ctx.api.get(entryPath(listed.id)), 200, ENTRY_OP));
      ctx.rule(one.id === listed.id, 'the entry fetched by its id is that entry', () => `asked for ${listed.id}, received ${one.id}`);
      for (const [k, v] of Object.entries(listed)) {
        ctx.rule(
          deepEqual(one[k], v),
          'the single entry agrees with the entry as listed',
          () => `${listed.id}: "${k}" is ${JSON.stringify(v)} in the list, ${JSON.stringify(one[k])} alone`,
        );
      }
    }
  },

  'fmbs.unknown-entry': async (ctx) => {
    const page = await listEntries(ctx, { limit: 100 }, 'list entries to be sure the id is unknown');
    if (page.items.some((e) => e.id === UNKNOWN_ID)) ctx.skip(`the log holds an entry with the id the suite uses as unknown (${UNKNOWN_ID})`);
    const res = await ctx.step(`GET ${ENTRIES}/${UNKNOWN_ID}`, () => ctx.api.get(entryPath(UNKNOWN_ID)));
    expectRefusal(ctx, res);
  },

  /** Field notes: "Tokens are OAuth2 client-credentials access tokens sent as `Authorization: Bearer <token>`." */
  'fmbs.no-credentials': async (ctx) => {
    const path = ctx.op().operationId === ENTRY_OP ? entryPath(await someId(ctx)) : ENTRIES;
    const res = await ctx.step(`GET ${path} without the Authorization header`, () => ctx.api.get(path, { auth: false }));
    expectRefusal(ctx, res);
  },

  'fmbs.wrong-token': async (ctx) => {
    const path = ctx.op().operationId === ENTRY_OP ? entryPath(await someId(ctx)) : ENTRIES;
    const res = await ctx.step(`GET ${path} with a token never issued`, () => ctx.api.get(path, { auth: 'Bearer conformance.invalid.token' }));
    expectRefusal(ctx, res);
  },
};
