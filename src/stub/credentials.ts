/**
 * The built-in stub's base URLs (stub mode, intercepted by nock; `.invalid` can never resolve, so
 * nothing leaves the machine) and the credentials it accepts, both in stub mode and when served
 * by `npm run stub`. They are published defaults, not secrets.
 */
import type { ProductId } from '../config/index.ts';

export const STUB_URLS = {
  fortisoar: 'https://fortisoar.stub.invalid',
  forticasb: 'https://forticasb.stub.invalid',
  fmbs: 'https://fmbs.stub.invalid',
} as const;

/**
 * `fortisoar.apiKey` is the well-known API key (`Authorization: API-KEY <key>`) of every stub;
 * `npm run stub` also generates and prints one per start. The suite logs in with username and
 * password when both are set (src/config), so the key is there for clients and tests.
 * `clientId`/`clientSecret` are the OAuth2 client credentials the token routes accept (Basic):
 * FortiCASB `POST /api/v1/auth/credentials/token/`, FMBS `POST /oauth2/token`.
 */
export const STUB_CREDENTIALS = {
  fortisoar: { username: 'csadmin', password: 'stub-Passw0rd!', apiKey: 'stub-soar-api-key-0123456789abcdef' },
  forticasb: {
    token: 'stub-casb-token',
    companyId: '6',
    buId: '6384',
    service: 'Salesforce',
    clientId: 'stub-casb-client',
    clientSecret: 'stub-casb-client-secret',
  },
  fmbs: { token: 'stub-fmbs-token', clientId: 'stub-fmbs-client', clientSecret: 'stub-fmbs-client-secret' },
} as const;

const c = STUB_CREDENTIALS;
/** Each product's live settings for a stub server at `url`, in the order `npm run stub` prints them. */
const LIVE_SETTINGS: Readonly<Record<ProductId, (url: string) => Record<string, string>>> = {
  fortisoar: (url) => ({ FORTISOAR_URL: url, FORTISOAR_USERNAME: c.fortisoar.username, FORTISOAR_PASSWORD: c.fortisoar.password }),
  forticasb: (url) => ({
    FORTICASB_URL: url,
    FORTICASB_TOKEN: c.forticasb.token,
    FORTICASB_COMPANY_ID: c.forticasb.companyId,
    FORTICASB_BU_ID: c.forticasb.buId,
    FORTICASB_SERVICE: c.forticasb.service,
  }),
  fmbs: (url) => ({ FMBS_URL: url, FMBS_TOKEN: c.fmbs.token }),
};

/**
 * The suite's live settings (environment variables) against stub servers at `urls` (`npm run
 * stub`, startStubServers), with the credentials above, for each product whose URL is given.
 * Callers add their own (CONFORMANCE_INSECURE_TLS, rate limits).
 */
export function stubLiveEnv(urls: Readonly<Partial<Record<ProductId, string>>>): Record<string, string> {
  const env: Record<string, string> = { CONFORMANCE_TARGET: 'live' };
  for (const [product, settings] of Object.entries(LIVE_SETTINGS)) {
    const url = urls[product as ProductId];
    if (url !== undefined) Object.assign(env, settings(url));
  }
  return env;
}
