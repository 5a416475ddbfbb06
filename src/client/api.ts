/**
 * The HTTP client every case talks through: one Playwright APIRequestContext per worker and
 * product, the product's authentication applied to each request, and every exchange recorded
 * (for the attachments and the `curl` line of a failure) on the log of the running test.
 */
import type { APIRequestContext } from '@playwright/test';
import type { Redactor } from '../report/redact.ts';

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
}

/** Errors worth another try: the connection dropped mid-exchange. */
const TRANSIENT = /ECONNRESET|EPIPE|socket hang up|EAI_AGAIN|ENETUNREACH|other side closed/i;
const RETRIES = 2;

/** The target could not be reached or dropped the connection: no HTTP answer at all. */
export class NetworkError extends Error {
  override name = 'NetworkError';
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
  ) {}

  get text(): string {
    return this.body.toString('utf8');
  }

  get contentType(): string {
    return this.headers['content-type'] ?? '';
  }

  /** The body parsed as JSON; a body that is not JSON throws a message showing its first bytes. */
  json<T = any>(): T {
    try {
      return JSON.parse(this.text) as T;
    } catch {
      throw new Error(
        `[response] ${this.method} ${this.redact(this.url)} answered ${this.status} with a body that is not JSON ` +
          `(content-type "${this.contentType}"): ${JSON.stringify(this.redact(this.text).slice(0, 200))}`,
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

export class ApiClient {
  /** Exchanges of the running test; the fixture swaps it per test. */
  log: Exchange[] = [];

  constructor(
    readonly baseUrl: string,
    private readonly context: APIRequestContext,
    readonly redactor: Redactor,
    private readonly authenticator: Authenticator,
    private readonly defaultHeaders: Readonly<Record<string, string>> = {},
    private readonly timeoutMs = 30_000,
  ) {}

  url(path: string, query?: Query): string {
    const u = path.startsWith('http://') || path.startsWith('https://') ? path : this.baseUrl + (path.startsWith('/') ? path : `/${path}`);
    if (!query) return u;
    const params = query instanceof URLSearchParams ? query : new URLSearchParams();
    if (!(query instanceof URLSearchParams)) {
      for (const [k, v] of Object.entries(query)) if (v !== undefined) params.append(k, String(v));
    }
    const qs = params.toString();
    return qs ? `${u}${u.includes('?') ? '&' : '?'}${qs}` : u;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const first = await this.send(method, path, options);
    if (first.status === 401 && options.auth !== false && typeof options.auth !== 'string' && this.authenticator.renew) {
      // Tokens are short-lived (FortiSOAR's about 30 minutes): log in again once and go on.
      if (await this.authenticator.renew(this)) return this.send(method, path, options);
    }
    return first;
  }

  /** Sends without credential renewal (used by the authenticators themselves). */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const url = this.url(path, options.query);
    const headers: Record<string, string> = { accept: 'application/json', ...this.defaultHeaders };
    if (options.auth === undefined || options.auth === true) Object.assign(headers, await this.authenticator.headers(this));
    else if (typeof options.auth === 'string') headers.authorization = options.auth;
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      for (const k of Object.keys(headers)) if (k.toLowerCase() === name.toLowerCase()) delete headers[k];
      if (value !== undefined) headers[name] = value;
    }
    let data: string | undefined;
    if (options.body !== undefined) {
      data = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    for (let attempt = 1; ; attempt++) {
      const exchange: Exchange = { method, url, requestHeaders: headers, requestBody: data };
      this.log.push(exchange);
      const started = Date.now();
      try {
        const res = await this.context.fetch(url, { method, headers, data, timeout: this.timeoutMs, failOnStatusCode: false, maxRedirects: 0 });
        const body = await res.body();
        exchange.status = res.status();
        exchange.responseHeaders = res.headers();
        exchange.responseBody = body.toString('utf8');
        exchange.ms = Date.now() - started;
        return new ApiResponse(method, url, res.status(), res.headers(), body, (s) => this.redactor.body(s));
      } catch (e) {
        exchange.error = (e as Error).message.split('\n')[0];
        // A transient network error is retried a bounded number of times; an HTTP answer never is
        // (a 4xx or 5xx is a finding), and neither is a refused connection or a timeout.
        if (attempt <= RETRIES && TRANSIENT.test(exchange.error ?? '')) {
          await new Promise((r) => setTimeout(r, 250 * attempt));
          continue;
        }
        throw new NetworkError(`[network] ${method} ${this.redactor.text(url)} failed: ${this.redactor.text(exchange.error ?? '')}`);
      }
    }
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
