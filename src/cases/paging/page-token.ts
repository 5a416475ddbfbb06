import type { Scenario } from '../context.ts';

/** FortiMail Browser Security pageToken/nextPageToken (to come). */
export const pageToken: Scenario = async (ctx) => ctx.skip('page-token paging is not implemented yet');
