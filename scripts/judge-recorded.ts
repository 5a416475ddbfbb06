/**
 * `npm run judge -- <file> [--product fortisoar] [--json]` (docs/recorded-answers.md): judges answers
 * recorded from a real server with the suite's own response checks, so that a schema which
 * rejects what a real server sends shows up without a live run.
 *
 * Each recorded request is mapped to the spec operation it belongs to (method + path template),
 * its status to the documented response that accepts it (`x-accept-status` included), and the
 * answer goes through `checkResponse` (status, content type, JSON, the documented schema) of
 * `src/checks/response.ts`, exactly as a conformance test would check it.
 *
 * Input: a JSON object keyed by `"METHOD path"`; the path is a template (`/api/3/alerts/{uuid}`)
 * or a concrete path, its query string ignored. Each value is one recording, a list of them, or
 * `{"by_auth": {"<label>": recording, ...}}` (one recording per credential kind). A recording is
 *
 *     { "response_status": 200,                  // null: nothing was recorded (skipped)
 *       "response_body": { ... },                // the parsed JSON answer; null or absent: no body
 *       "response_content_type": "text/html",    // optional; application/json when there is a body
 *       "request_body": { ... } }                // optional; read only to pick a per-action schema
 *
 * and other fields (`captured_at`, ...) are ignored. This is the format of `build/live_observations.json`
 * of github.com/ftnt-dspille/fortisoar-api-docs (answers of a FortiSOAR 7.6.5). On an error
 * status such recorders keep no body, so `response_body: null` with a status of 400 or more is
 * read as "body not recorded" and only the status is judged; likewise for a response the spec
 * documents without a schema (the scenarios accept those with an empty body too).
 *
 * Exit code: 0 when every recorded answer of a documented operation is accepted, 1 when one is
 * rejected, 2 when the input cannot be read.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { checkResponse } from '../src/checks/response.ts';
import { describeErrors, validator } from '../src/checks/schemas.ts';
import { ApiResponse } from '../src/client/api.ts';
import { PRODUCTS, type ProductId } from '../src/config/index.ts';
import { REDACTED, Redactor } from '../src/report/redact.ts';
import { JWT } from '../src/report/scrub.ts';
import { loadSpec, SCHEMA_BASE } from '../src/spec/load.ts';
import type { Operation } from '../src/spec/model.ts';
import { regexOf, templateParams } from '../src/spec/url.ts';

export interface Recording {
  /** `"METHOD path"` as keyed in the file, with the label of the credential kind when there is one. */
  readonly key: string;
  readonly label?: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
  readonly contentType?: string;
  readonly requestBody?: unknown;
}

export type Verdict =
  | { readonly kind: 'accepted'; readonly recording: Recording; readonly op: Operation; readonly status: string; readonly note?: string }
  | { readonly kind: 'rejected'; readonly recording: Recording; readonly op: Operation; readonly reason: string }
  | { readonly kind: 'undocumented'; readonly recording: Recording; readonly reason: string };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export class InputError extends Error {
  override name = 'InputError';
}

const KEY = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\/\S*)$/i;

/** The recordings of a file in the format above, in file order; those with a null status are left out. */
export function readRecordings(data: unknown): Recording[] {
  if (!isObject(data)) throw new InputError('the file must hold a JSON object keyed by "METHOD path"');
  const out: Recording[] = [];
  for (const [key, value] of Object.entries(data)) {
    const m = KEY.exec(key.trim());
    if (!m) throw new InputError(`"${key}": a key must read "METHOD /path"`);
    const [, method, path] = m;
    const entries: [string | undefined, unknown][] =
      isObject(value) && isObject(value.by_auth)
        ? Object.entries(value.by_auth)
        : Array.isArray(value)
          ? value.map((v) => [undefined, v])
          : [[undefined, value]];
    for (const [label, r] of entries) {
      if (!isObject(r)) throw new InputError(`"${key}"${label ? ` (${label})` : ''}: a recording must be an object with response_status`);
      if (r.response_status === null || r.response_status === undefined) continue;
      if (!Number.isInteger(r.response_status)) throw new InputError(`"${key}"${label ? ` (${label})` : ''}: response_status must be an integer or null`);
      out.push({
        key,
        label,
        method: method.toUpperCase(),
        path: path.split('?')[0],
        status: r.response_status as number,
        body: r.response_body ?? null,
        contentType: typeof r.response_content_type === 'string' ? r.response_content_type : undefined,
        requestBody: r.request_body,
      });
    }
  }
  return out;
}

/**
 * Paths that the generic `/api/3/{collection}` templates would catch but that the guide does not
 * describe as model records: it names `/api/{version}/contexts/{collection type}` as a record's
 * `@context` (Retrieve Collection of Model Records), not as a record, and `docs.jsonld` is the
 * Hydra API documentation, not a module.
 */
const NOT_MODULES: readonly [RegExp, string][] = [
  [/^\/api\/3\/contexts(\/|$)/, 'a JSON-LD @context ("@context": "/api/{version}/contexts/{collection type}"), not a record'],
  [/^\/api\/3\/docs\.jsonld$/, 'the Hydra API documentation, not a module of records'],
];

/**
 * The operation a recorded request belongs to: same method, the path a path of the template
 * (src/spec/url.ts `regexOf`: each parameter one non-empty segment, every other segment equal).
 * The most literal template wins (`/api/3/insert/people` before `/api/3/insert/{module}`): every
 * match has as many segments as the path, so the one with the fewest parameters. A trailing
 * slash is not significant.
 */
