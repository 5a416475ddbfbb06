/**
 * Polling of asynchronous jobs with a deadline (never a fixed sleep). Against the stub there is
 * no pause between polls (jobs advance per poll); against a real server the pause grows from
 * 0.2 s to 10 s, within the deadline: a quick job costs a few cheap polls, a slow one is not hammered.
 */
import type { Source } from '../../checks/response.ts';
import type { CaseContext } from '../context.ts';

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface Poll<T> {
  /** What must come true, as a failure states it. */
  readonly what: string;
  readonly source: Source;
  readonly request: () => Promise<T>;
  readonly done: (value: T) => boolean;
  readonly describe: (value: T) => string;
  readonly operationId?: string;
}

export async function pollUntil<T>(ctx: CaseContext, p: Poll<T>): Promise<T> {
  const deadline = Date.now() + (ctx.live ? 10 * 60_000 : 10_000);
  let pause = 200;
  let polls = 0;
  for (;;) {
    const value = await p.request();
    polls++;
    if (p.done(value)) return value;
    if (Date.now() > deadline || (!ctx.live && polls > 50)) {
      ctx.rule(false, `${p.what} within the deadline`, p.source, () => `after ${polls} polls: ${p.describe(value)}`, p.operationId);
    }
    if (ctx.live) {
      await wait(Math.min(pause, Math.max(0, deadline - Date.now())));
      pause = Math.min(pause * 2, 10_000);
    }
  }
}
