/**
 * The FMBS stub's page tokens: opaque to clients, a position in the log to the stub. A token names
 * the last entry a page returned, "after (timestamp, id)", never an index into a snapshot, so
 * replaying a saved token after new entries arrive returns them (field notes: "replaying the
 * token after new entries arrive returns them").
 */
import { BadRequest } from '../core/http.ts';

export type Position =
  /** From the oldest entry on (a first request without since). */
  | { readonly kind: 'start' }
  /** From `since` on, inclusive (a first request with since that found no entry yet). */
  | { readonly kind: 'since'; readonly since: string }
  /** Strictly after the entry (timestamp, id) in the log's order. */
  | { readonly kind: 'after'; readonly timestamp: string; readonly id: string };

const PREFIX = 'v1.';

export function encodeToken(p: Position): string {
  const raw = p.kind === 'start' ? ['s'] : p.kind === 'since' ? ['t', p.since] : ['a', p.timestamp, p.id];
  return PREFIX + Buffer.from(JSON.stringify(raw), 'utf8').toString('base64url');
}

/** Decodes a token this stub issued; anything else is a 400 ("not a token this server issued"). */
export function decodeToken(token: string): Position {
  const refuse = (): never => {
    throw new BadRequest('pageToken is not a token this server issued; start again without pageToken');
  };
  if (!token.startsWith(PREFIX)) return refuse();
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return refuse();
  }
  if (!Array.isArray(raw) || !raw.every((x) => typeof x === 'string')) return refuse();
  const [kind, a, b] = raw as string[];
  if (kind === 's' && raw.length === 1) return { kind: 'start' };
  if (kind === 't' && raw.length === 2 && !Number.isNaN(Date.parse(a!))) return { kind: 'since', since: a! };
  if (kind === 'a' && raw.length === 3 && !Number.isNaN(Date.parse(a!)) && /^[0-9a-f]{24}$/.test(b!)) return { kind: 'after', timestamp: a!, id: b! };
  return refuse();
}
