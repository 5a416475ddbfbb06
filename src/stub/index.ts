/**
 * The stub of every product, by id, and the broken variants the mutation self-test mounts.
 * A new product adds a folder here (its definition) and a mutants file, nothing else.
 */
import type { ProductId } from '../config/index.ts';
import { loadSpec } from '../spec/load.ts';
import { Stub } from './core/stub.ts';
import type { Mutant, ProductStubDefinition } from './core/types.ts';
import { fmbsStub } from './fmbs/index.ts';
import { forticasbStub } from './forticasb/index.ts';
import { fortisoarStub } from './fortisoar/index.ts';
import { fmbsMutants } from './mutants/fmbs.ts';
import { forticasbMutants } from './mutants/forticasb.ts';
import { fortisoarMutants } from './mutants/fortisoar.ts';
import { fortisoarAdminMutants } from './mutants/fortisoar-admin.ts';

export const STUB_DEFINITIONS: Readonly<Record<ProductId, ProductStubDefinition<any>>> = {
  fortisoar: fortisoarStub,
  forticasb: forticasbStub,
  fmbs: fmbsStub,
};

export const MUTANTS: readonly Mutant[] = [...fortisoarMutants, ...fortisoarAdminMutants, ...forticasbMutants, ...fmbsMutants];

export function findMutant(id: string): Mutant {
  const m = MUTANTS.find((x) => x.id === id);
  if (!m) throw new Error(`[stub] no broken variant "${id}"; known: ${MUTANTS.map((x) => x.id).join(', ')}`);
  return m;
}

/** A fresh stub of `product`; with `mutantId`, the broken variant when it concerns this product. */
export function createStub(product: ProductId, mutantId?: string): Stub<any> {
  const mutant = mutantId ? findMutant(mutantId) : undefined;
  return new Stub(STUB_DEFINITIONS[product], loadSpec(product), mutant?.product === product ? mutant : undefined);
}

export { Stub };
