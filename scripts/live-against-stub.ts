/**
 * Runs the suite in live mode against `npm run stub`'s HTTP servers (started here on free ports),
 * so that the live path (real sockets, configuration from the environment) stays proven.
 * Extra arguments pass through to Playwright.
 *
 * It also proves the safety promise on a live target: FortiSOAR records that existed before the
 * run are unchanged after it, and no record the suite created (named with its marker) is left.
 * (With CONFORMANCE_DESTRUCTIVE=1 only the leftovers are checked.)
 *
 * First, the same servers are fuzzed (scripts/fuzz-stub.ts: thousands of malformed requests over
 * every route): none may answer 5xx or fall over, and the suite must then still pass against
 * them. `--no-fuzz` (not passed to Playwright) leaves it out.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { MARKER } from '../src/client/marker.ts';
import { stubLiveEnv } from '../src/stub/credentials.ts';
import type { FortiSoarState } from '../src/stub/fortisoar/state.ts';
import { startStubServers } from '../src/stub/serve.ts';
import { fuzzStubs } from './fuzz-stub.ts';

const require = createRequire(import.meta.url);
const running = await startStubServers({ port: 0 });
const args = process.argv.slice(2).filter((a) => a !== '--no-fuzz');
if (!process.argv.includes('--no-fuzz')) {
  const started = Date.now();
  const fuzz = await fuzzStubs(running.urls, running.stubs, { perRoute: 40 });
  const statuses = Object.entries(fuzz.byStatus)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
  console.log(`Fuzz of the stub servers: ${fuzz.requests} malformed requests in ${((Date.now() - started) / 1000).toFixed(1)} s (${statuses})`);
  if (fuzz.problems.length) {
    console.error(`Fuzz: ${fuzz.problems.length} problem(s)\n  ${fuzz.problems.slice(0, 30).join('\n  ')}`);
    await running.close();
    process.exit(1);
  }
}
const env = {
  ...process.env,
  ...stubLiveEnv(running.urls),
  // Local servers: the polite defaults (src/client/limits.ts) stay in the path, loosened so that
  // they do not set the pace of npm test.
  CONFORMANCE_MAX_RPS: process.env.CONFORMANCE_MAX_RPS ?? '500',
};
const soar = (): FortiSoarState => running.stubs.get('fortisoar')!.state as FortiSoarState;
/** Every FortiSOAR record, by IRI, as JSON. */
const snapshot = (): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [module, records] of soar().modules) for (const [uuid, r] of records) out.set(`/api/3/${module}/${uuid}`, JSON.stringify(r));
  return out;
};
const before = snapshot();
const child = spawn(process.execPath, [require.resolve('@playwright/test/cli'), 'test', ...args], { stdio: 'inherit', env });
let code: number = await new Promise((resolve) => child.on('exit', (status) => resolve(status ?? 1)));
const after = snapshot();
const problems: string[] = [];
if (process.env.CONFORMANCE_DESTRUCTIVE !== '1') {
  for (const [iri, json] of before) {
    if (!after.has(iri)) problems.push(`${iri} existed before the run and was deleted`);
    else if (after.get(iri) !== json) problems.push(`${iri} existed before the run and was changed`);
  }
}
const marked = (json: string): boolean =>
  Object.values(JSON.parse(json) as Record<string, unknown>).some((v) => typeof v === 'string' && v.toLowerCase().startsWith(MARKER));
for (const [iri, json] of after) if (!before.has(iri) && marked(json)) problems.push(`${iri} was created by the suite and left behind`);
if (problems.length) {
  console.error(`\nSafety on a live target: ${problems.length} problem(s)\n  ${problems.slice(0, 20).join('\n  ')}`);
  code = code || 1;
} else {
  const kept = process.env.CONFORMANCE_DESTRUCTIVE === '1' ? '' : `${before.size} records that existed before the run are unchanged; `;
  console.log(`Safety on a live target: ${kept}nothing the suite created is left.`);
}
await running.close();
process.exit(code);
