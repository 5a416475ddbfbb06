/**
 * FortiSOAR's query body, shared by the workflow log query ("Workflow Execution": `{"query":
 * {logic, filters, sort, aggregates}}`) and the record query `POST /api/query/{module}` (field
 * notes; the same body at the top level, paged by `$limit`/`$page`). Rows are read through a
 * getter, so a record query can follow references (`status.itemValue`).
 *
 * "logic": "AND/OR" over "filters", each a condition {field, operator, value} or a nested
 * {logic, filters} group; "sort": [{field, direction}]; "aggregates": [{operator: groupBy|count, field}].
 */
import { BadRequest, isObject } from '../core/http.ts';

export type Getter<T> = (row: T, field: string) => unknown;

type Filter = { field?: unknown; operator?: unknown; value?: unknown; logic?: unknown; filters?: unknown };

/** The guide's operators ("eq/contains/neq/ncontains/gte/lte"), then those real clients send too (pyfsr's Query: in, nin, lt, gt, like, notlike, exists, isnull). */
export const OPERATORS = ['eq', 'contains', 'neq', 'ncontains', 'gte', 'lte', 'in', 'nin', 'lt', 'gt', 'like', 'notlike', 'exists', 'isnull'] as const;
/** Operators that hold when no element of a list field matches (the negated ones). */
const NEGATED = new Set(['neq', 'ncontains', 'nin', 'notlike']);

/** Numbers compare as numbers, everything else as strings. */
export function compare(a: unknown, b: unknown): number {
  const x = typeof a === 'number' ? a : String(a ?? '');
  const y = typeof a === 'number' ? Number(b) : String(b ?? '');
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A reference (an expanded object) compares by its @id. */
const text = (v: unknown): string => (isObject(v) && '@id' in v ? String(v['@id']) : String(v ?? ''));
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : typeof v === 'string' ? v.split(',').map((s) => s.trim()) : [v]);
const truthy = (v: unknown): boolean => v === undefined || v === true || /^true$/i.test(String(v));
/** SQL LIKE: % any run, _ one character; case-insensitive. */
const like = (pattern: unknown): RegExp =>
  new RegExp(
    `^${String(pattern)
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/%/g, '.*')
      .replace(/_/g, '.')}$`,
    'is',
  );

function test1<T>(row: T, f: Filter, get: Getter<T>): boolean {
  if (typeof f.field !== 'string' || typeof f.operator !== 'string') throw new BadRequest('a filter needs field and operator');
  const actual = get(row, f.field);
  const v = f.value;
  if (f.operator === 'isnull') return (actual === null || actual === undefined || (Array.isArray(actual) && actual.length === 0)) === truthy(v);
  if (f.operator === 'exists') return (actual !== undefined) === truthy(v);
  const values = Array.isArray(actual) ? actual : [actual];
  const one = (a: unknown): boolean => {
    switch (f.operator) {
      case 'eq':
        return text(a) === String(v);
      case 'neq':
        return text(a) !== String(v);
      case 'contains':
        return text(a).toLowerCase().includes(String(v).toLowerCase());
      case 'ncontains':
        return !text(a).toLowerCase().includes(String(v).toLowerCase());
      case 'gte':
        return compare(a, v) >= 0;
      case 'lte':
        return compare(a, v) <= 0;
      case 'gt':
        return compare(a, v) > 0;
      case 'lt':
        return compare(a, v) < 0;
      case 'in':
        return listOf(v).some((x) => text(a) === String(x));
      case 'nin':
        return !listOf(v).some((x) => text(a) === String(x));
      case 'like':
        return like(v).test(text(a));
      case 'notlike':
        return !like(v).test(text(a));
      default:
        throw new BadRequest(`operator must be one of ${OPERATORS.join(', ')}, got "${f.operator}"`);
    }
  };
  return NEGATED.has(f.operator) ? values.every(one) : values.some(one);
}

/** "logic": "AND/OR" over filters, each a condition or a nested {logic, filters} group. */
export function matches<T>(row: T, logic: unknown, filters: unknown, get: Getter<T>): boolean {
  if (filters !== undefined && filters !== null && !Array.isArray(filters)) throw new BadRequest('"filters" must be a list of conditions');
  if (!Array.isArray(filters) || filters.length === 0) return true;
  const results = filters.map((f: Filter) => (isObject(f) && Array.isArray(f.filters) ? matches(row, f.logic, f.filters, get) : test1(row, f, get)));
  return String(logic ?? 'AND').toUpperCase() === 'OR' ? results.some(Boolean) : results.every(Boolean);
}

/** "sort": [{"field", "direction": "asc|desc"}] (either case); ties keep `tieBreak` order. */
export function sortRows<T>(rows: readonly T[], sort: unknown, get: Getter<T>, tieBreak: (a: T, b: T) => number): T[] {
  if (!Array.isArray(sort) || sort.length === 0) return [...rows];
  const keys = sort.filter(isObject).map((s) => ({ field: String(s.field), desc: String(s.direction ?? 'asc').toLowerCase() === 'desc' }));
  return [...rows].sort((a, b) => {
    for (const k of keys) {
      const c = compare(get(a, k.field), get(b, k.field));
      if (c !== 0) return k.desc ? -c : c;
    }
    return tieBreak(a, b);
  });
}

/** "aggregates": [{"operator": "groupBy/count", "field"}]: one member per group, with its count; undefined without aggregates. */
export function aggregate<T>(rows: readonly T[], aggregates: unknown, get: Getter<T>): Record<string, unknown>[] | undefined {
  if (!Array.isArray(aggregates) || aggregates.length === 0) return undefined;
  const groupBy = aggregates
    .filter(isObject)
    .filter((a) => a.operator === 'groupBy')
    .map((a) => String(a.field));
  const groups = new Map<string, { key: Record<string, unknown>; n: number }>();
  for (const row of rows) {
    const key = Object.fromEntries(groupBy.map((f) => [f, get(row, f)]));
    const id = JSON.stringify(key);
    const g = groups.get(id) ?? { key, n: 0 };
    g.n++;
    groups.set(id, g);
  }
  return [...groups.values()].map((g) => ({ ...g.key, count: g.n }));
}
