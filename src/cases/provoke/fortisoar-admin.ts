import type { Scenario } from '../context.ts';

/** Scenarios of the FortiSOAR administration operations (to come). */
export const fortisoarAdmin: Readonly<Record<string, Scenario>> = {};