export function operationFor(ops: readonly Operation[], method: string, path: string): Operation | undefined {
  const trimmed = path.replace(/\/+$/, '');
  let best: Operation | undefined;
  let bestParams = Number.POSITIVE_INFINITY;
  for (const op of ops) {
    if (op.method !== method || !regexOf(op.path).test(trimmed)) continue;
    const params = templateParams(op.path).length;
    if (params < bestParams) {
      best = op;
      bestParams = params;
    }
  }
  return best;
}

/** Schemas the scenarios check one action's answer against where the operation's own response has none. */
const ACTION_SCHEMAS: Readonly<Record<string, (request: unknown) => string | undefined>> = {
  // src/cases/fortisoar/licensing.ts: get_status → license-status.json, get_info → license-info.json.
  'fortisoar:publicLicense': (request) => {
    const action = isObject(request) ? request.action : undefined;
    return action === 'get_status' ? 'fortisoar/license-status.json' : action === 'get_info' ? 'fortisoar/license-info.json' : undefined;
  },
};

const redactor = new Redactor([]);
const redact = (s: string): string => redactor.body(s).replace(JWT, REDACTED);

/** Judges one recording against the spec of `product`. */
export function judge(product: ProductId, r: Recording): Verdict {
  const excluded = NOT_MODULES.find(([re]) => re.test(r.path));
  if (excluded && product === 'fortisoar') return { kind: 'undocumented', recording: r, reason: excluded[1] };
  const op = operationFor(loadSpec(product).operations, r.method, r.path);
  if (!op) return { kind: 'undocumented', recording: r, reason: `no operation of specs/${product}.yaml has this method and path` };
  const responses = Object.values(op.responses);
  const spec = responses.find((s) => Number(s.status) === r.status) ?? responses.find((s) => s.acceptStatus.includes(r.status));
  if (!spec) {
    const documented = responses.map((s) => s.acceptStatus.join('/')).join(', ');
    return {
      kind: 'rejected',
      recording: r,
      op,
      reason: `[status] ${op.method} ${op.path}: ${r.status} is not a documented status (documented: ${documented})`,
    };
  }
  const noBody = r.body === null || r.body === undefined;
  if (noBody && spec.mediaType !== undefined && (r.status >= 400 || !spec.schema)) {
    return { kind: 'accepted', recording: r, op, status: spec.status, note: 'status only: no body recorded' };
  }
  const text = noBody ? '' : r.contentType && !/json/i.test(r.contentType) && typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const headers: Record<string, string> = noBody ? {} : { 'content-type': r.contentType ?? 'application/json' };
  const res = new ApiResponse(r.method, r.path, r.status, headers, Buffer.from(text));
  try {
    const body = checkResponse(op, spec.status, res, redact);
    const file = ACTION_SCHEMAS[`${product}:${op.operationId}`]?.(r.requestBody);
    if (file) {
      const validate = validator(`judge:${file}`, { $ref: SCHEMA_BASE + file });
      if (!validate(body)) {
        return { kind: 'rejected', recording: r, op, reason: `[schema] ${file}: ${describeErrors(validate.errors, body).join('; ')}` };
      }
    }
  } catch (e) {
    return { kind: 'rejected', recording: r, op, reason: (e as Error).message };
  }
  return { kind: 'accepted', recording: r, op, status: spec.status };
}

export function judgeAll(product: ProductId, data: unknown): Verdict[] {
  return readRecordings(data).map((r) => judge(product, r));
}

const name = (r: Recording): string => `${r.key}${r.label ? ` [${r.label}]` : ''} → ${r.status}`;

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { product: { type: 'string', default: 'fortisoar' }, json: { type: 'boolean', default: false } },
  });
  const product = values.product as ProductId;
  if (positionals.length !== 1 || !PRODUCTS.includes(product)) {
    console.error(`usage: npx tsx scripts/judge-recorded.ts <recordings.json> [--product ${PRODUCTS.join('|')}] [--json]`);
    process.exit(2);
  }
  let verdicts: Verdict[];
  try {
    verdicts = judgeAll(product, JSON.parse(readFileSync(positionals[0], 'utf8')));
  } catch (e) {
    console.error(`cannot judge ${positionals[0]}: ${(e as Error).message}`);
    process.exit(2);
  }
  const accepted = verdicts.filter((v) => v.kind === 'accepted');
  const rejected = verdicts.filter((v) => v.kind === 'rejected');
  const undocumented = verdicts.filter((v) => v.kind === 'undocumented');
  if (values.json) {
    const row = (v: Verdict) => ({
      key: v.recording.key,
      label: v.recording.label,
      status: v.recording.status,
      verdict: v.kind,
      operationId: v.kind === 'undocumented' ? undefined : v.op.operationId,
      reason: v.kind === 'accepted' ? v.note : v.reason,
    });
    console.log(
      JSON.stringify({ product, accepted: accepted.length, rejected: rejected.length, undocumented: undocumented.length, answers: verdicts.map(row) }, null, 2),
    );
  } else {
    for (const v of accepted) console.log(`ok        ${name(v.recording)}  (${v.op.operationId} ${v.status}${v.note ? `; ${v.note}` : ''})`);
    for (const v of undocumented) console.log(`not ours  ${name(v.recording)}  (${v.reason})`);
    for (const v of rejected) console.log(`REJECTED  ${name(v.recording)}  (${v.op.operationId})\n  ${v.reason.split('\n').join('\n  ')}`);
    console.log(
      `\n${verdicts.length - undocumented.length} recorded answer(s) of documented operations: ${accepted.length} accepted, ${rejected.length} rejected; ` +
        `${undocumented.length} answer(s) of operations the specs do not document.`,
    );
  }
  process.exit(rejected.length === 0 ? 0 : 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
