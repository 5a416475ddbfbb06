/**
 * FortiMail Browser Security authentication. Field notes: "Tokens are OAuth2 client-credentials
 * access tokens sent as `Authorization: Bearer <token>`." The stub issues them at `POST
 * /oauth2/token` (Basic client id and secret, `grant_type=client_credentials`, RFC 6749 §4.4) and
 * accepts the static stub token (src/stub/credentials.ts) too, as a ready token from configuration.
 */

import { error, json } from '../core/http.ts';
import { opaqueToken, refuseClient } from '../core/oauth.ts';
import type { ExtraRoute, StubRequest, StubResponse } from '../core/types.ts';
import { STUB_CREDENTIALS } from '../credentials.ts';

/** Lifetime of an issued access token, in seconds (`expires_in`). */
export const FMBS_TOKEN_TTL_S = 3600;

/** Issued access token → when it expires (epoch ms). */
export type FmbsTokens = Map<string, number>;

const CLIENT = { clientId: STUB_CREDENTIALS.fmbs.clientId, clientSecret: STUB_CREDENTIALS.fmbs.clientSecret };

export function authenticate(req: StubRequest, tokens: FmbsTokens): string | StubResponse {
  const auth = req.headers.authorization;
  if (auth === undefined) return error(401, 'the Authorization header is required (Authorization: Bearer <token>)');
  const m = /^Bearer\s+(\S+)$/i.exec(auth.trim());
  if (m && m[1] === STUB_CREDENTIALS.fmbs.token) return 'fmbs-admin';
  const expires = m ? tokens.get(m[1]!) : undefined;
  if (expires === undefined || expires <= Date.now()) return error(401, 'invalid or expired access token');
  return 'fmbs-admin';
}

export function fmbsExtraRoutes<S extends { readonly tokens: FmbsTokens }>(): Record<string, ExtraRoute<S>> {
  return {
    /** Field notes: "OAuth2 client-credentials access tokens": `{access_token, token_type: "Bearer", expires_in}` (RFC 6749 §5.1). */
    'POST /oauth2/token': {
      public: true,
      handler: ({ req, body, state }) => {
        const refused = refuseClient(req, body, CLIENT, ['client_credentials']);
        if (refused) return refused;
        const token = opaqueToken();
        state.tokens.set(token, Date.now() + FMBS_TOKEN_TTL_S * 1000);
        return json(200, { access_token: token, token_type: 'Bearer', expires_in: FMBS_TOKEN_TTL_S }, { 'cache-control': 'no-store' });
      },
    },
  };
}
