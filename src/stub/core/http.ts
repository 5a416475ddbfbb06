/** Response helpers shared by the product stubs. */
import { nestsDeeperThan } from '../../client/json-depth.ts';
import type { StubResponse } from './types.ts';

/**
 * Limits of what the stub reads (issue 15: a body nested 5,000 deep ended the stub; there was no
 * size limit). Far above anything the documents describe: records nest a few levels, the largest
 * body a client sends is an import file.
 */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
export const MAX_JSON_NESTING = 64;

export const json = (status: number, body: unknown, headers?: Record<string, string>): StubResponse => ({ status, body, headers });
export const noContent = (): StubResponse => ({ status: 204 });
/** Error bodies carry a human-readable `message` (field notes: error envelopes vary; a message exists). */
export const error = (status: number, message: string, extra: Record<string, unknown> = {}): StubResponse => ({
  status,
  body: { type: status === 400 ? 'ValidationException' : 'Error', message, ...extra },
});

/** The client's mistake: answered 400 (or `status`) with the message, never 500. */
export class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * Parses a JSON body; an empty body is `undefined`, a malformed one, or one nested deeper than
 * MAX_JSON_NESTING, throws BadRequest (400, never 500).
 */
export function parseJsonBody(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  if (nestsDeeperThan(raw, MAX_JSON_NESTING)) throw new BadRequest(`the request body nests deeper than ${MAX_JSON_NESTING} levels`);
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new BadRequest(`the request body is not valid JSON: ${(e as Error).message}`);
  }
}

/** Whether a content type is `multipart/form-data` (a file upload). */
export const isMultipart = (contentType: string): boolean => /^multipart\/form-data\b/i.test(contentType);

/**
 * Parses a request body by its content type: `application/x-www-form-urlencoded` (what OAuth2
 * token clients send, field notes: `grant_type=client_credentials`) as an object of strings,
 * anything else as JSON (parseJsonBody).
 */
export function parseBody(raw: string, contentType: string | undefined): unknown {
  // A multipart upload (FortiSOAR files) is no JSON: the handler that takes it reads the request's bytes.
  if (contentType !== undefined && isMultipart(contentType.trim())) return undefined;
  if (contentType !== undefined && /^application\/x-www-form-urlencoded\b/i.test(contentType.trim())) {
    return raw.trim() === '' ? undefined : Object.fromEntries(new URLSearchParams(raw));
  }
  return parseJsonBody(raw);
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
