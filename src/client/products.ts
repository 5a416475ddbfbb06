/**
 * Configuration → authenticated client, per product. The only place that knows how each product
 * carries credentials (FortiSOAR guide "Authentication API"; FortiCASB "Request Header";
 * FortiMail Browser Security: a bearer token, field notes).
 */

import type { ClientCredentials, Config, ProductId } from '../config/index.ts';
import { URL_VARIABLE } from '../config/index.ts';
import type { Redactor } from '../report/redact.ts';
import { operation } from '../spec/load.ts';
import { ApiClient, type ApiResponse, type Authenticator, type ClientOptions } from './api.ts';
import { share } from './limits.ts';
import { sendOperation } from './operation.ts';

export class CredentialsError extends Error {}

/**
 * FortiSOAR's login request (guide "Authentication API": POST /auth/authenticate), sent without
 * credentials; the caller judges the answer (a worker's login, the live preflight).
 */
export function sendLogin(client: ApiClient, username: string, password: string): Promise<ApiResponse> {
  return sendOperation(client, operation('fortisoar', 'authenticate'), {
    auth: false,
    body: { credentials: { loginid: username, password } },
  });
}

/**
 * The OAuth2 client-credentials token request (field notes): Basic client id and secret (taught
 * to the redactor first), `grant_type=client_credentials`, to the configured token URL; the caller
 * judges the answer (a worker's login, the live preflight).
 */
export function sendTokenRequest(client: ApiClient, credentials: ClientCredentials): Promise<ApiResponse> {
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
  client.redactor.add(basic);
  return client.send('POST', credentials.tokenUrl, {
    auth: `Basic ${basic}`,
    body: 'grant_type=client_credentials',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/**
 * A token obtained once per worker and shared by its requests; a failed attempt is not cached
 * (the next test tries again and reports its own failure); renewed once after a 401.
 */
abstract class TokenLogin implements Authenticator {
  private token?: Promise<string>;

  /** Obtains a new token (and hands it to the redactor). */
  protected abstract obtain(client: ApiClient): Promise<string>;

  async headers(client: ApiClient): Promise<Record<string, string>> {
    this.token ??= this.obtain(client);
    const token = await this.token.catch((e: unknown) => {
      this.token = undefined;
      throw e;
    });
    return { authorization: `Bearer ${token}` };
  }

  async renew(client: ApiClient): Promise<boolean> {
    this.token = this.obtain(client);
    await this.token;
    return true;
  }
}

/** FortiSOAR: POST /auth/authenticate once per worker, then `Authorization: Bearer <token>`. */
export class FortiSoarLogin extends TokenLogin {
  constructor(
    private readonly username: string,
    private readonly password: string,
  ) {
    super();
  }

  protected async obtain(client: ApiClient): Promise<string> {
    const res = await sendLogin(client, this.username, this.password);
    if (res.status !== 200) {
      throw new CredentialsError(
        `[auth] FortiSOAR refused FORTISOAR_USERNAME/FORTISOAR_PASSWORD: POST /auth/authenticate answered ${res.status} ` +
          `${client.redactor.text(res.text.slice(0, 200))}`,
      );
    }
    const token = (res.json() as { token?: unknown }).token;
    if (typeof token !== 'string' || token === '') throw new CredentialsError('[auth] POST /auth/authenticate answered 200 without a "token" string');
    client.redactor.issued(token, 'a FortiSOAR token issued by POST /auth/authenticate');
    return token;
  }
}

/**
 * OAuth2 client credentials (field notes: FortiCASB `POST /api/v1/auth/credentials/token/`,
 * FortiMail Browser Security `/oauth2/token`): Basic client id and secret,
 * `grant_type=client_credentials`, the `access_token` sent as a bearer token; renewed on 401.
 */
export class ClientCredentialsLogin extends TokenLogin {
  constructor(
    private readonly credentials: ClientCredentials,
    private readonly variables: string,
  ) {
    super();
  }

  protected async obtain(client: ApiClient): Promise<string> {
    const res = await sendTokenRequest(client, this.credentials);
    const token = res.status === 200 && /json/i.test(res.contentType) ? (res.json() as { access_token?: unknown }).access_token : undefined;
    if (typeof token !== 'string' || token === '') {
      throw new CredentialsError(
        `[auth] ${this.credentials.tokenUrl} gave no access_token for ${this.variables} (answered ${res.status}): ${client.redactor.text(res.text.slice(0, 200))}`,
      );
    }
    client.redactor.issued(token, `an access token issued for ${this.variables}`);
    return token;
  }
}

export const staticAuth = (authorization: string): Authenticator => ({ headers: async () => ({ authorization }) });

/**
 * The client of `product` for one process. `workers`: how many processes share the run's rate
 * and concurrency limits (the Playwright workers; 1 for a script), each taking an equal share.
 */
export function createClient(product: ProductId, config: Config, redactor: Redactor, options: { workers?: number } = {}): ApiClient {
  const workers = options.workers ?? 1;
  const common: ClientOptions = {
    timeoutMs: config.requestTimeoutMs,
    maxResponseBytes: config.maxResponseBytes,
    insecureTls: config.insecureTls,
    maxRps: share(config.maxRps, workers),
    maxConcurrency: share(config.maxConcurrency, workers),
    baseVariable: URL_VARIABLE[product],
  };
  switch (product) {
    case 'fortisoar': {
      const c = config.fortisoar!;
      const auth = c.username && c.password ? new FortiSoarLogin(c.username, c.password) : staticAuth(`API-KEY ${c.apiKey}`);
      return new ApiClient(c.url, redactor, auth, {}, common);
    }
    case 'forticasb': {
      const c = config.forticasb!;
      // "Request Header": companyId, Authorization, buId, service (names are case-insensitive).
      const auth = c.clientCredentials
        ? new ClientCredentialsLogin(c.clientCredentials, 'FORTICASB_CLIENT_ID/FORTICASB_CLIENT_SECRET')
        : staticAuth(`Bearer ${c.token}`);
      const headers = { companyId: c.companyId, buId: c.buId, service: c.service };
      // The sample request sends service in the body too, and newer builds read it there (field notes).
      return new ApiClient(c.url, redactor, auth, headers, { ...common, tokenUrl: c.clientCredentials?.tokenUrl, bodyDefaults: { service: c.service } });
    }
    case 'fmbs': {
      const c = config.fmbs!;
      const auth = c.clientCredentials ? new ClientCredentialsLogin(c.clientCredentials, 'FMBS_CLIENT_ID/FMBS_CLIENT_SECRET') : staticAuth(`Bearer ${c.token}`);
      return new ApiClient(c.url, redactor, auth, {}, { ...common, tokenUrl: c.clientCredentials?.tokenUrl });
    }
  }
}
