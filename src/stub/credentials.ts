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

export const STUB_CREDENTIALS = {
  fortisoar: { username: 'csadmin', password: 'stub-Passw0rd!' },
  forticasb: { token: 'stub-casb-token', companyId: '6', buId: '6384', service: 'Salesforce' },
  fmbs: { token: 'stub-fmbs-token' },
} as const;
