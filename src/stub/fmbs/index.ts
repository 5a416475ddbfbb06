/**
 * FortiMail Browser Security stub: the admin audit log, written from the sentences of
 * fortimail-browser-security-admin-audit-logs.txt (quoted above each rule) and the FMBS field
 * notes. The log only grows at its end (`appendEntries`), as a real tenant's does.
 */
import { type AuditLogEntry, AuditLogFactory, oldestFirst, seedAuditLog } from '../../../fixtures/fmbs/audit-log.ts';
import { BadRequest, error, json } from '../core/http.ts';
import type { HandlerContext, ProductStubDefinition, StubResponse } from '../core/types.ts';
import { authenticate, type FmbsTokens, fmbsExtraRoutes } from './auth.ts';
import { decodeToken, encodeToken, type Position } from './token.ts';

export interface FmbsState {
  /** Oldest first, ordered by (timestamp, id). */
  readonly entries: AuditLogEntry[];
  readonly factory: AuditLogFactory;
  /** Access tokens issued by `POST /oauth2/token` (auth.ts). */
  readonly tokens: FmbsTokens;
}

export const ENTRIES_PATH = '/api/admin-audit-log-entries';
/** Example 4's page size ("Each page can include a maximum of 100 events"), used when limit is absent. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/**
 * Adds `count` entries after the newest one (what happens on a real tenant while a consumer
 * waits between two runs of Example 4's loop) and returns them, oldest first. The resume test
 * calls it through `ctx.stubState` in stub mode.
 */
export function appendEntries(state: unknown, count: number): AuditLogEntry[] {
  const s = state as FmbsState;
  const last = s.entries.at(-1);
  let ms = last ? Date.parse(last.timestamp) : Date.now();
  const added: AuditLogEntry[] = [];
  for (let i = 0; i < count; i++) {
    ms += 1000 + i;
    added.push(s.factory.entry(ms));
  }
  s.entries.push(...added);
  s.entries.sort(oldestFirst);
  return added;
}

/** ISO 8601 date-time with a zone ("2021-01-07T11:33:39.557Z"). */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

function sinceOf(raw: string | null): number | undefined {
  if (raw === null) return undefined;
  const ms = Date.parse(raw);
  if (!ISO.test(raw) || Number.isNaN(ms)) throw new BadRequest(`since must be an ISO 8601 date-time such as 2021-01-07T11:33:39.557Z, got "${raw}"`);
  return ms;
}

function limitOf(raw: string | null): number {
  if (raw === null) return DEFAULT_LIMIT;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new BadRequest(`limit must be a positive integer, got "${raw}"`);
  return Math.min(Number(raw), MAX_LIMIT);
}

const isAfter = (e: AuditLogEntry, p: Position): boolean => {
  switch (p.kind) {
    case 'start':
      return true;
    case 'since':
      return Date.parse(e.timestamp) >= Date.parse(p.since);
    case 'after':
      return e.timestamp > p.timestamp || (e.timestamp === p.timestamp && e.id > p.id);
  }
};

export const fmbsStub: ProductStubDefinition<FmbsState> = {
  product: 'fmbs',
  createState: () => {
    const factory = new AuditLogFactory();
    return { entries: seedAuditLog(factory), factory, tokens: new Map() };
  },
  authenticate: (req, state) => authenticate(req, state.tokens),
  extraRoutes: fmbsExtraRoutes<FmbsState>(),
  handlers: {
    /**
     * "since: Limits the response to device event entries that were generated since a specified
     * timestamp." "The returned events are inclusive of the specified date/time."
     * "limit: Limits the number of results that can be included in the response."
     * "pageToken: A token that is used to retrieve the next page of partial results."
     * "The entries in the returned log are sorted in chronological order - the first entry is the oldest."
     * Field notes: "Every page carries a nextPageToken, including the final page with no items."
     */
    listAdminAuditLogEntries(ctx: HandlerContext<FmbsState>): StubResponse {
      const q = ctx.req.query;
      const since = sinceOf(q.get('since'));
      const limit = limitOf(q.get('limit'));
      const tokenRaw = q.get('pageToken');
      const position: Position =
        tokenRaw !== null && tokenRaw !== '' ? decodeToken(tokenRaw) : since !== undefined ? { kind: 'since', since: q.get('since')! } : { kind: 'start' };
      const items = ctx.state.entries.filter((e) => isAfter(e, position) && (since === undefined || Date.parse(e.timestamp) >= since)).slice(0, limit);
      const last = items.at(-1);
      // An empty page hands back the position it was asked for: replayed later, it returns what arrived since.
      const next: Position = last ? { kind: 'after', timestamp: last.timestamp, id: last.id } : position;
      return json(200, { items, nextPageToken: encodeToken(next) });
    },
    /** "You can fetch the details of a specific event in the admin audit log - based on the ID of the event." */
    getAdminAuditLogEntry(ctx: HandlerContext<FmbsState>): StubResponse {
      const entry = ctx.state.entries.find((e) => e.id === ctx.params.auditlogId);
      if (!entry) return error(404, `no admin audit log entry has the id "${ctx.params.auditlogId}"`);
      return json(200, entry);
    },
  },
};
