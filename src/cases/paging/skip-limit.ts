import type { Scenario } from '../context.ts';

/** FortiCASB skip/limit with totalCount (to come). */
export const skipLimit: Scenario = async (ctx) => ctx.skip('skip/limit paging is not implemented yet');
