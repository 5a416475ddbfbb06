/** FortiSOAR administration, configuration, integration, workflow and log-collection handlers (to come). */
import type { Handler } from '../core/types.ts';
import type { FortiSoarState } from './state.ts';

export const adminHandlers: Record<string, Handler<FortiSoarState>> = {};
