/**
 * The HTTP client every case talks through: one per worker and product, the product's
 * authentication applied to each request, and every exchange recorded (for the attachments and
 * a failure's `reproduce.sh`) on the log of the running test.
 *
 * What it promises a live target and its users (issue 15, docs/decisions/safe-live-client.md):
 * - credentials go only to the configured base URL's origin (and the configured token URL, for
 *   the token request alone): a link a response supplies that leads elsewhere is a `[link]`
 *   finding and no request is sent; redirects are never followed;
 * - a request that may have reached the server is sent again only when it is safe to repeat
 *   (GET, HEAD), or when the server refused it before acting (429/503 with `Retry-After`);
 * - answers are bounded: a body larger than CONFORMANCE_MAX_RESPONSE_MB after decompression, or
 *   nested deeper than MAX_JSON_DEPTH, is a `[body]` finding, read no further;
 * - requests keep to the product's rate and concurrency limits (limits.ts).
 */
import { ConformanceError } from '../checks/response.ts';
import type { Redactor } from '../report/redact.ts';
import { looksLikeJson, MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.ts';
import { RequestLimiter, retryAfterMs } from './limits.ts';
import { type Agents, BodyError, createAgents, TransportError, type WireResponse, exchange as wireExchange } from './transport.ts';

export type Query = Readonly<Record<string, string | number | boolean | undefined>> | URLSearchParams;

export interface RequestOptions {
  readonly query?: Query;
  /** JSON body; a string is sent as is (for malformed-body cases). */
  readonly body?: unknown;
  /** Extra headers; a name mapped to `undefined` removes that default header (a missing-header case). */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  /** `false` sends no credentials; a string replaces the Authorization header. */
  readonly auth?: boolean | string;
}

export interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly requestHeaders: Record<string, string>;
  readonly requestBody?: string;
  status?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  error?: string;
  ms?: number;
  /** The server refused for now (429, or 503 with Retry-After). */
  throttled?: boolean;
  /** The wait it asked for (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  /** A throttled answer the client waited out and sent again: counted by the summary. */
  waitedOut?: boolean;
}

