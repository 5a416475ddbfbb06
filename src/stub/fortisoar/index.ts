/** The FortiSOAR stub: state, authentication and the handlers of every operation of specs/fortisoar.yaml. */
import type { ProductStubDefinition } from '../core/types.ts';
import { adminHandlers } from './admin.ts';
import { authenticate, authHandlers } from './auth.ts';
import { fortisoarExtraRoutes } from './extra.ts';
import { recordHandlers } from './records.ts';
import type { FortiSoarSettings } from './settings.ts';
import { FortiSoarState } from './state.ts';

/** The FortiSOAR stub with these settings (behaviour, job duration, extra API keys); a reset keeps them. */
export function fortisoarStubWith(settings: Partial<FortiSoarSettings> = {}): ProductStubDefinition<FortiSoarState> {
  return {
    product: 'fortisoar',
    createState: () => new FortiSoarState(settings),
    authenticate,
    handlers: { ...authHandlers, ...recordHandlers, ...adminHandlers },
    extraRoutes: fortisoarExtraRoutes,
  };
}

/** The default: documented behaviour (what the conformance suite runs against). */
export const fortisoarStub: ProductStubDefinition<FortiSoarState> = fortisoarStubWith();
