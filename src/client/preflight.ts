/**
 * Live mode: one check per product before its suite runs. A broken environment is not a verdict
 * on the API: when the check fails, the product is reported NOT JUDGED with the cause, and the
 * run's exit code says so (README, "Exit codes"), instead of hundreds of failed tests.
 *
 * The cause must be the right one, so that nobody rotates a password because of a proxy page:
 * - only a refusal of the credentials (401 or 403, or a refusal the spec documents for the login:
 *   `specs/fortisoar.yaml`, `authenticate` → 401 and its `x-accept-status`) blames them;
 * - a redirect, 404, 405, 5xx, or a page that is not JSON blames the URL or the server, and the
 *   message shows what answered (status, content type, location, first bytes, redacted);
 * - a certificate the client refuses names CONFORMANCE_INSECURE_TLS and NODE_EXTRA_CA_CERTS;
 * - no answer at all names the host and what the network said (refused, no such host, timeout).
 */

import type { ClientCredentials, Config, ProductId } from '../config/index.ts';
import { PRODUCT_NAMES, PRODUCTS, URL_VARIABLE } from '../config/index.ts';
import { loadSpec, operation } from '../spec/load.ts';
import { type ApiClient, type ApiResponse, NetworkError, ThrottledError } from './api.ts';
import { sendOperation } from './operation.ts';
import { sendLogin, sendTokenRequest } from './products.ts';

/** What went wrong, in the terms a user acts on. */
export type PreflightCause = 'unreachable' | 'certificate' | 'credentials' | 'not-the-api' | 'server-error';

const CAUSE_TEXT: Record<PreflightCause, string> = {
  unreachable: 'unreachable',
  certificate: 'certificate refused',
  credentials: 'credentials refused',
  'not-the-api': 'not the API',
  'server-error': 'server error',
};

/** `[preflight] <Product> <cause>: <details>`; the reporter reports the product NOT JUDGED with this line. */
export class PreflightError extends Error {
  override name = 'PreflightError';
  constructor(
    readonly product: ProductId,
    readonly reason: PreflightCause,
    details: string,
  ) {
    super(`[preflight] ${PRODUCT_NAMES[product]} ${CAUSE_TEXT[reason]}: ${details}`);
  }
}

/** Node's codes (and OpenSSL's) for a certificate the client does not trust. */
const CERTIFICATE_CODES =
  /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|CERT_UNTRUSTED|CERT_REJECTED|CERT_SIGNATURE_FAILURE|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH|INVALID_CA)$/;
const CERTIFICATE_MESSAGES =
  /self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate|certificate has expired|certificate is not yet valid|does not match certificate's altnames|certificate (signature failure|not trusted|rejected)/i;

/** The Node error code of a network failure: `NetworkError.code` where the client sets it, else read from the message. */
export function networkCode(e: Error & { code?: unknown }): string | undefined {
  if (typeof e.code === 'string' && e.code) return e.code;
  const m = /\b(E[A-Z]{3,}[A-Z_]*|ERR_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_[A-Z_]+|CERT_[A-Z_]+)\b/.exec(e.message);
  if (m) return m[1];
  if (CERTIFICATE_MESSAGES.test(e.message)) return 'CERTIFICATE';
  if (/timeout|timed out/i.test(e.message)) return 'ETIMEDOUT';
  return undefined;
}

