/**
 * The tenant headers of FortiCASB's API ("Request Header": companyId Integer, buId Long) and the
 * check that the account has that business unit, shared by the alert list and the dashboard.
 */
import { CASB_BUSINESS_UNITS } from '../../../fixtures/forticasb/account.ts';
import { BadRequest, error } from '../core/http.ts';
import type { StubRequest, StubResponse } from '../core/types.ts';

/** A Long/Integer header or body value: a JSON integer, or digits (Jackson coerces numeric strings). */
export const asLong = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,16}$/.test(v.trim())) return Number(v.trim());
  return undefined;
};

/** "Request Header": companyId (Integer) and buId (Long); names are case-insensitive (the core lowercases them). */
export function unitOf(req: StubRequest): { companyId: number; buId: number } {
  const companyRaw = req.headers.companyid;
  if (companyRaw === undefined) throw new BadRequest('the companyId header is required ("companyId <Company ID> Integer")');
  const companyId = asLong(companyRaw);
  if (companyId === undefined) throw new BadRequest(`the companyId header must be an integer, got "${companyRaw}"`);
  const buRaw = req.headers.buid;
  if (buRaw === undefined) throw new BadRequest('the buId header is required ("buId <Business Unit ID> Long")');
  const buId = asLong(buRaw);
  if (buId === undefined) throw new BadRequest(`the buId header must be a long, got "${buRaw}"`);
  return { companyId, buId };
}

const units = (): string => CASB_BUSINESS_UNITS.map((u) => `${u.buId} (${u.buName}, companyId ${u.companyId})`).join(', ');

/**
 * A refusal when the account has no such company or business unit: the resource map
 * (`GET /api/v1/resourceURLMap`) lists the ones it has. 403: the credential is valid, the unit
 * is not the account's.
 */
export function unknownUnit(tenant: { companyId: number; buId: number }): StubResponse | undefined {
  if (CASB_BUSINESS_UNITS.some((u) => u.buId === tenant.buId && String(u.companyId) === String(tenant.companyId))) return undefined;
  const what = CASB_BUSINESS_UNITS.some((u) => u.buId === tenant.buId)
    ? `business unit ${tenant.buId} in company ${tenant.companyId}`
    : `business unit ${tenant.buId}`;
  return error(403, `this account has no ${what}; its business units (GET /api/v1/resourceURLMap): ${units()}`);
}
