/**
 * Configuration → authenticated client, per product. The only place that knows how each product
 * carries credentials (FortiSOAR guide "Authentication API"; FortiCASB "Request Header";
 * FortiMail Browser Security: a bearer token, field notes).
 */
import type { APIRequestContext } from '@playwright/test';
import type { Config, ProductId } from '../config/index.ts';
import type { Redactor } from '../report/redact.ts';
import { ApiClient, type Authenticator } from './api.ts';

export class CredentialsError extends Error {}

/** FortiSOAR: POST /auth/authenticate once per worker, then `Authorization: Bearer <token>`. */
export class FortiSoarLogin implements Authenticator {
  private token?: Promise<string>;
  constructor(
    private readonly username: string,
    private readonly password: string,
  ) {}

  async login(client: ApiClient): Promise<string> {
    const res = await client.send('POST', '/auth/authenticate', {
      auth: false,
      body: { credentials: { loginid: this.username, password: this.password } },
    });
    if (res.status !== 200) {
      throw new CredentialsError(
        `[auth] FortiSOAR refused FORTISOAR_USERNAME/FORTISOAR_PASSWORD: POST /auth/authenticate answered ${res.status} ` +
          `${client.redactor.text(res.text.slice(0, 200))}`,
      );
    }
    const token = (res.json() as { token?: unknown }).token;
    if (typeof token !== 'string' || token === '') throw new CredentialsError('[auth] POST /auth/authenticate answered 200 without a "token" string');
    client.redactor.add(token);
    return token;
  }

  async headers(client: ApiClient): Promise<Record<string, string>> {
    this.token ??= this.login(client);
    // A failed login is not cached: the next test tries again and reports its own failure.
    const token = await this.token.catch((e: unknown) => {
      this.token = undefined;
      throw e;
    });
    return { authorization: `Bearer ${token}` };
  }

  async renew(client: ApiClient): Promise<boolean> {
    this.token = this.login(client);
    await this.token;
    return true;
  }
}

export const staticAuth = (authorization: string): Authenticator => ({ headers: async () => ({ authorization }) });

export function createClient(product: ProductId, config: Config, context: APIRequestContext, redactor: Redactor): ApiClient {
  const timeout = config.requestTimeoutMs;
  switch (product) {
    case 'fortisoar': {
      const c = config.fortisoar!;
      const auth = c.username && c.password ? new FortiSoarLogin(c.username, c.password) : staticAuth(`API-KEY ${c.apiKey}`);
      return new ApiClient(c.url, context, redactor, auth, {}, timeout);
    }
    case 'forticasb': {
      const c = config.forticasb!;
      // "Request Header": companyId, Authorization, buId, service (names are case-insensitive).
      return new ApiClient(c.url, context, redactor, staticAuth(`Bearer ${c.token}`), { companyId: c.companyId, buId: c.buId, service: c.service }, timeout);
    }
    case 'fmbs': {
      const c = config.fmbs!;
      return new ApiClient(c.url, context, redactor, staticAuth(`Bearer ${c.token}`), {}, timeout);
    }
  }
}
