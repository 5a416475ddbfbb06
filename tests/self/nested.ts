/** For self-tests that start the suite itself: the repository root and a clean environment. */
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

/**
 * This worker's environment without what Playwright set for it (a nested run must not take
 * itself for a worker) and without the marker of the unknown-variable warning.
 */
export function runnerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(TEST_|CONFORMANCE_)/.test(k) || /^(FORTISOAR|FORTICASB|FMBS)_/.test(k)) delete env[k];
  return { ...env, CONFORMANCE_TARGET: 'stub', FORCE_COLOR: '0', ...extra };
}