/** No HTTP answer: which of unreachable or certificate, and what to do about it. */
export function judgeNetworkError(product: ProductId, e: Error & { code?: unknown }, baseUrl: string, config: Config): PreflightError {
  const variable = URL_VARIABLE[product];
  const code = networkCode(e);
  const detail = e.message.replace(/^\[network\] /, '').replace(/^.*? failed: /, '');
  let host: string;
  try {
    host = new URL(baseUrl).host;
  } catch {
    host = baseUrl;
  }
  if (code && (CERTIFICATE_CODES.test(code) || code === 'CERTIFICATE' || CERTIFICATE_MESSAGES.test(e.message))) {
    return new PreflightError(
      product,
      'certificate',
      `the TLS certificate of ${host} was refused (${detail}). If the server's certificate comes from your own CA, trust it: ` +
        'NODE_EXTRA_CA_CERTS=/path/to/ca.pem (in the environment, not in .env); to accept it without verification, set CONFORMANCE_INSECURE_TLS=1',
    );
  }
  const why: Record<string, string> = {
    ECONNREFUSED: `nothing accepts connections at ${host} (connection refused): is the server up, and is the port in ${variable} right?`,
    ENOTFOUND: `the host name in ${variable} does not resolve (${host}): is ${variable} right?`,
    EAI_AGAIN: `the host name in ${variable} could not be resolved now (${host}, DNS temporarily failing)`,
    ETIMEDOUT: `no answer from ${host} within CONFORMANCE_TIMEOUT_MS=${config.requestTimeoutMs} ms: a firewall, a wrong port, or a server too slow`,
    ECONNRESET: `${host} closed the connection without an answer: an https:// URL to a plain-HTTP port (or the reverse)?`,
    EPROTO: `${host} does not speak TLS at that port: is ${variable} http:// rather than https://?`,
    EHOSTUNREACH: `no route to ${host}`,
    ENETUNREACH: `no route to ${host} (network unreachable)`,
  };
  return new PreflightError(product, 'unreachable', `${(code && why[code]) ?? `cannot reach ${host}`} [${detail}]`);
}

/** What answered, for a message: status, content type, location, first bytes, redacted. */
export function describeAnswer(res: ApiResponse, api: ApiClient): string {
  const location = res.headers.location ? `, location ${api.redactor.text(res.headers.location)}` : '';
  const bytes = api.redactor.text(res.text.slice(0, 160)).replace(/\s+/g, ' ').trim();
  return `${res.method} ${new URL(res.url).pathname} answered ${res.status} (${res.contentType || 'no content type'}${location})${bytes ? `: ${JSON.stringify(bytes)}` : ''}`;
}

const isJson = (res: ApiResponse): boolean => /json/i.test(res.contentType);

interface Probe {
  /** What the probe is, for the messages. */
  readonly what: 'login' | 'token' | 'read';
  /** Statuses that refuse the credentials (401 and 403 always). */
  readonly refusal?: readonly number[];
  /** The variables holding the credentials the probe sent. */
  readonly credentials: string;
  /** The variable holding the URL the probe went to (default: the product's URL variable). */
  readonly urlVariable?: string;
  /** What a 404 means when the probe follows an accepted login (the API is there). */
  readonly notFound?: string;
}

/**
 * Judges an HTTP answer to a probe; returns only when it is the answer of a working API that
 * accepted the credentials.
 */
export function judgeAnswer(product: ProductId, res: ApiResponse, api: ApiClient, probe: Probe): void {
  const variable = probe.urlVariable ?? URL_VARIABLE[product];
  const refusal = new Set([401, 403, ...(probe.refusal ?? [])]);
  const answered = describeAnswer(res, api);
  if (refusal.has(res.status)) {
    const page = isJson(res) || res.body.length === 0 ? '' : ` (the refusal is not JSON: if that page is not the API's, check ${variable} too)`;
    throw new PreflightError(product, 'credentials', `${answered}: check ${probe.credentials}${page}`);
  }
  if (res.status >= 300 && res.status < 400) {
    throw new PreflightError(
      product,
      'not-the-api',
      `${answered}: ${variable}=${api.baseUrl} is not the API's base URL (http:// for https://, a login page, a missing path?)`,
    );
  }
  if (res.status === 404 && probe.notFound && isJson(res)) throw new PreflightError(product, 'not-the-api', `${answered}: ${probe.notFound}`);
  if (res.status === 404 || res.status === 405) {
    throw new PreflightError(product, 'not-the-api', `${answered}: the ${PRODUCT_NAMES[product]} API is not at ${variable}=${api.baseUrl}`);
  }
  if (res.status >= 500) {
    throw new PreflightError(product, 'server-error', `${answered}: the server at ${variable}=${api.baseUrl} is failing; try again when it is healthy`);
  }
  if (!isJson(res)) {
    throw new PreflightError(product, 'not-the-api', `${answered} where JSON is documented: is ${variable}=${api.baseUrl} the API's base URL?`);
  }
  if (res.status >= 400) {
    const settings = product === 'forticasb' ? ` and FORTICASB_COMPANY_ID, FORTICASB_BU_ID, FORTICASB_SERVICE` : '';
    throw new PreflightError(product, 'not-the-api', `${answered} to a plain ${probe.what}: check ${variable}${settings}`);
  }
  try {
    JSON.parse(res.text);
  } catch {
    throw new PreflightError(product, 'not-the-api', `${answered}: the body is not JSON although its content type says so`);
  }
}

