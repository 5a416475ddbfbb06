/**
 * FortiSOAR "Authentication API": POST /auth/authenticate with `{"credentials": {"loginid",
 * "password"}}` answers `{"token": "<JWT>"}`, which other calls pass as `Authorization: Bearer`.
 * Real servers also accept `Authorization: API-KEY <key>` outside `/api/auth/*` (field notes).
 */
import { error, isObject, json } from '../core/http.ts';
import type { Handler, StubRequest, StubResponse } from '../core/types.ts';
import type { FortiSoarState } from './state.ts';

/**
 * Where `Authorization: API-KEY <key>` is refused: field notes, "Real servers also accept
 * `Authorization: API-KEY <key>` on `/api/3/*` (not on `/api/auth/*`)", which answer 403.
 * Everywhere else (`/api/3/*`, `/api/query/*`, `/api/wf/*`, `/api/integration/*`, import and
 * export, the gateway, the guide's `/auth/license/`) the notes are silent and a key is accepted.
 */
export const JWT_ONLY_PREFIXES = ['/api/auth/'] as const;

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
    const path = `${req.path.replace(/\/{2,}/g, '/')}/`;
    if (JWT_ONLY_PREFIXES.some((p) => path.startsWith(p)))
      return error(403, `API keys are not accepted on ${req.path}: the /api/auth/* routes need a token from POST /auth/authenticate`);
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
