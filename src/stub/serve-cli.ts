/**
 * `npm run stub [-- --port 8400] [--delay-ms 100] [--mutant <id>] [--tls] [--behaviour recorded]`:
 * serves the stubs on localhost and prints the settings that point the suite (or any client) at
 * them: the suite's variables, then the credentials client developers use (API key, OAuth2 client
 * credentials).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { PRODUCT_NAMES, PRODUCTS } from '../config/index.ts';
import { STUB_CREDENTIALS } from './credentials.ts';
import { POLLS_TO_COMPLETE } from './fortisoar/admin-state.ts';
import { BEHAVIOURS, type Behaviour, JOB_SECONDS, RECORDED_DIFFERENCES } from './fortisoar/settings.ts';
import { startStubServers } from './serve.ts';
import { generateSelfSignedCertificate, readCertificate, type TlsFiles } from './tls.ts';

const USAGE = `npm run stub -- [options]

Serves the FortiSOAR, FortiCASB and FortiMail Browser Security stubs on localhost (state in memory).

  --port <n>            first port; the products take consecutive ports (default 8400; 0 = any free ports)
  --host <address>      address to listen on (default 127.0.0.1)
  --tls                 HTTPS with a self-signed certificate made at start (needs openssl)
  --tls-cert <file> --tls-key <file>
                        HTTPS with your certificate and key (PEM)
  --behaviour <b>       FortiSOAR: ${BEHAVIOURS.join(' | ')} (default documented)
                          documented: what the vendor guide says, and the field notes where it is silent
                                      (the conformance suite runs against this)
                          recorded:   what recordings of real FortiSOAR 7.6.5 servers show where they differ:
${RECORDED_DIFFERENCES.map((d) => `                            - ${d}`).join('\n')}
  --delay-ms <n>        hold every answer back n ms (latency benchmark; default 0)
  --mutant <id>         serve a broken variant (src/stub/mutants/) instead of the conforming stub
  --help                this text

Asynchronous FortiSOAR jobs (import, export, log collection) answer "still running" to their first
${POLLS_TO_COMPLETE} status polls and complete at the next, or ${JOB_SECONDS} s after they started if nobody polls.`;

const fail = (message: string): never => {
  console.error(`npm run stub: ${message}\n(npm run stub -- --help lists the options)`);
  process.exit(2);
};

function parseOptions() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', default: '8400' },
        host: { type: 'string', default: '127.0.0.1' },
        'delay-ms': { type: 'string', default: '0' },
        mutant: { type: 'string' },
        tls: { type: 'boolean', default: false },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        behaviour: { type: 'string', default: 'documented' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (e) {
    return fail((e as Error).message);
  }
}

const values = parseOptions();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!(BEHAVIOURS as readonly string[]).includes(values.behaviour)) fail(`--behaviour must be ${BEHAVIOURS.join(' or ')}, got "${values.behaviour}"`);
const behaviour = values.behaviour as Behaviour;

let tls: TlsFiles | undefined;
try {
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) throw new Error('--tls-cert and --tls-key go together');
  if (values['tls-cert'] !== undefined) tls = readCertificate(values['tls-cert'], values['tls-key']!);
  else if (values.tls) tls = generateSelfSignedCertificate(values.host);
} catch (e) {
  console.error(`npm run stub: ${(e as Error).message}`);
  process.exit(2);
}

// A fresh FortiSOAR API key per start, as a real server shows one key once (the well-known key works too).
const apiKey = randomBytes(20).toString('hex');
const running = await startStubServers({
  host: values.host,
  port: Number(values.port),
  delayMs: Number(values['delay-ms']),
  mutant: values.mutant,
  tls,
  apiKey,
  behaviour,
});
for (const p of PRODUCTS) console.log(`${PRODUCT_NAMES[p]} stub: ${running.urls[p]}`);
console.log(
  `FortiSOAR behaviour: ${behaviour}${behaviour === 'recorded' ? ' (real 7.6.5 recordings where they differ from the guide; --help lists how)' : ' (the guide; --behaviour recorded for real 7.6.5 shapes)'}`,
);
if (tls) {
  console.log(`TLS certificate (self-signed): ${tls.certPath}`);
  console.log('  trust it (NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, curl --cacert) or turn certificate verification off in the client');
}
const c = STUB_CREDENTIALS;
const basic = (id: string, secret: string): string => Buffer.from(`${id}:${secret}`).toString('base64');
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
FMBS_TOKEN=${c.fmbs.token}${tls ? '\nCONFORMANCE_INSECURE_TLS=1' : ''}
# or, instead of the ready tokens and the login:
#   FORTICASB_CLIENT_ID=${c.forticasb.clientId} FORTICASB_CLIENT_SECRET=${c.forticasb.clientSecret}
#   FMBS_CLIENT_ID=${c.fmbs.clientId} FMBS_CLIENT_SECRET=${c.fmbs.clientSecret}
#   FORTISOAR_API_KEY=${apiKey} (without FORTISOAR_USERNAME)

# Client credentials (see README, "For client developers"):
FortiSOAR   login ${c.fortisoar.username} / ${c.fortisoar.password} (POST /auth/authenticate)
FortiSOAR   Authorization: API-KEY ${apiKey}
            (generated at this start; the well-known key ${c.fortisoar.apiKey} works too)
FortiCASB   client id ${c.forticasb.clientId}, secret ${c.forticasb.clientSecret}
            Authorization: Basic ${basic(c.forticasb.clientId, c.forticasb.clientSecret)} (POST /api/v1/auth/credentials/token/)
FMBS        client id ${c.fmbs.clientId}, secret ${c.fmbs.clientSecret}
            Authorization: Basic ${basic(c.fmbs.clientId, c.fmbs.clientSecret)} (POST /oauth2/token)
`);
console.log('ready');
const stop = () => void running.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
