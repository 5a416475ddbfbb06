/**
 * Tolerant readers of bodies the documents do not shape (integration envelopes, lists that are
 * bare arrays or wrapped, statuses that are strings or picklist objects): a scenario reads what a
 * real server may send without asserting one envelope (field notes).
 */
export type Json = Record<string, any>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The object an integration answer is about: the body, or its data object (field notes: {data, ...}). */
export const unwrap = (body: unknown): Json => (isObject(body) && isObject(body.data) ? body.data : isObject(body) ? body : {});

/** The items of a list answer: a bare array, {data: [...]}, {hydra:member: [...]}, or one object. */
export function itemsOf(body: unknown): Json[] {
  if (Array.isArray(body)) return body.filter(isObject);
  if (!isObject(body)) return [];
  for (const key of ['data', 'hydra:member', 'nodes', 'results']) if (Array.isArray(body[key])) return (body[key] as unknown[]).filter(isObject);
  return [body];
}

/** A status that may be a string or a picklist object ({itemValue}). */
export const statusText = (v: unknown): string => (typeof v === 'string' ? v : isObject(v) ? String(v.itemValue ?? v.name ?? v['@id'] ?? '') : '');

/** The last segment of an IRI (`/api/3/alerts/<uuid>` → `<uuid>`). */
export const lastSegment = (iri: string): string =>
  iri
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '')
    .split('/')
    .pop()!;

/** A list that a server may send as an array or as one comma-separated string (field notes: workflow `tags`). */
export const listOf = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.map(String)
    : typeof v === 'string'
      ? v
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean)
      : [];
