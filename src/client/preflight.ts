/**
 * Live mode: one check per product before its suite runs, so that an unreachable URL, refused
 * credentials or an answer that is not the API (an HTML error page) is one clear failure naming
 * the variable to fix, instead of hundreds of failed tests.
 */
import type { Config, ProductId } from '../config/index.ts';
import { PRODUCT_NAMES } from '../config/index.ts';
import { type ApiClient, type ApiResponse, NetworkError } from './api.ts';
import { CredentialsError, FortiSoarLogin } from './products.ts';

const URL_VARIABLE: Record<ProductId, string> = { fortisoar: 'FORTISOAR_URL', forticasb: 'FORTICASB_URL', fmbs: 'FMBS_URL' };
const CREDENTIAL_VARIABLES: Record<ProductId, string> = {
  fortisoar: 'FORTISOAR_USERNAME/FORTISOAR_PASSWORD (or FORTISOAR_API_KEY)',
  forticasb: 'FORTICASB_TOKEN (or FORTICASB_CLIENT_ID/FORTICASB_CLIENT_SECRET), FORTICASB_COMPANY_ID, FORTICASB_BU_ID',
  fmbs: 'FMBS_TOKEN (or FMBS_CLIENT_ID/FMBS_CLIENT_SECRET)',
};

export class PreflightError extends Error {
  override name = 'PreflightError';
}

function judge(product: ProductId, res: ApiResponse, api: ApiClient): void {
  const name = PRODUCT_NAMES[product];
  if (res.status === 401 || res.status === 403) {
    throw new PreflightError(
      `[preflight] ${name} refused the configured credentials (${res.status}): check ${CREDENTIAL_VARIABLES[product]}. ${api.redactor.text(res.text.slice(0, 200))}`,
    );
  }
  if (!/json/i.test(res.contentType)) {
    throw new PreflightError(
      `[preflight] ${name} at ${URL_VARIABLE[product]}=${api.baseUrl} answered ${res.status} with "${res.contentType || 'no content type'}" where JSON is documented; ` +
        `first bytes: ${JSON.stringify(api.redactor.text(res.text.slice(0, 160)))}. Is ${URL_VARIABLE[product]} the API's base URL?`,
    );
  }
  if (res.status >= 300) {
    throw new PreflightError(`[preflight] ${name} answered ${res.status} to a plain read: ${api.redactor.text(res.text.slice(0, 200))}`);
  }
  res.json();
}

async function probe(product: ProductId, api: ApiClient, config: Config): Promise<void> {
  switch (product) {
    case 'fortisoar': {
      const c = config.fortisoar!;
      if (c.username && c.password) {
        await new FortiSoarLogin(c.username, c.password).login(api);
        return;
      }
      judge(product, await api.send('GET', `/api/3/${c.recordModule}`, { query: { $limit: 1 } }), api);
      return;
    }
    case 'forticasb': {
      const now = Date.now();
      judge(product, await api.send('POST', '/api/v1/alert/list', { body: { startTime: now - 3_600_000, endTime: now, skip: 0, limit: 1 } }), api);
      return;
    }
    case 'fmbs':
      judge(product, await api.send('GET', '/api/admin-audit-log-entries', { query: { limit: 1 } }), api);
  }
}

export async function preflight(product: ProductId, api: ApiClient, config: Config): Promise<void> {
  try {
    await probe(product, api, config);
  } catch (e) {
    if (e instanceof NetworkError) {
      throw new PreflightError(
        `[preflight] cannot reach ${PRODUCT_NAMES[product]} at ${URL_VARIABLE[product]}=${api.baseUrl}: ${e.message.replace(/^\[network\] /, '')}`,
      );
    }
    if (e instanceof CredentialsError) throw new PreflightError(e.message.replace('[auth]', '[preflight]'));
    if (e instanceof PreflightError) throw e;
    throw new PreflightError(`[preflight] ${PRODUCT_NAMES[product]}: ${(e as Error).message}`);
  }
}