/** The login refusals the FortiSOAR spec documents (401, with its x-accept-status). */
function loginRefusals(): readonly number[] {
  try {
    return loadSpec('fortisoar').byId.get('authenticate')?.responses['401']?.acceptStatus ?? [401, 403];
  } catch {
    return [401, 403];
  }
}

/** The token of a JSON answer, or a not-the-API failure naming what answered. */
function tokenOf(product: ProductId, res: ApiResponse, api: ApiClient, field: string): string {
  const token = (JSON.parse(res.text) as Record<string, unknown>)[field];
  if (typeof token !== 'string' || token === '') throw new PreflightError(product, 'not-the-api', `${describeAnswer(res, api)}: no "${field}" in the answer`);
  api.redactor.add(token);
  return token;
}

async function probe(product: ProductId, api: ApiClient, config: Config): Promise<void> {
  switch (product) {
    case 'fortisoar': {
      const c = config.fortisoar!;
      let auth: string | undefined;
      if (c.username && c.password) {
        const credentials = 'FORTISOAR_USERNAME/FORTISOAR_PASSWORD';
        const res = await sendLogin(api, c.username, c.password);
        judgeAnswer(product, res, api, { what: 'login', refusal: loginRefusals(), credentials });
        auth = `Bearer ${tokenOf(product, res, api, 'token')}`;
      }
      const read = await sendOperation(api, operation(product, 'listRecords'), {
        path: { collection: c.recordModule },
        query: { $limit: 1 },
        ...(auth ? { auth } : {}),
      });
      judgeAnswer(product, read, api, {
        what: 'read',
        credentials: auth ? 'the permissions of FORTISOAR_USERNAME' : 'FORTISOAR_API_KEY',
        notFound: `no module "${c.recordModule}" there: is FORTISOAR_MODULE right?`,
      });
      return;
    }
    case 'forticasb': {
      const c = config.forticasb!;
      const auth = c.clientCredentials
        ? await clientCredentialsToken(product, api, c.clientCredentials, 'FORTICASB_CLIENT_ID/FORTICASB_CLIENT_SECRET', 'FORTICASB_URL')
        : undefined;
      const now = Date.now();
      const res = await sendOperation(api, operation(product, 'getAlertList'), {
        body: { startTime: now - 3_600_000, endTime: now, skip: 0, limit: 1 },
        ...(auth ? { auth } : {}),
      });
      judgeAnswer(product, res, api, {
        what: 'read',
        credentials: `${c.clientCredentials ? 'the permissions of FORTICASB_CLIENT_ID' : 'FORTICASB_TOKEN'}, FORTICASB_COMPANY_ID, FORTICASB_BU_ID`,
      });
      return;
    }
    case 'fmbs': {
      const c = config.fmbs!;
      const tokenUrlVariable = c.clientCredentials?.tokenUrl === `${c.url}/oauth2/token` ? 'FMBS_URL' : 'FMBS_TOKEN_URL';
      const auth = c.clientCredentials
        ? await clientCredentialsToken(product, api, c.clientCredentials, 'FMBS_CLIENT_ID/FMBS_CLIENT_SECRET', tokenUrlVariable)
        : undefined;
      const res = await sendOperation(api, operation(product, 'listAdminAuditLogEntries'), { query: { limit: 1 }, ...(auth ? { auth } : {}) });
      judgeAnswer(product, res, api, { what: 'read', credentials: c.clientCredentials ? 'the permissions of FMBS_CLIENT_ID' : 'FMBS_TOKEN' });
    }
  }
}

