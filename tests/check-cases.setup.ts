/**
 * Playwright's global setup, in the runner before any worker starts, in every mode: the cases of
 * every spec name a scenario or paging mode that exists and give it the params it declares
 * (src/cases/check-once.ts, once per content). A bad case stops the run here with one message
 * naming the spec line.
 */
import { checkCasesOnce } from '../src/cases/check-once.ts';

export default async function checkCases(): Promise<void> {
  await checkCasesOnce();
}
