/**
 * The checks every response goes through: status, content type, body against the documented
 * JSON Schema; and `rule()` for the semantic sentences of the documents. Each failure names the
 * stage (one prefix per stage), the operation, the document section, and shows the evidence.
 */
import type { ApiResponse } from '../client/api.ts';
import type { Operation, ResponseSpec } from '../spec/model.ts';
import { boundedJson, describeErrors, validator } from './schemas.ts';

export class ConformanceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceError';
  }
}

const excerpt = (s: string, n = 300): string => (s.length > n ? `${s.slice(0, n)}…` : s);
const where = (op: Operation): string => `${op.method} ${op.path} (${op.doc.document} › ${op.doc.section})`;

export function responseSpec(op: Operation, status: string | number): ResponseSpec {
  const r = op.responses[String(status)];
  if (!r) throw new Error(`[spec] ${op.method} ${op.path} documents no ${status} response`);
  return r;
}

const isJsonMedia = (t: string): boolean => /^application\/([\w.+-]*\+)?json\b/i.test(t.trim()) || /^application\/ld\+json/i.test(t.trim());

/**
 * Checks `res` against the documented response `status` of `op` and returns the parsed body
 * (undefined for a response without a documented body).
 */
export function checkResponse<T = any>(op: Operation, status: string | number, res: ApiResponse, redact: (s: string) => string = (s) => s): T {
  const spec = responseSpec(op, status);
  if (!spec.acceptStatus.includes(res.status)) {
    const expected = spec.acceptStatus.join(' or ');
    throw new ConformanceError(
      `[status] ${where(op)}: expected ${expected} (${spec.description}), received ${res.status}\n` +
        `  request: ${res.method} ${redact(res.url)}\n  body: ${excerpt(redact(res.text))}`,
    );
  }
  if (spec.mediaType === undefined) {
    // No documented body: a success must then have none (204 "No Content"); an error's body is unchecked.
    if (res.status < 300 && res.body.length > 0) {
      throw new ConformanceError(`[body] ${where(op)}: ${res.status} documents no body, received ${res.body.length} bytes: ${excerpt(redact(res.text))}`);
    }
    return undefined as T;
  }
  if (isJsonMedia(spec.mediaType)) {
    if (!isJsonMedia(res.contentType)) {
      throw new ConformanceError(
        `[content-type] ${where(op)}: expected a JSON media type (${spec.mediaType}), received "${res.contentType}"; ` +
          `first bytes: ${JSON.stringify(redact(res.text.slice(0, 120)))}`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      throw new ConformanceError(
        `[body] ${where(op)}: answered ${res.status} with a body that is not JSON; first bytes: ${JSON.stringify(redact(res.text.slice(0, 200)))}`,
      );
    }
    if (spec.schema) {
      const validate = validator(`${op.product}:${op.operationId}:${spec.status}`, spec.schema);
      if (!validate(body)) {
        throw new ConformanceError(
          `[schema] ${where(op)} → ${spec.status}: the body does not match the documented schema\n  ` +
            describeErrors(validate.errors, body).join('\n  ') +
            `\n  body: ${excerpt(redact(res.text))}`,
        );
      }
    }
    return body as T;
  }
  if (res.body.length === 0) throw new ConformanceError(`[body] ${where(op)}: expected a ${spec.mediaType} body, received none`);
  return res.body as T;
}

/**
 * Where a rule comes from: a document of `../shared/docs/` and a passage quoted from it (the
 * vendor documents, or `field-notes.md` for what real servers do where the documents are silent).
 * tests/self/sources.test.ts checks that every quote is in its document.
 */
export interface Source {
  readonly document: string;
  readonly quote: string;
}

/** What a failed rule shows: the values compared, or a sentence of evidence. */
export type Evidence = string | { readonly expected: unknown; readonly received: unknown; readonly detail?: string };

/** A value as evidence shows it: a string as it is, anything else as JSON; at most 400 characters, however large the value. */
const shown = (v: unknown): string => excerpt(typeof v === 'string' ? v : boundedJson(v, 400), 400);

export function describeEvidence(e: Evidence | undefined): string {
  if (e === undefined || e === '') return '';
  if (typeof e === 'string') return `\n  ${e}`;
  const differs = listDifference(e.expected, e.received);
  return `\n  expected: ${shown(e.expected)}\n  received: ${shown(e.received)}${differs ? `\n  ${differs}` : ''}${e.detail ? `\n  ${e.detail}` : ''}`;
}

/**
 * How two lists differ, when the values are lists: long lists are cut alike at 400 characters,
 * so the difference must be said (a walk's pages against one large page showed the same first
 * fifteen ids twice). Items missing, items not expected, else the first position where the order differs.
 */
export function listDifference(expected: unknown, received: unknown): string | undefined {
  if (!Array.isArray(expected) || !Array.isArray(received)) return undefined;
  const key = (v: unknown): string => (typeof v === 'string' ? v : boundedJson(v, 200));
  const want = expected.map(key);
  const got = received.map(key);
  const gotSet = new Set(got);
  const wantSet = new Set(want);
  const missing = want.filter((x) => !gotSet.has(x));
  const extra = got.filter((x) => !wantSet.has(x));
  const list = (xs: string[]): string => excerpt(`${xs.length}: ${xs.join(', ')}`, 300);
  const parts = [
    want.length !== got.length ? `${want.length} expected, ${got.length} received` : '',
    missing.length ? `missing ${list(missing)}` : '',
    extra.length ? `not expected ${list(extra)}` : '',
  ].filter(Boolean);
  if (parts.length) return `differs: ${parts.join('; ')}`;
  const at = want.findIndex((x, i) => x !== got[i]);
  return at < 0
    ? undefined
    : `differs: the same items in another order; first at position ${at}: expected ${excerpt(want[at]!, 100)}, received ${excerpt(got[at]!, 100)}`;
}

/**
 * A document sentence that must hold: throws `[rule]` naming the rule, its source and the evidence
 * (expected and received values where the rule compares them) when it does not.
 */
export function rule(op: Operation, holds: boolean, says: string, source: Source, evidence?: () => Evidence): asserts holds {
  if (!holds) {
    throw new ConformanceError(`[rule] ${where(op)}: ${says}\n  source: ${source.document}: "${excerpt(source.quote, 240)}"${describeEvidence(evidence?.())}`);
  }
}
