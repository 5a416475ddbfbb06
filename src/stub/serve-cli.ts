/**
 * `npm run stub [-- --port 8400] [--delay-ms 100] [--mutant <id>] [--tls] [--behaviour recorded] [--settings-file <path>]`:
 * serves the stubs on localhost and prints the settings that point the suite (or any client) at
 * them: the suite's variables, then the credentials client developers use (API key, OAuth2 client
 * credentials). `--settings-file` also writes the suite's variables to a file a shell can source (a
 * failure's reproduce.sh takes it as its argument).
 *
 * Every mistake (a busy port, a bad option) is one line and exit code 2, never a stack trace.
 * Stopping `npm run stub` in any way stops the servers (see the end of the file).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { PRODUCT_NAMES, PRODUCTS } from '../config/index.ts';
import { STUB_CREDENTIALS, stubLiveEnv } from './credentials.ts';
import { POLLS_TO_COMPLETE } from './fortisoar/admin-state.ts';
import { BEHAVIOURS, type Behaviour, JOB_SECONDS, RECORDED_DIFFERENCES } from './fortisoar/settings.ts';
import { type RunningStubs, startStubServers } from './serve.ts';
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
  --fortisoar-version <v>
                        FortiSOAR: answer as the guide says version v does (before 7.0.0 collections page in
                        the legacy view by default); the settings printed carry FORTISOAR_VERSION=v
  --delay-ms <n>        hold every answer back n ms (latency benchmark; default 0)
  --mutant <id>         answer from a variant of the stub (src/stub/variants/, as npm run variants lists them)
  --settings-file <f>   also write the suite's settings to a file a shell or dotenv can read
  --help                this text

Asynchronous FortiSOAR jobs (import, export, log collection) answer "still running" to their first
${POLLS_TO_COMPLETE} status polls and complete at the next, or ${JOB_SECONDS} s after they started if nobody polls.`;

function fail(message: string): never {
  console.error(`npm run stub: ${message}`);
  process.exit(2);
}

let parsed: ReturnType<typeof parse>;
const parse = () =>
  parseArgs({
    options: {
      port: { type: 'string', default: '8400' },
      host: { type: 'string', default: '127.0.0.1' },
      'delay-ms': { type: 'string', default: '0' },
      mutant: { type: 'string' },
      tls: { type: 'boolean', default: false },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'settings-file': { type: 'string' },
      behaviour: { type: 'string', default: 'documented' },
      'fortisoar-version': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
try {
  parsed = parse();
} catch (e) {
  fail(`${(e as Error).message.split('\n')[0]} (npm run stub -- --help lists the options)`);
}
const { values } = parsed;

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

/** A listen failure in one line: a busy port is the common one (another `npm run stub`?). */
function listenError(e: NodeJS.ErrnoException & { port?: number; address?: string }): string {
  const where = `${e.address ?? values.host}:${e.port ?? values.port}`;
  if (e.code === 'EADDRINUSE')
    return `port ${where} is in use (another npm run stub?); the products take ${values.port} and the next two ports: choose others with --port <n>, or --port 0 for any free ports`;
  if (e.code === 'EACCES') return `not allowed to listen on ${where}; use a port above 1023 (--port 8400), or --port 0 for any free ports`;
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') return `cannot listen on ${where}: --host ${values.host} is not an address of this machine`;
  // Not a listen error: an unknown --mutant, say.
  return e.code ? `cannot listen on ${where}: ${e.message}` : e.message;
}

let tls: TlsFiles | undefined;
try {
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) throw new Error('--tls-cert and --tls-key go together');
  if (values['tls-cert'] !== undefined) tls = readCertificate(values['tls-cert'], values['tls-key']!);
  else if (values.tls) tls = generateSelfSignedCertificate(values.host);
} catch (e) {
  fail((e as Error).message);
}

