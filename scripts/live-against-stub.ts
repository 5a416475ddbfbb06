/**
 * Runs the suite in live mode against `npm run stub`'s HTTP servers (started here on free ports),
 * so that the live path (real sockets, configuration from the environment) stays proven.
 * Extra arguments pass through to Playwright.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { STUB_CREDENTIALS } from '../src/stub/credentials.ts';
import { startStubServers } from '../src/stub/serve.ts';

const require = createRequire(import.meta.url);
const running = await startStubServers({ port: 0 });
const c = STUB_CREDENTIALS;
const env = {
  ...process.env,
  CONFORMANCE_TARGET: 'live',
  FORTISOAR_URL: running.urls.fortisoar,
  FORTISOAR_USERNAME: c.fortisoar.username,
  FORTISOAR_PASSWORD: c.fortisoar.password,
  FORTICASB_URL: running.urls.forticasb,
  FORTICASB_TOKEN: c.forticasb.token,
  FORTICASB_COMPANY_ID: c.forticasb.companyId,
  FORTICASB_BU_ID: c.forticasb.buId,
  FORTICASB_SERVICE: c.forticasb.service,
  FMBS_URL: running.urls.fmbs,
  FMBS_TOKEN: c.fmbs.token,
};
const child = spawn(process.execPath, [require.resolve('@playwright/test/cli'), 'test', ...process.argv.slice(2)], { stdio: 'inherit', env });
const code: number = await new Promise((resolve) => child.on('exit', (status) => resolve(status ?? 1)));
await running.close();
process.exit(code);
