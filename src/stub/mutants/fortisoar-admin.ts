import type { Mutant } from '../core/types.ts';

/** Broken variants of the FortiSOAR administration handlers (to come). */
export const fortisoarAdminMutants: readonly Mutant[] = [];
