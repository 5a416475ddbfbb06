/**
 * The built-in stub's base URLs (stub mode, intercepted by nock; `.invalid` can never resolve, so
 * nothing leaves the machine) and the credentials it accepts, both in stub mode and when served
 * by `npm run stub`. They are published defaults, not secrets.
 */
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
