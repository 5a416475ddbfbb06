/** The FortiSOAR stub: state, authentication and the handlers of every operation of specs/fortisoar.yaml. */
import type { ProductStubDefinition } from '../core/types.ts';
import { adminHandlers } from './admin.ts';
import { authenticate, authHandlers } from './auth.ts';
import { fortisoarExtraRoutes } from './extra.ts';
import { recordHandlers } from './records.ts';
import { FortiSoarState } from './state.ts';

export const fortisoarStub: ProductStubDefinition<FortiSoarState> = {
  product: 'fortisoar',
  createState: () => new FortiSoarState(),
  authenticate,
  handlers: { ...authHandlers, ...recordHandlers, ...adminHandlers },
  extraRoutes: fortisoarExtraRoutes,
};
