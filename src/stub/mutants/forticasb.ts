import type { Mutant } from '../core/types.ts';

export const forticasbMutants: readonly Mutant[] = [];
