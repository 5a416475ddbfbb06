/**
 * Environment → typed, frozen configuration.
 *
 * Read once (in the Playwright config, then in each worker from the same environment); tests get
 * it through fixtures and never read `process.env` themselves. A bad setting stops the run at once
 * with one message naming the variable (ConfigError). The variable names are a public contract:
 * users' CI settings must keep working across versions, so never rename one.
 */
import { newRunId, runIdProblem } from '../client/marker.ts';
import { STUB_CREDENTIALS, STUB_URLS } from '../stub/credentials.ts';
import { describeUnknown, unknownVariables } from './variables.ts';

export type Target = 'stub' | 'live';
export type ProductId = 'fortisoar' | 'forticasb' | 'fmbs';
export const PRODUCTS: readonly ProductId[] = ['fortisoar', 'forticasb', 'fmbs'];

export const PRODUCT_NAMES: Record<ProductId, string> = {
  fortisoar: 'FortiSOAR',
  forticasb: 'FortiCASB',
  fmbs: 'FortiMail Browser Security',
};

export interface FortiSoarConfig {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly apiKey?: string;
  /** A licence key for the licence operations on a live target (FORTISOAR_LICENSE_KEY). */
  readonly licenseKey?: string;
  /**
   * The unique fields of the record module ("the unique list of fields you have specified for that
   * module using the Module Editor"), when known (FORTISOAR_UNIQUE_FIELDS; the stub's: sourceId of
   * alerts). Unknown, the upsert test discovers whether a second upsert updates, or skips.
   */
  readonly uniqueFields?: readonly string[];
  /** Version whose documented behaviour is checked (the guide describes up to 7.0.2). */
  readonly version: string;
  /** Module the record, bulk and paging tests write to. */
  readonly recordModule: string;
  /** Parent and related module of the relationship tests (`incidents/assets` in the guide). */
  readonly relation: { readonly parent: string; readonly related: string };
}

