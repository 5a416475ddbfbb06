/** Checks that need data the target may not hold. */
import type { CaseContext } from '../context.ts';

/**
 * A check that needs more data than the target holds: skipped on a live target, with the reason
 * (never passed vacuously); a failure in the stub, whose seed is made to hold enough.
 */
export function tooLittleData(ctx: CaseContext, why: string): never {
  if (ctx.live) ctx.skip(why);
  throw new Error(`[cases] the stub's seed data is too small for "${ctx.case.title}": ${why}`);
}
