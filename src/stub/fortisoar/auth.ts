/**
 * FortiSOAR "Authentication API": POST /auth/authenticate with `{"credentials": {"loginid",
 * "password"}}` answers `{"token": "<JWT>"}`, which other calls pass as `Authorization: Bearer`.
 * Real servers also accept `Authorization: API-KEY <key>` outside `/api/auth/*` (field notes).
 */
import { error, isObject, json } from '../core/http.ts';
import type { Handler, StubRequest, StubResponse } from '../core/types.ts';
import type { FortiSoarState } from './state.ts';

export function authenticate(req: StubRequest, state: FortiSoarState): string | StubResponse {
  const header = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) {
    const user = state.tokens.get(bearer[1]!);
    return user ?? error(401, 'Invalid or expired token');
  }
  const key = /^API-KEY\s+(\S+)$/i.exec(header);
  if (key) {
    const owner = state.apiKeys.get(key[1]!);
    if (!owner) return error(401, 'Invalid API key');
    if (req.path.startsWith('/api/auth/') || req.path.startsWith('/auth/')) return error(403, 'API keys are not accepted on /api/auth routes');
    return owner;
  }
  return error(401, 'Authentication credentials were not provided');
}

export const authHandlers: Record<string, Handler<FortiSoarState>> = {
  authenticate: ({ state, body }) => {
    const credentials = isObject(body) ? body.credentials : undefined;
    if (!isObject(credentials) || typeof credentials.loginid !== 'string' || typeof credentials.password !== 'string') {
      return error(400, 'the body must be {"credentials": {"loginid": string, "password": string}}');
    }
    const user = state.users.get(credentials.loginid);
    if (!user || user.password !== credentials.password) return error(401, 'Invalid credentials');
    return json(200, { token: state.issueToken(credentials.loginid) });
  },
};