/** OAuth2 client credentials the suite exchanges for a token itself (field notes). */
export interface ClientCredentials {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface FortiCasbConfig {
  readonly url: string;
  /** A ready token, or `clientCredentials` to obtain one. */
  readonly token?: string;
  readonly clientCredentials?: ClientCredentials;
  readonly companyId: string;
  readonly buId: string;
  readonly service: string;
}

export interface FmbsConfig {
  readonly url: string;
  readonly token?: string;
  readonly clientCredentials?: ClientCredentials;
}

export interface Config {
  readonly target: Target;
  /** Products to test; a product missing here is skipped, with `skipped[product]` saying why. */
  readonly fortisoar?: FortiSoarConfig;
  readonly forticasb?: FortiCasbConfig;
  readonly fmbs?: FmbsConfig;
  readonly skipped: Readonly<Partial<Record<ProductId, string>>>;
  /** `CONFORMANCE_DESTRUCTIVE=1`: run operations that change or delete data the suite did not create. */
  readonly destructive: boolean;
  /** Upper bound of pages one walk reads on a live target. */
  readonly maxPages: number;
  /** Recognisable marker carried by every record the suite creates (src/client/marker.ts): unique per run unless CONFORMANCE_RUN_ID sets it. */
  readonly runId: string;
  readonly requestTimeoutMs: number;
  readonly insecureTls: boolean;
  /** Largest response body read, counted after decompression (CONFORMANCE_MAX_RESPONSE_MB); a larger one is a `[body]` finding. */
  readonly maxResponseBytes: number;
  /**
   * Live mode: requests per second and requests in flight allowed to each product, for the whole
   * run (CONFORMANCE_MAX_RPS, CONFORMANCE_MAX_CONCURRENCY); each worker takes its share.
   * `Infinity` in stub mode unless set.
   */
  readonly maxRps: number;
  readonly maxConcurrency: number;
  /** Stub mode only: the variant of the stub to answer from (src/stub/variants/; `npm run stub -- --mutant`). */
  readonly stubMutant?: string;
  /** Every secret value of this configuration, for the redactor. */
  readonly secrets: readonly string[];
  /** The order tests run in (CONFORMANCE_ORDER): the spec's, reversed, or shuffled by a seed. */
  readonly order: Order;
}

export type Order = { readonly kind: 'spec' } | { readonly kind: 'reverse' } | { readonly kind: 'shuffle'; readonly seed: number };

function order(env: Env): Order {
  const v = value(env, 'CONFORMANCE_ORDER');
  if (v === undefined || v === 'spec') return { kind: 'spec' };
  if (v === 'reverse') return { kind: 'reverse' };
  const m = /^shuffle:(\d{1,9})$/.exec(v);
  if (m) return { kind: 'shuffle', seed: Number(m[1]) };
  throw new ConfigError('CONFORMANCE_ORDER', `must be spec, reverse or shuffle:<seed> (a number), got "${v}"`);
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** The newest behaviour the FortiSOAR guide describes (workflow table cleanup, 7.0.2). */
export const NEWEST_FORTISOAR_VERSION = '7.0.2';

const value = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
};

const required = (env: Env, name: string, why: string): string => {
  const v = value(env, name);
  if (v === undefined) throw new ConfigError(name, `is required ${why}`);
  return v;
};

const flag = (env: Env, name: string): boolean => {
  const v = value(env, name);
  if (v === undefined || v === '0' || v.toLowerCase() === 'false') return false;
  if (v === '1' || v.toLowerCase() === 'true') return true;
  throw new ConfigError(name, `must be 1 or 0, got "${v}"`);
};

const positiveInt = (env: Env, name: string, fallback: number): number => {
  const v = value(env, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(name, `must be a positive integer, got "${v}"`);
  return n;
};

const positiveNumber = (env: Env, name: string, fallback: number): number => {
  const v = value(env, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(name, `must be a positive number, got "${v}"`);
  return n;
};

const runId = (env: Env): string => {
  const v = value(env, 'CONFORMANCE_RUN_ID');
  if (v === undefined) return newRunId();
  const problem = runIdProblem(v);
  if (problem) throw new ConfigError('CONFORMANCE_RUN_ID', problem);
  return v;
};

/** Defaults a staging instance tolerates (issue 12): 4 requests in flight (the default live workers, one each), 20 a second. */
export const DEFAULT_MAX_RPS = 20;
export const DEFAULT_MAX_CONCURRENCY = 4;
export const DEFAULT_MAX_RESPONSE_MB = 50;

const url = (env: Env, name: string): string | undefined => {
  const v = value(env, name);
  if (v === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw new ConfigError(name, `must be an absolute http(s) URL, got "${v}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(name, `must be an http:// or https:// URL, got "${v}"`);
  }
  return v.replace(/\/+$/, '');
};

/**
 * Each secret setting (src/config/variables.ts, `secret: true`) and where the configuration keeps
 * it: the one list the redactor, the artefact scan and reproduce.sh read.
 */
const SECRET_SETTINGS: readonly { readonly variable: string; readonly what: string; readonly of: (c: ProductConfigs) => string | undefined }[] = [
  { variable: 'FORTISOAR_PASSWORD', what: 'the password of FORTISOAR_USERNAME', of: (c) => c.fortisoar?.password },
  { variable: 'FORTISOAR_API_KEY', what: 'a FortiSOAR API key', of: (c) => c.fortisoar?.apiKey },
  { variable: 'FORTISOAR_LICENSE_KEY', what: 'a FortiSOAR licence key', of: (c) => c.fortisoar?.licenseKey },
  { variable: 'FORTICASB_TOKEN', what: 'a FortiCASB access token', of: (c) => c.forticasb?.token },
  { variable: 'FORTICASB_CLIENT_SECRET', what: 'the FortiCASB API client secret', of: (c) => c.forticasb?.clientCredentials?.clientSecret },
  { variable: 'FMBS_TOKEN', what: 'an FMBS access token', of: (c) => c.fmbs?.token },
  { variable: 'FMBS_CLIENT_SECRET', what: 'the FMBS OAuth2 client secret', of: (c) => c.fmbs?.clientCredentials?.clientSecret },
];

/** The variables that hold secrets, in the order above. */
export const SECRET_VARIABLES: readonly string[] = SECRET_SETTINGS.map((s) => s.variable);

type ProductConfigs = Pick<Config, 'fortisoar' | 'forticasb' | 'fmbs'>;

/** The configured secrets (four characters or more), each with the variable that holds it and what it is. */
export function namedSecrets(config: ProductConfigs): { variable: string; what: string; value: string }[] {
  return SECRET_SETTINGS.flatMap(({ variable, what, of }) => {
    const value = of(config);
    return typeof value === 'string' && value.length >= 4 ? [{ variable, what, value }] : [];
  });
}

/** The password of a URL's user information, as written and decoded; none when there is none. */
function userPassword(u: string | undefined): string[] {
  if (u === undefined) return [];
  try {
    const { password } = new URL(u);
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return [];
  }
}

const VERSION = /^\d+\.\d+\.\d+$/;

/** FORTISOAR_UNIQUE_FIELDS: field names, comma-separated; the stub's alerts are unique on sourceId. */
function uniqueFields(env: Env, target: Target): readonly string[] | undefined {
  const v = value(env, 'FORTISOAR_UNIQUE_FIELDS');
  if (v === undefined) return target === 'stub' && (value(env, 'FORTISOAR_MODULE') ?? 'alerts') === 'alerts' ? ['sourceId'] : undefined;
  const fields = v.split(',').map((f) => f.trim());
  if (fields.some((f) => !/^[A-Za-z_][\w.]*$/.test(f))) throw new ConfigError('FORTISOAR_UNIQUE_FIELDS', `must be field names separated by commas, got "${v}"`);
  return fields;
}

function fortisoar(env: Env, target: Target): FortiSoarConfig | undefined {
  const base = target === 'stub' ? STUB_URLS.fortisoar : url(env, 'FORTISOAR_URL');
  if (base === undefined) return undefined;
  const version = value(env, 'FORTISOAR_VERSION') ?? NEWEST_FORTISOAR_VERSION;
  if (!VERSION.test(version)) throw new ConfigError('FORTISOAR_VERSION', `must look like 7.0.2, got "${version}"`);
  const relation = value(env, 'FORTISOAR_RELATION') ?? 'incidents/assets';
  const [parent, related, ...rest] = relation.split('/');
  if (!parent || !related || rest.length > 0) {
    throw new ConfigError('FORTISOAR_RELATION', `must be <parent module>/<related module>, got "${relation}"`);
  }
  const common = {
    url: base,
    version,
    recordModule: value(env, 'FORTISOAR_MODULE') ?? 'alerts',
    relation: { parent, related },
    licenseKey: value(env, 'FORTISOAR_LICENSE_KEY'),
    uniqueFields: uniqueFields(env, target),
  };
  if (target === 'stub') return { ...common, ...STUB_CREDENTIALS.fortisoar };
  const apiKey = value(env, 'FORTISOAR_API_KEY');
  if (apiKey !== undefined && value(env, 'FORTISOAR_USERNAME') === undefined) return { ...common, apiKey };
  const why = 'when FORTISOAR_URL is set (or set FORTISOAR_API_KEY instead)';
  return { ...common, username: required(env, 'FORTISOAR_USERNAME', why), password: required(env, 'FORTISOAR_PASSWORD', why), apiKey };
}

function forticasb(env: Env, target: Target): FortiCasbConfig | undefined {
  if (target === 'stub') return { url: STUB_URLS.forticasb, ...STUB_CREDENTIALS.forticasb };
  const base = url(env, 'FORTICASB_URL');
  if (base === undefined) return undefined;
  const why = 'when FORTICASB_URL is set';
  const clientCredentials = credentials(env, 'FORTICASB_CLIENT_ID', 'FORTICASB_CLIENT_SECRET', `${base}/api/v1/auth/credentials/token/`);
  return {
    url: base,
    ...(clientCredentials ? { clientCredentials } : { token: required(env, 'FORTICASB_TOKEN', `${why} (or FORTICASB_CLIENT_ID and FORTICASB_CLIENT_SECRET)`) }),
    companyId: required(env, 'FORTICASB_COMPANY_ID', why),
    buId: required(env, 'FORTICASB_BU_ID', why),
    service: required(env, 'FORTICASB_SERVICE', why),
  };
}

function fmbs(env: Env, target: Target): FmbsConfig | undefined {
  if (target === 'stub') return { url: STUB_URLS.fmbs, ...STUB_CREDENTIALS.fmbs };
  const base = url(env, 'FMBS_URL');
  if (base === undefined) return undefined;
  const clientCredentials = credentials(env, 'FMBS_CLIENT_ID', 'FMBS_CLIENT_SECRET', value(env, 'FMBS_TOKEN_URL') ?? `${base}/oauth2/token`);
  return clientCredentials
    ? { url: base, clientCredentials }
    : { url: base, token: required(env, 'FMBS_TOKEN', 'when FMBS_URL is set (or FMBS_CLIENT_ID and FMBS_CLIENT_SECRET)') };
}

/** A client id and its secret (`<PREFIX>_CLIENT_ID`, `<PREFIX>_CLIENT_SECRET`), both or neither. */
function credentials(env: Env, idVariable: string, secretVariable: string, tokenUrl: string): ClientCredentials | undefined {
  const clientId = value(env, idVariable);
  const clientSecret = value(env, secretVariable);
  if (clientId === undefined && clientSecret === undefined) return undefined;
  if (clientId === undefined) throw new ConfigError(idVariable, `is required when ${secretVariable} is set`);
  if (clientSecret === undefined) throw new ConfigError(secretVariable, `is required when ${idVariable} is set`);
  return { tokenUrl, clientId, clientSecret };
}

/** The variable that holds each product's base URL. */
export const URL_VARIABLE: Record<ProductId, string> = { fortisoar: 'FORTISOAR_URL', forticasb: 'FORTICASB_URL', fmbs: 'FMBS_URL' };

export function loadConfig(env: Env): Config {
  const rawTarget = value(env, 'CONFORMANCE_TARGET') ?? 'stub';
  if (rawTarget !== 'stub' && rawTarget !== 'live') {
    throw new ConfigError('CONFORMANCE_TARGET', `must be "stub" or "live", got "${rawTarget}"`);
  }
  const target: Target = rawTarget;
  const products = { fortisoar: fortisoar(env, target), forticasb: forticasb(env, target), fmbs: fmbs(env, target) };
  const skipped: Partial<Record<ProductId, string>> = {};
  for (const id of PRODUCTS) {
    if (products[id] === undefined) skipped[id] = `${PRODUCT_NAMES[id]} skipped: set ${URL_VARIABLE[id]} to test it`;
  }
  if (target === 'live' && Object.keys(skipped).length === PRODUCTS.length) {
    throw new ConfigError('CONFORMANCE_TARGET', 'is "live" but none of FORTISOAR_URL, FORTICASB_URL, FMBS_URL is set');
  }
  const stubMutant = value(env, 'CONFORMANCE_STUB_MUTANT');
  if (stubMutant !== undefined && target !== 'stub') {
    throw new ConfigError('CONFORMANCE_STUB_MUTANT', 'only applies with CONFORMANCE_TARGET=stub');
  }
  const secrets = [
    ...namedSecrets(products).map((s) => s.value),
    // A password in a URL's user information (https://user:pw@host) is a secret like any other.
    ...[products.fortisoar?.url, products.forticasb?.url, products.fmbs?.url].flatMap(userPassword),
    ...[products.forticasb?.clientCredentials?.tokenUrl, products.fmbs?.clientCredentials?.tokenUrl].flatMap(userPassword),
  ].filter((s): s is string => typeof s === 'string' && s.length >= 4);
  return deepFreeze({
    target,
    ...products,
    skipped,
    destructive: flag(env, 'CONFORMANCE_DESTRUCTIVE'),
    maxPages: positiveInt(env, 'CONFORMANCE_MAX_PAGES', 50),
    runId: runId(env),
    requestTimeoutMs: positiveInt(env, 'CONFORMANCE_TIMEOUT_MS', 30_000),
    insecureTls: flag(env, 'CONFORMANCE_INSECURE_TLS'),
    maxResponseBytes: Math.round(positiveNumber(env, 'CONFORMANCE_MAX_RESPONSE_MB', DEFAULT_MAX_RESPONSE_MB) * 1024 * 1024),
    // The built-in stub answers in-process: only a live target needs sparing, unless a limit is set.
    maxRps: positiveNumber(env, 'CONFORMANCE_MAX_RPS', target === 'live' ? DEFAULT_MAX_RPS : Number.POSITIVE_INFINITY),
    maxConcurrency: positiveInt(env, 'CONFORMANCE_MAX_CONCURRENCY', target === 'live' ? DEFAULT_MAX_CONCURRENCY : Number.POSITIVE_INFINITY),
    stubMutant,
    secrets,
    order: order(env),
  });
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** Compares dotted versions numerically (non-numeric parts as 0): negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** For entry points (the Playwright config, scripts): the configuration, or one message naming the variable and exit code 2. */
export function loadConfigOrExit(env: Env): Config {
  warnUnknownVariables(env);
  try {
    return loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuration error: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
}

/**
 * A variable with the suite's prefixes that the suite does not know is probably a typo
 * (`FORTISOAR_VERISON`): one warning naming the nearest known variable, once per run. The
 * Playwright config is loaded by the runner and again by every worker; the runner's environment
 * is inherited, so a marker set here keeps the workers (and any child process) quiet.
 */
export function warnUnknownVariables(env: Env, write: (line: string) => void = (line) => console.warn(line)): void {
  if (env.CONFORMANCE_SETTINGS_CHECKED === '1' || env.TEST_WORKER_INDEX) return;
  for (const line of describeUnknown(unknownVariables(env))) write(line);
  if (env === process.env) process.env.CONFORMANCE_SETTINGS_CHECKED = '1';
}
