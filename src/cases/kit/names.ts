/** Names of what the suite creates, in the forms fields accept. */
import type { CaseContext } from '../context.ts';

/** The case's unique marked name reduced to characters every field accepts (logins, file names). */
export const slug = (ctx: CaseContext, label: string): string =>
  ctx
    .unique(label)
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
