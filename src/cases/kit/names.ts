/** Names of what the suite creates, in the forms fields accept (the naming rule: src/client/marker.ts). */
import { slugOf } from '../../client/marker.ts';
import type { CaseContext } from '../context.ts';

/** The case's unique marked name in its slug form (logins, file names): what cleanup matches too. */
export const slug = (ctx: CaseContext, label: string): string => slugOf(ctx.unique(label));
