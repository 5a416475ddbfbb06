/**
 * Every variant of the stub, by id: the broken ones (one file per product) and the latitude
 * ones. A new product adds its broken variants here.
 */
import type { Case } from '../../cases/derive.ts';
import { fmbsBroken } from './broken/fmbs.ts';
import { forticasbBroken } from './broken/forticasb.ts';
import { fortisoarBroken } from './broken/fortisoar.ts';
import { fortisoarAdminBroken } from './broken/fortisoar-admin.ts';
import { LATITUDE_VARIANTS } from './latitude.ts';
import type { BrokenVariant, Variant } from './types.ts';

const BROKEN_VARIANTS: readonly BrokenVariant[] = [...fortisoarBroken, ...fortisoarAdminBroken, ...forticasbBroken, ...fmbsBroken];
export const VARIANTS: readonly Variant[] = [...BROKEN_VARIANTS, ...LATITUDE_VARIANTS];

export function findVariant(id: string): Variant {
  const v = VARIANTS.find((x) => x.id === id);
  if (!v) throw new Error(`[stub] no variant "${id}"; known: ${VARIANTS.map((x) => x.id).join(', ')}`);
  return v;
}

const globRegex = (pattern: string): RegExp => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/**
 * The cases a variant runs: the cases it names (ids, `*` as a wildcard; a pattern matching no case
 * is reported), or for a latitude variant that names none, every case of its product.
 */
export function casesOf(v: Variant, all: readonly Case[]): { cases: Case[]; unknown: string[] } {
  if (v.cases === undefined) return { cases: [...all], unknown: [] };
  const patterns = v.cases.map((p) => ({ p, re: globRegex(p) }));
  const unknown = patterns.filter(({ re }) => !all.some((c) => re.test(c.id))).map(({ p }) => p);
  return { cases: all.filter((c) => patterns.some(({ re }) => re.test(c.id))), unknown };
}
