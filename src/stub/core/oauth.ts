/**
 * OAuth2 client-credentials helpers shared by the token routes real clients call first (field
 * notes: FortiCASB `POST /api/v1/auth/credentials/token/`, FortiMail Browser Security access
 * tokens): the client authenticates with `Authorization: Basic base64(id:secret)` (RFC 6749
 * §2.3.1, which also allows `client_id`/`client_secret` in the form body) and sends
 * `grant_type=client_credentials` as a form (or, leniently, JSON) body.
 */
import { randomBytes } from 'node:crypto';
import { isObject } from './http.ts';
import type { StubRequest, StubResponse } from './types.ts';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** A parameter from the (form or JSON) body, else the query string. */
export function param(req: StubRequest, body: unknown, name: string): string | undefined {
  const v = isObject(body) ? body[name] : undefined;
  if (typeof v === 'string') return v;
  return req.query.get(name) ?? undefined;
}

/** The client credentials of a request: Basic, else `client_id`/`client_secret` in the body. */
export function clientOf(req: StubRequest, body: unknown): ClientCredentials | undefined {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization?.trim() ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? undefined : { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
  }
  const clientId = param(req, body, 'client_id');
  const clientSecret = param(req, body, 'client_secret');
  return clientId !== undefined && clientSecret !== undefined ? { clientId, clientSecret } : undefined;
}

/** RFC 6749 §5.2 error answer, with a `message` too (the stub's errors always carry one). */
export const oauthError = (status: number, code: string, description: string): StubResponse => ({
  status,
  headers: status === 401 ? { 'www-authenticate': 'Basic realm="stub"' } : undefined,
  body: { error: code, error_description: description, message: description },
});

/**
 * Checks the client and the grant; answers the refusal, or undefined when the request may have a
 * token. `grantTypes` lists the grants the route takes.
 */
export function refuseClient(req: StubRequest, body: unknown, expected: ClientCredentials, grantTypes: readonly string[]): StubResponse | undefined {
  const client = clientOf(req, body);
  if (!client) return oauthError(401, 'invalid_client', 'client authentication is required: Authorization: Basic base64(client_id:client_secret)');
  if (client.clientId !== expected.clientId || client.clientSecret !== expected.clientSecret)
    return oauthError(401, 'invalid_client', 'unknown client or wrong client secret');
  const grant = param(req, body, 'grant_type');
  if (grant === undefined) return oauthError(400, 'invalid_request', `grant_type is required (${grantTypes.join(' or ')})`);
  if (!grantTypes.includes(grant)) return oauthError(400, 'unsupported_grant_type', `grant_type must be ${grantTypes.join(' or ')}, got "${grant}"`);
  return undefined;
}

/** An opaque random token. */
export const opaqueToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
