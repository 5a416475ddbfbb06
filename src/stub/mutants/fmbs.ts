import type { Mutant } from '../core/types.ts';

export const fmbsMutants: readonly Mutant[] = [];
