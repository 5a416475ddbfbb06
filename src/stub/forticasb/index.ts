import type { ProductStubDefinition } from '../core/types.ts';
import { error } from '../core/http.ts';

/** To come: every route refuses loudly. */
export const forticasbStub: ProductStubDefinition<Record<string, never>> = {
  product: 'forticasb',
  createState: () => ({}),
  authenticate: () => error(401, 'not implemented'),
  handlers: {},
};
