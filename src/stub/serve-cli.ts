/**
 * `npm run stub [-- --port 8400] [--delay-ms 100] [--mutant <id>]`: serves the stubs on localhost
 * and prints the settings that point the suite (or any client) at them.
 */
import { parseArgs } from 'node:util';
import { PRODUCT_NAMES, PRODUCTS } from '../config/index.ts';
import { STUB_CREDENTIALS } from './credentials.ts';
import { startStubServers } from './serve.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8400' },
    host: { type: 'string', default: '127.0.0.1' },
    'delay-ms': { type: 'string', default: '0' },
    mutant: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('npm run stub -- [--port 8400 (0 = any free ports)] [--host 127.0.0.1] [--delay-ms 0] [--mutant <id>]');
  process.exit(0);
}

const running = await startStubServers({ host: values.host, port: Number(values.port), delayMs: Number(values['delay-ms']), mutant: values.mutant });
for (const p of PRODUCTS) console.log(`${PRODUCT_NAMES[p]} stub: ${running.urls[p]}`);
const c = STUB_CREDENTIALS;
console.log(`
# Point the suite at it:
CONFORMANCE_TARGET=live
FORTISOAR_URL=${running.urls.fortisoar}
FORTISOAR_USERNAME=${c.fortisoar.username}
FORTISOAR_PASSWORD=${c.fortisoar.password}
FORTICASB_URL=${running.urls.forticasb}
FORTICASB_TOKEN=${c.forticasb.token}
FORTICASB_COMPANY_ID=${c.forticasb.companyId}
FORTICASB_BU_ID=${c.forticasb.buId}
FORTICASB_SERVICE=${c.forticasb.service}
FMBS_URL=${running.urls.fmbs}
FMBS_TOKEN=${c.fmbs.token}
`);
console.log('ready');
const stop = () => void running.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
