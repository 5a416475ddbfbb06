import type { ProductStubDefinition } from '../core/types.ts';
import { error } from '../core/http.ts';

/** To come: every route refuses loudly. */
export const fmbsStub: ProductStubDefinition<Record<string, never>> = {
  product: 'fmbs',
  createState: () => ({}),
  authenticate: () => error(401, 'not implemented'),
  handlers: {},
};
