/**
 * A request to an operation of a spec: its URL is the operation's path template filled in
 * (src/spec/url.ts), or a link a response gave. Scenarios, the login, the preflight and cleanup
 * all send through here, so that no path is written outside the specs.
 */

import type { Operation } from '../spec/model.ts';
import { pathOf } from '../spec/url.ts';
import type { ApiClient, ApiResponse, Query } from './api.ts';

/** A request to an operation: its URL is the operation's path template filled with `path`, or a `link` a response gave. */
export interface CallRequest {
  /** Path parameters of the operation's template (`{ collection: 'alerts', uuid }`). */
  readonly path?: Readonly<Record<string, string | number>>;
  /**
   * A URL or IRI taken from a response (`hydra:next`, an `@id`): sent as given, resolved against
   * the product's base URL; the client refuses one that leaves its origin.
   */
  readonly link?: string;
  readonly query?: Query;
  /** Extra headers; a name mapped to `undefined` removes that default header (a missing-header case). */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  /** JSON body; a string is sent as is (a malformed-body case). */
  readonly body?: unknown;
  /** `false` sends no credentials; a string replaces the Authorization header. */
  readonly auth?: boolean | string;
}

export function callOperation(api: ApiClient, op: Operation, req: CallRequest = {}): Promise<ApiResponse> {
  const target = req.link ?? pathOf(op, req.path);
  return api.request(op.method, target, { query: req.query, headers: req.headers, body: req.body, auth: req.auth });
}

/** As callOperation, without the credential renewal after a 401 (the login itself, the preflight's judgement of credentials). */
export function sendOperation(api: ApiClient, op: Operation, req: CallRequest = {}): Promise<ApiResponse> {
  const target = req.link ?? pathOf(op, req.path);
  return api.send(op.method, target, { query: req.query, headers: req.headers, body: req.body, auth: req.auth });
}