/**
 * OAuth2 client credentials (field notes): a refusal of the client is `invalid_client` (RFC 6749
 * §5.2: 400 or 401) or 401/403; anything else blames the token URL.
 */
async function clientCredentialsToken(product: ProductId, api: ApiClient, c: ClientCredentials, credentials: string, urlVariable: string): Promise<string> {
  const res = await sendTokenRequest(api, c);
  const invalidClient = res.status === 400 && isJson(res) && /invalid_client|unauthorized_client|invalid_grant/.test(res.text);
  judgeAnswer(product, res, api, { what: 'token', refusal: invalidClient ? [400] : [], credentials, urlVariable });
  return `Bearer ${tokenOf(product, res, api, 'access_token')}`;
}

export async function preflight(product: ProductId, api: ApiClient, config: Config): Promise<void> {
  try {
    await probe(product, api, config);
  } catch (e) {
    if (e instanceof PreflightError) throw e;
    if (e instanceof NetworkError) throw judgeNetworkError(product, e, api.baseUrl, config);
    if (e instanceof ThrottledError) throw new PreflightError(product, 'server-error', e.message.replace(/^\[throttled\] /, ''));
    throw new PreflightError(product, 'not-the-api', (e as Error).message);
  }
}

/** The title of a product's preflight test: its other tests, skipped when it failed, name it. */
export const preflightTitle = (product: ProductId): string => `${PRODUCT_NAMES[product]} is reachable and accepts the configured credentials`;

/** Where the runner leaves the preflights' outcome for its workers (Playwright's workers inherit its environment). */
const OUTCOME_VARIABLE = 'CONFORMANCE_PREFLIGHT';

type Outcome = Partial<Record<ProductId, { readonly reason: PreflightCause; readonly message: string }>>;
let parsed: { readonly raw: string; readonly outcome: Outcome } | undefined;

/**
 * Live mode, in the runner before any worker starts (Playwright's global setup): the preflight of
 * every configured product, at once, with the outcome left in the environment for the workers.
 * Run here instead of in a project each product's tests depend on, the whole live run is one
 * project, one set of workers (issue 14), while one product's broken environment still stops only
 * that product's tests. Messages are redacted before they are stored.
 */
export async function preflightAll(config: Config, clientOf: (product: ProductId) => ApiClient, redact: (s: string) => string): Promise<void> {
  const outcome: Outcome = {};
  await Promise.all(
    PRODUCTS.filter((p) => !config.skipped[p]).map(async (product) => {
      const api = clientOf(product);
      try {
        await preflight(product, api, config);
      } catch (e) {
        const err = e as PreflightError;
        outcome[product] = { reason: err.reason, message: redact(err.message) };
      } finally {
        api.close();
      }
    }),
  );
  process.env[OUTCOME_VARIABLE] = JSON.stringify(outcome);
}

/**
 * The preflight's outcome for `product`: `passed`, its error, or `not-run` when the runner ran no
 * preflight (a run without the global setup: the preflight test then runs it itself).
 */
export function preflightOutcome(product: ProductId): 'passed' | 'not-run' | PreflightError {
  const raw = process.env[OUTCOME_VARIABLE];
  if (raw === undefined) return 'not-run';
  // Asked by every test of a live run: parsed once per value.
  if (parsed?.raw !== raw) parsed = { raw, outcome: JSON.parse(raw) as Outcome };
  const failed = parsed.outcome[product];
  if (!failed) return 'passed';
  const error = new PreflightError(product, failed.reason, '');
  error.message = failed.message;
  return error;
}