if (!(BEHAVIOURS as readonly string[]).includes(values.behaviour)) fail(`--behaviour must be ${BEHAVIOURS.join(' or ')}, got "${values.behaviour}"`);
const behaviour = values.behaviour as Behaviour;

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`--port must be a port number (0 for any free ports), got "${values.port}"`);
const fortisoarVersion = values['fortisoar-version'];
if (fortisoarVersion !== undefined && !/^\d+\.\d+\.\d+$/.test(fortisoarVersion)) fail(`--fortisoar-version must look like 7.0.2, got "${fortisoarVersion}"`);
const delayMs = Number(values['delay-ms']);
if (!Number.isFinite(delayMs) || delayMs < 0) fail(`--delay-ms must be a number of milliseconds, got "${values['delay-ms']}"`);

// A fresh FortiSOAR API key per start, as a real server shows one key once (the well-known key works too).
const apiKey = randomBytes(20).toString('hex');
let running: RunningStubs;
try {
  running = await startStubServers({ host: values.host, port, delayMs, mutant: values.mutant, tls, apiKey, behaviour, fortisoarVersion });
} catch (e) {
  fail(listenError(e as NodeJS.ErrnoException));
}
for (const p of PRODUCTS) console.log(`${PRODUCT_NAMES[p]} stub: ${running.urls[p]}${values.mutant ? ` (variant ${values.mutant} where it concerns it)` : ''}`);
console.log(
  `FortiSOAR behaviour: ${behaviour}${behaviour === 'recorded' ? ' (real 7.6.5 recordings where they differ from the guide; --help lists how)' : ' (the guide; --behaviour recorded for real 7.6.5 shapes)'}`,
);
if (tls) {
  console.log(`TLS certificate (self-signed): ${tls.certPath}`);
  console.log('  trust it (NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, curl --cacert) or turn certificate verification off in the client');
}
const c = STUB_CREDENTIALS;
const basic = (id: string, secret: string): string => Buffer.from(`${id}:${secret}`).toString('base64');
const settings = Object.entries({
  ...stubLiveEnv(running.urls),
  ...(tls ? { CONFORMANCE_INSECURE_TLS: '1' } : {}),
  ...(fortisoarVersion ? { FORTISOAR_VERSION: fortisoarVersion } : {}),
}).map(([k, v]) => `${k}=${v}`);
if (values['settings-file']) {
  try {
    mkdirSync(dirname(values['settings-file']), { recursive: true });
    // Single-quoted values: the file is both a dotenv file and a POSIX shell script.
    writeFileSync(values['settings-file'], `${settings.map((s) => s.replace(/=(.*)$/, "='$1'")).join('\n')}\n`, { mode: 0o600 });
  } catch (e) {
    fail(`cannot write --settings-file ${values['settings-file']}: ${(e as Error).message}`);
  }
}
console.log(`
# Point the suite at it${values['settings-file'] ? ` (also written to ${values['settings-file']})` : ''}:
${settings.join('\n')}
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

// Stopping. Ctrl-C reaches this process directly (the terminal signals the whole process group).
// `npm run stub` stopped with SIGTERM reaches only the shell npm started, which dies and leaves
// this process running; SIGHUP to npm ends npm and leaves both. So the parent is watched, and
// under `npm run` (npm_lifecycle_event set) npm above its shell too: when either goes, the stub
// goes. (SIGINT sent to npm alone reaches its shell, which waits: use Ctrl-C or SIGTERM.)
let stopping = false;
function stop(why: string): void {
  if (stopping) return;
  stopping = true;
  console.log(`npm run stub: stopping (${why})`);
  void running.close().then(() => process.exit(0));
  // Keep-alive connections may hold close() back; never outlive the request to stop.
  setTimeout(() => process.exit(0), 2000).unref();
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));

/** The parent of a process, from /proc (Linux); undefined elsewhere or when it is gone. */
function parentOf(pid: number): number | undefined {
  try {
    // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}
const parent = process.ppid;
const npm = process.env.npm_lifecycle_event ? parentOf(parent) : undefined;
setInterval(() => {
  if (process.ppid !== parent) stop('the process that started it ended');
  else if (npm !== undefined && parentOf(parent) !== npm) stop('npm ended');
}, 500).unref();
