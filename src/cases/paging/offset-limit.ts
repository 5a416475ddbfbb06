import type { Scenario } from '../context.ts';

/** Workflow execution history offset/limit (to come). */
export const offsetLimit: Scenario = async (ctx) => ctx.skip('offset/limit paging is not implemented yet');