/** Node error codes of a dropped or failed connection worth another try (a refused connection and a timeout are not). */
const TRANSIENT = new Set(['ECONNRESET', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED']);
const RETRIES = 2;
/** Methods safe to send twice (RFC 9110 §9.2.2 idempotent and without side effects here). */
const REPEATABLE = new Set(['GET', 'HEAD']);
/** At most this many waits on `Retry-After` for one request, each at most MAX_RETRY_AFTER_MS. */
const THROTTLE_RETRIES = 3;
export const MAX_RETRY_AFTER_MS = 30_000;

/**
 * The server kept refusing for now (429, or 503 with Retry-After) beyond what the client waits:
 * a busy server, not a finding. The test it happens in is not judged (skipped, saying so).
 */
export class ThrottledError extends Error {
  override name = 'ThrottledError';
}

/** The target could not be reached or dropped the connection: no HTTP answer at all. */
export class NetworkError extends Error {
  override name = 'NetworkError';
  constructor(
    message: string,
    /** Node's error code (ECONNREFUSED, ENOTFOUND, DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID, ETIMEDOUT, ...). */
    readonly code?: string,
  ) {
    super(message);
  }
}

export class ApiResponse {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly headers: Readonly<Record<string, string>>,
    readonly body: Buffer,
    /** Redacts what a message shows of the URL and body. */
    private readonly redact: (s: string) => string = (s) => s,
    /** The client has already checked that the body nests no deeper than MAX_JSON_DEPTH. */
    private readonly depthChecked = false,
  ) {}

  get text(): string {
    return this.body.toString('utf8');
  }

  get contentType(): string {
    return this.headers['content-type'] ?? '';
  }

  /** The body parsed as JSON; a body that is not JSON throws a message showing its first bytes. */
  json<T = any>(): T {
    if (!this.depthChecked && nestsDeeperThan(this.body)) {
      throw new ConformanceError(
        `[body] ${this.method} ${this.redact(this.url)} answered ${this.status} with JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
      );
    }
    try {
      return JSON.parse(this.text) as T;
    } catch {
      throw new Error(
        `[response] ${this.method} ${this.redact(this.url)} answered ${this.status} with a body that is not JSON ` +
          `(content-type "${this.contentType}"): ${JSON.stringify(this.redact(this.text.slice(0, 200)))}`,
      );
    }
  }
}

/** How a product's requests carry credentials. */
export interface Authenticator {
  /** Headers for a request; called before each request. */
  headers(client: ApiClient): Promise<Record<string, string>>;
  /** Called after a 401: returns true when credentials were renewed and the request may be sent once more. */
  renew?(client: ApiClient): Promise<boolean>;
}

export interface ClientOptions {
  /** Per request (CONFORMANCE_TIMEOUT_MS). */
  readonly timeoutMs?: number;
  /** Largest body read, after decompression (CONFORMANCE_MAX_RESPONSE_MB). */
  readonly maxResponseBytes?: number;
  /** Accept any TLS certificate (CONFORMANCE_INSECURE_TLS). */
  readonly insecureTls?: boolean;
  /** This client's share of CONFORMANCE_MAX_RPS (limits.ts `share`). */
  readonly maxRps?: number;
  /** This client's share of CONFORMANCE_MAX_CONCURRENCY. */
  readonly maxConcurrency?: number;
  /** The configured client-credentials token URL: the one other place a request may go, for the token alone. */
  readonly tokenUrl?: string;
  /** The variable naming the base URL, for messages (FORTISOAR_URL). */
  readonly baseVariable?: string;
  /**
   * Fields every JSON object body carries unless it has its own, each beside the default header of
   * the same name: a request that removes the header (a missing-header case) goes without the field.
   */
  readonly bodyDefaults?: Readonly<Record<string, string>>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;

/** An error of the transport as the caller sees it: the Node code named, at most one line. */
const oneLine = (s: string): string => s.split('\n')[0] ?? s;

export class ApiClient {
  /** Exchanges of the running test; the fixture swaps it per test. */
  log: Exchange[] = [];
  private readonly origin: string;
  private readonly tokenUrl?: URL;
  private readonly agents: Agents;
  private readonly limiter: RequestLimiter;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;

  constructor(
    readonly baseUrl: string,
    readonly redactor: Redactor,
    private readonly authenticator: Authenticator,
    private readonly defaultHeaders: Readonly<Record<string, string>> = {},
    private readonly options: ClientOptions = {},
  ) {
    this.origin = new URL(baseUrl).origin;
    this.tokenUrl = options.tokenUrl ? new URL(options.tokenUrl) : undefined;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 50 * 1024 * 1024;
    this.limiter = new RequestLimiter(options.maxRps ?? Number.POSITIVE_INFINITY, options.maxConcurrency ?? Number.POSITIVE_INFINITY);
    this.agents = createAgents({ insecureTls: options.insecureTls });
  }

  /** Closes the kept-alive connections (the end of a worker or script). */
  close(): void {
    this.agents.destroy();
  }

  /**
   * The URL of `path`: a path is appended to the base URL (which may have a path of its own); a
   * link with a scheme or `//` (as servers put in `hydra:next`, `@id`, job locations) is resolved
   * against it. Either must stay on the base URL's origin, or be the configured token URL:
   * anything else is a `[link]` finding and nothing is sent.
   */
  url(path: string, query?: Query): string {
    let u: string;
    if (ABSOLUTE.test(path) || path.startsWith('//')) {
      let resolved: URL;
      try {
        resolved = new URL(path, `${this.baseUrl}/`);
      } catch {
        throw this.linkError(path, 'is not a valid URL');
      }
      if (resolved.origin !== this.origin && !this.isTokenUrl(resolved)) {
        throw this.linkError(
          path,
          `leads to another origin (${resolved.protocol === 'http:' || resolved.protocol === 'https:' ? resolved.origin : resolved.protocol})`,
        );
      }
      u = resolved.href;
    } else {
      u = this.baseUrl + (path.startsWith('/') ? path : `/${path}`);
      let resolved: URL;
      try {
        resolved = new URL(u);
      } catch {
        throw this.linkError(path, 'does not make a valid URL');
      }
      // A path cannot change the host of a base URL, but check what will be sent, not what was meant.
      if (resolved.origin !== this.origin) throw this.linkError(path, `leads to another origin (${resolved.origin})`);
    }
    if (!query) return u;
    const params = query instanceof URLSearchParams ? query : new URLSearchParams();
    if (!(query instanceof URLSearchParams)) {
      for (const [k, v] of Object.entries(query)) if (v !== undefined) params.append(k, String(v));
    }
    const qs = params.toString();
    return qs ? `${u}${u.includes('?') ? '&' : '?'}${qs}` : u;
  }

  private isTokenUrl(u: URL): boolean {
    const t = this.tokenUrl;
    return t !== undefined && u.origin === t.origin && u.pathname === t.pathname;
  }

  private linkError(link: string, why: string): ConformanceError {
    const variable = this.options.baseVariable ? `${this.options.baseVariable}=` : '';
    return new ConformanceError(
      `[link] ${JSON.stringify(this.redactor.text(link.slice(0, 500)))} ${why}, not the configured ${variable}${this.origin}: ` +
        'a link taken from a response must stay on the product’s origin; no request was sent, so no credential left it',
    );
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const first = await this.send(method, path, options);
    if (first.status === 401 && options.auth !== false && typeof options.auth !== 'string' && this.authenticator.renew) {
      // Tokens are short-lived (FortiSOAR's about 30 minutes): log in again once and go on.
      if (await this.authenticator.renew(this)) return this.send(method, path, options);
    }
    return first;
  }

  /** The body with the client's default fields it lacks, but those whose header the request removes. */
  private withBodyDefaults(body: unknown, headers: RequestOptions['headers']): unknown {
    const defaults = this.options.bodyDefaults;
    if (!defaults || body === null || typeof body !== 'object' || Array.isArray(body)) return body;
    const removed = new Set(
      Object.entries(headers ?? {})
        .filter(([, v]) => v === undefined)
        .map(([k]) => k.toLowerCase()),
    );
    const added = Object.entries(defaults).filter(([k]) => !removed.has(k.toLowerCase()) && !(k in body));
    return added.length ? { ...Object.fromEntries(added), ...body } : body;
  }

  /** Sends without credential renewal (used by the authenticators themselves). */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const url = this.url(path, options.query);
    const target = new URL(url);
    const withCredentials = options.auth === undefined || options.auth === true;
    if (target.origin !== this.origin && withCredentials) {
      // Only the token request itself (explicit client credentials) goes to the token URL's origin.
      throw this.linkError(path, `is on the token URL's origin (${target.origin}), where only the token request goes`);
    }
    const headers: Record<string, string> = { accept: 'application/json', ...this.defaultHeaders };
    if (withCredentials) Object.assign(headers, await this.authenticator.headers(this));
    else if (typeof options.auth === 'string') headers.authorization = options.auth;
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      for (const k of Object.keys(headers)) if (k.toLowerCase() === name.toLowerCase()) delete headers[k];
      if (value !== undefined) headers[name] = value;
    }
    let data: string | undefined;
    if (options.body !== undefined) {
      data = typeof options.body === 'string' ? options.body : JSON.stringify(this.withBodyDefaults(options.body, options.headers));
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    const bytes = data === undefined ? undefined : Buffer.from(data, 'utf8');
    // Compressed answers are welcome (decoded and bounded by the transport); not logged, so a
    // reproducing `curl` prints text.
    const sent = Object.keys(headers).some((k) => k.toLowerCase() === 'accept-encoding') ? headers : { ...headers, 'accept-encoding': 'gzip, deflate, br' };
    let throttled = 0;
    for (let attempt = 1; ; attempt++) {
      const exchange: Exchange = { method, url, requestHeaders: headers, requestBody: data };
      this.log.push(exchange);
      await this.limiter.acquire();
      const started = Date.now();
      let wire: WireResponse;
      try {
        wire = await wireExchange({
          method,
          url: target,
          headers: sent,
          body: bytes,
          timeoutMs: this.timeoutMs,
          maxBytes: this.maxResponseBytes,
          agents: this.agents,
        });
      } catch (e) {
        exchange.ms = Date.now() - started;
        if (e instanceof BodyError) {
          exchange.status = e.status;
          exchange.responseHeaders = e.headers;
          exchange.error = e.message;
          throw new ConformanceError(`[body] ${method} ${this.redactor.text(url)} answered ${e.status}, but ${this.redactor.text(e.message)}`);
        }
        const code = e instanceof TransportError ? e.code : undefined;
        // The request may have reached the server unless the connection never opened: a create, bulk
        // call or job trigger is sent again only then (no duplicate writes); GET and HEAD may be repeated.
        const mayRepeat = REPEATABLE.has(method.toUpperCase()) || (e instanceof TransportError && !e.sent);
        exchange.error = oneLine((e as Error).message);
        if (attempt <= RETRIES && code !== undefined && TRANSIENT.has(code) && mayRepeat) {
          await sleep(250 * attempt);
          continue;
        }
        throw new NetworkError(`[network] ${method} ${this.redactor.text(url)} failed: ${this.redactor.text(exchange.error)}`, code);
      } finally {
        this.limiter.release();
      }
      exchange.ms = Date.now() - started;
      exchange.status = wire.status;
      exchange.responseHeaders = wire.headers;
      const text = wire.body.toString('utf8');
      exchange.responseBody = text;
      // 429, and 503 with Retry-After: the server refused before acting, so any request may be sent
      // again once the wait it asked for is over, within a bound (RFC 9110 §15.6.4, RFC 6585 §4).
      // A 429 without Retry-After waits 1, 2, then 4 seconds. A throttle that outlasts the bound
      // is no answer to judge: the test is not judged (ThrottledError), never failed on it.
      const asked = wire.status === 429 || wire.status === 503 ? retryAfterMs(wire.headers['retry-after']) : undefined;
      if (asked !== undefined || wire.status === 429) {
        exchange.throttled = true;
        if (asked !== undefined) exchange.retryAfterMs = asked;
        const wait = asked ?? 1000 * 2 ** throttled;
        if (wait <= MAX_RETRY_AFTER_MS && throttled < THROTTLE_RETRIES) {
          exchange.waitedOut = true;
          throttled++;
          attempt--;
          await sleep(wait);
          continue;
        }
        const why =
          wait > MAX_RETRY_AFTER_MS
            ? `asked to wait ${Math.ceil(wait / 1000)} s (Retry-After), more than the ${MAX_RETRY_AFTER_MS / 1000} s the suite waits`
            : `still refused after the suite had waited ${THROTTLE_RETRIES} times`;
        throw new ThrottledError(
          `[throttled] ${method} ${this.redactor.text(url)} answered ${wire.status} and ${why}: the server is busy, so this test is not judged; ` +
            'lower CONFORMANCE_MAX_RPS or CONFORMANCE_MAX_CONCURRENCY, or run it when the server is less busy',
        );
      }
      // Scanned here when it may be JSON, and then not again by ApiResponse.json().
      const scanned = looksLikeJson(wire.body);
      if (scanned && nestsDeeperThan(wire.body)) {
        exchange.error = `JSON nested deeper than ${MAX_JSON_DEPTH} levels`;
        throw new ConformanceError(
          `[body] ${method} ${this.redactor.text(url)} answered ${wire.status} with JSON nested deeper than ${MAX_JSON_DEPTH} levels; it was not parsed`,
        );
      }
      if (scanned) this.learnIssuedCredentials(wire, text);
      return new ApiResponse(method, url, wire.status, wire.headers, wire.body, (s) => this.redactor.body(s), scanned);
    }
  }

  /**
   * A token in an answer (a login, a client-credentials exchange, a token refresh a scenario
   * makes itself) is a secret from then on: the redactor learns it, and records it for the run's
   * artefact scan (redact.ts `issued`).
   */
  private learnIssuedCredentials(wire: WireResponse, text: string): void {
    if (wire.body.length > 1024 * 1024 || !/json/i.test(wire.headers['content-type'] ?? '') || !MAY_NAME_ISSUED.test(text)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    const visit = (v: unknown, depth: number): void => {
      if (depth > 3 || !v || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v)) {
        // Credential-like values only (no spaces, 8 characters or more): a record's `token: "none"` is no secret.
        if (typeof x === 'string' && ISSUED_FIELDS.test(k) && /^\S{8,}$/.test(x)) this.redactor.issued(x, `a credential issued during the run ("${k}")`);
        else if (x && typeof x === 'object' && !Array.isArray(x)) visit(x, depth + 1);
      }
    };
    visit(parsed, 0);
  }

  get(path: string, options?: RequestOptions): Promise<ApiResponse> {
    return this.request('GET', path, options);
  }
  post(path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse> {
    return this.request('POST', path, { ...options, body });
  }
  put(path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse> {
    return this.request('PUT', path, { ...options, body });
  }
  delete(path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse> {
    return this.request('DELETE', path, { ...options, body });
  }
}

/** Fields whose string value is a credential the server issued. */
const ISSUED_FIELDS = /^(token|access_token|refresh_token|id_token|accessToken|refreshToken)$/i;
/**
 * A JSON text that may have one of ISSUED_FIELDS as a key: each has "token" in its name (in any
 * case), which a key writes as is or with `\u` escapes (JSON's only escape that yields a letter).
 * A text without either is not parsed.
 */
const MAY_NAME_ISSUED = /token|\\u/i;
