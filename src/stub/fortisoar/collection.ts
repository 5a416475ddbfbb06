/**
 * Hydra JSON-LD collections, as the guide's "Retrieve Collection of Model Records" describes them:
 * records in `hydra:member`, `hydra:totalItems`, and from 7.0.0 a `hydra:view` with first, next and
 * last page ("The hydra 'next' attribute is not displayed in the API response, if there are no
 * further results"; "The Item per page key has been removed"), or with
 * `$legacy_collection_view=true` the older keys `hydra:itemsPerPage`, `hydra:firstPage`,
 * `hydra:lastPage`. Link URLs percent-encode `$` and put `$limit` before `$page` (field notes).
 */
import { BadRequest } from '../core/http.ts';
import type { StubRequest } from '../core/types.ts';
import { MODULE_TYPES, type RecordBody } from './state.ts';

export const DEFAULT_LIMIT = 30;

function positive(req: StubRequest, name: string, fallback: number): number {
  const raw = req.query.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new BadRequest(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

const comparable = (v: unknown): string => (v && typeof v === 'object' && '@id' in v ? String((v as { '@id': unknown })['@id']) : String(v));

/** How a field filter reads a record: its own field, or a dotted path through references (`listName.name`). */
export type FieldReader = (record: RecordBody, field: string) => unknown;
const ownField: FieldReader = (r, field) => r[field];

/**
 * Field filters as query parameters (`name=...`; a dotted path follows references, as real
 * clients look picklist items up by `listName.name=Severity`), `$search=<text>` (any text field
 * contains it), `$orderby=field|-field` (field notes).
 */
export function select(req: StubRequest, records: Iterable<RecordBody>, read: FieldReader = ownField): RecordBody[] {
  let out = [...records];
  for (const [key, value] of req.query) {
    if (key.startsWith('$') || key === 'format') continue;
    out = out.filter((r) => {
      const v = read(r, key);
      return (Array.isArray(v) && !(key in r) ? v : [v]).some((x) => x !== undefined && comparable(x) === value);
    });
  }
  const search = req.query.get('$search')?.toLowerCase();
  if (search) out = out.filter((r) => Object.values(r).some((v) => typeof v === 'string' && v.toLowerCase().includes(search)));
  const order = req.query.get('$orderby');
  if (order) {
    const desc = order.startsWith('-');
    const field = desc ? order.slice(1) : order;
    out.sort((a, b) => {
      const x = a[field] as string | number;
      const y = b[field] as string | number;
      return (x < y ? -1 : x > y ? 1 : 0) * (desc ? -1 : 1);
    });
  }
  // Without $orderby: the store's order, which is id order (ids are handed out increasing).
  return out;
}

export function collection(
  req: StubRequest,
  path: string,
  module: string,
  records: RecordBody[],
  present: (r: RecordBody) => RecordBody,
  /** Before 7.0.0 (settings.version) the legacy keys are the default view. */
  legacyByDefault = false,
): Record<string, unknown> {
  const limit = positive(req, '$limit', DEFAULT_LIMIT);
  const page = positive(req, '$page', 1);
  const asked = req.query.get('$legacy_collection_view');
  const legacy = asked === 'true' || (legacyByDefault && asked !== 'false');
  const total = records.length;
  const lastPage = Math.max(1, Math.ceil(total / limit));
  const filters = [...req.query].filter(([k]) => k !== '$limit' && k !== '$page');
  const link = (p: number): string => {
    const q = new URLSearchParams([['$limit', String(limit)], ['$page', String(p)], ...filters]);
    return `${path}?${q.toString()}`;
  };
  const members = records.slice((page - 1) * limit, page * limit).map(present);
  const body: Record<string, unknown> = {
    '@context': `/api/3/contexts/${MODULE_TYPES[module] ?? 'Collection'}`,
    '@id': path,
    '@type': 'hydra:Collection',
    'hydra:member': members,
    'hydra:totalItems': total,
  };
  const view: Record<string, unknown> = { '@id': link(page), '@type': 'hydra:PartialCollectionView' };
  if (req.query.has('$page') || total > limit) {
    view['hydra:first'] = link(1);
    view['hydra:last'] = link(lastPage);
    if (page > 1) view['hydra:previous'] = link(page - 1);
    if (page < lastPage) view['hydra:next'] = link(page + 1);
  }
  body['hydra:view'] = view;
  if (legacy) {
    body['hydra:itemsPerPage'] = limit;
    body['hydra:firstPage'] = link(1);
    body['hydra:lastPage'] = link(lastPage);
    if (page < lastPage) body['hydra:nextPage'] = link(page + 1);
  }
  return body;
}
