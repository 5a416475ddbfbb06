/**
 * The stub of every product, by id, and its variants (broken and latitude, src/stub/variants/).
 * A new product adds a folder here (its definition) and its broken variants.
 */
import type { ProductId } from '../config/index.ts';
import { loadSpec } from '../spec/load.ts';
import { Stub } from './core/stub.ts';
import type { ProductStubDefinition } from './core/types.ts';
import { fmbsStub } from './fmbs/index.ts';
import { forticasbStub } from './forticasb/index.ts';
import { fortisoarStub, fortisoarStubWith } from './fortisoar/index.ts';
import type { FortiSoarSettings } from './fortisoar/settings.ts';
import { findVariant } from './variants/index.ts';

export const STUB_DEFINITIONS: Readonly<Record<ProductId, ProductStubDefinition<any>>> = {
  fortisoar: fortisoarStub,
  forticasb: forticasbStub,
  fmbs: fmbsStub,
};

/**
 * A fresh stub of `product`; with `variantId`, wrapped by that variant when it concerns this
 * product; with `fortisoar` settings, FortiSOAR's stub has them (its state keeps them across a
 * reset; other products ignore them).
 */
export function createStub(product: ProductId, variantId?: string, fortisoar?: Partial<FortiSoarSettings>): Stub<any> {
  const variant = variantId ? findVariant(variantId) : undefined;
  const definition = product === 'fortisoar' && fortisoar ? fortisoarStubWith(fortisoar) : STUB_DEFINITIONS[product];
  return new Stub(definition, loadSpec(product), variant?.product === product ? variant : undefined);
}

export { findVariant, Stub };
