/**
 * OpenAPI document (YAML, `specs/<product>.yaml`) → operation model.
 *
 * File references into `schemas/` are rewritten to the schema's `$id`, so that the one Ajv
 * instance of `src/checks/schemas.ts` resolves them; everything else is read as written.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Node as YamlNode } from 'yaml';
import type { ProductId } from '../config/index.ts';
import type { CaseSpec, HttpMethod, Operation, ParameterSpec, ProductSpec, ResponseSpec, Safety, SpecLocation } from './model.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SPECS_DIR = join(ROOT, 'specs');
export const SCHEMAS_DIR = join(ROOT, 'schemas');
export const SCHEMA_BASE = 'https://fortinet-conformance.local/schemas/';
/** Derived files written once per content and read by every later process (specs parsed, validators compiled). */
export const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'fortinet-conformance');

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const SAFETY: readonly Safety[] = ['read-only', 'suite-data', 'destructive'];

export class SpecError extends Error {
  constructor(where: string, message: string) {
    super(`[spec] ${where}: ${message}`);
    this.name = 'SpecError';
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every schema file under `schemas/`, by `$id`. */
export function loadSchemaFiles(dir = SCHEMAS_DIR): Map<string, Json> {
  const out = new Map<string, Json>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.json')) {
        const schema = JSON.parse(readFileSync(p, 'utf8')) as Json;
        const expected = SCHEMA_BASE + relative(dir, p).split('\\').join('/');
        if (schema.$id !== expected) throw new SpecError(relative(ROOT, p), `$id must be "${expected}" (it mirrors the path)`);
        out.set(expected, schema);
      }
    }
  };
  walk(dir);
  return out;
}

/** Rewrites `$ref: ../schemas/x.json#/y` to `$ref: <SCHEMA_BASE>x.json#/y`, deeply. */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('../schemas/')) out[k] = SCHEMA_BASE + v.slice('../schemas/'.length);
    else out[k] = rewriteRefs(v);
  }
  return out;
}

/** The parsed document and a way to find where a node of it is written (for messages and test locations). */
export interface SpecSource {
  readonly file: string;
  readonly doc: Json;
  /** The location of the node at `path` (keys and indexes), or of its nearest ancestor that exists. */
  locate(path: readonly (string | number)[]): SpecLocation;
}

/** A parsed spec as cached: the document, and where each of its nodes is written (by `pathKey`). */
interface ParsedSpec {
  readonly doc: unknown;
  readonly at: Record<string, readonly [line: number, column: number]>;
}

const pathKey = (path: readonly (string | number)[]): string => path.join('\u0001');

/** Parses a spec's YAML and records the position of every node, for `locate`. */
function parseSpec(text: string, shown: string): ParsedSpec {
  // Loaded here only: a run whose specs are in the parse cache never loads the YAML parser.
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  const lineCounter = new LineCounter();
  const parsed = parseDocument(text, { lineCounter });
  if (parsed.errors.length > 0) throw new SpecError(shown, parsed.errors[0]!.message);
  const at: Record<string, readonly [number, number]> = {};
  const walk = (node: unknown, path: (string | number)[]): void => {
    const range = (node as YamlNode | null)?.range;
    if (!range) return;
    // A scalar's or a collection's own start; for a map entry the key is a line above a block value.
    const { line, col } = lineCounter.linePos(range[0]);
    at[pathKey(path)] = [line, col];
    if (isMap(node)) for (const pair of node.items) walk(pair.value, [...path, String(isScalar(pair.key) ? pair.key.value : pair.key)]);
    else if (isSeq(node))
      node.items.forEach((item, i) => {
        walk(item, [...path, i]);
      });
  };
  walk(parsed.contents, []);
  return { doc: parsed.toJS() as unknown, at };
}

/**
 * The parsed spec, from the cache when one was written for the same text (parsing the YAML with
 * positions costs every worker about 0.3 s; issue 14), else parsed and cached. A read-only
 * checkout parses every time.
 */
function parsedSpec(text: string, shown: string): ParsedSpec {
  const version = (createRequire(import.meta.url)('yaml/package.json') as { version: string }).version;
  const hash = createHash('sha256').update(version).update('\0').update(text).digest('hex').slice(0, 16);
  const file = join(CACHE_DIR, `spec-${hash}.json`);
  try {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as ParsedSpec;
  } catch {
    // A damaged cache file is parsed again and rewritten.
  }
  const spec = parseSpec(text, shown);
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    // Written aside and renamed: another process never reads a half-written file.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(spec));
    renameSync(tmp, file);
  } catch {
    // Not writable: parse next time too.
  }
  return spec;
}

export function readSpecSource(product: ProductId, file = join(SPECS_DIR, `${product}.yaml`)): SpecSource {
  const shown = relative(ROOT, file).split('\\').join('/');
  const { doc, at } = parsedSpec(readFileSync(file, 'utf8'), shown);
  if (!isObject(doc)) throw new SpecError(shown, 'is not a YAML mapping');
  return {
    file: shown,
    doc,
    locate(path) {
      for (let n = path.length; n >= 0; n--) {
        const pos = at[pathKey(path.slice(0, n))];
        if (pos) return { file: shown, line: pos[0], column: pos[1] };
      }
      return { file: shown, line: 1, column: 1 };
    },
  };
}

export function readSpecDocument(product: ProductId): Json {
  return readSpecSource(product).doc;
}

const CASE_KEYS = new Set(['id', 'behaviour', 'scenario', 'paging', 'params', 'since', 'until', 'safety']);
const CASE_ID = /^[a-z0-9][a-z0-9-]*$/;

function caseSpecs(where: string, raw: unknown, description: string, locate: (path: (string | number)[]) => SpecLocation): CaseSpec[] {
  if (raw === undefined) return [{ kind: 'example', behaviour: description, params: {}, where: locate([]) }];
  if (!Array.isArray(raw)) throw new SpecError(where, 'x-cases must be a list');
  const cases = raw.map((c, i): CaseSpec => {
    const at = `${where} x-cases[${i}]`;
    if (!isObject(c) || typeof c.behaviour !== 'string' || c.behaviour.trim() === '') throw new SpecError(at, 'needs a behaviour');
    const unknown = Object.keys(c).filter((k) => !CASE_KEYS.has(k));
    if (unknown.length) throw new SpecError(at, `unknown key(s) ${unknown.join(', ')} (known: ${[...CASE_KEYS].join(', ')})`);
    if (c.scenario !== undefined && c.paging !== undefined) throw new SpecError(at, 'has both scenario and paging');
    if (c.id !== undefined && (typeof c.id !== 'string' || !CASE_ID.test(c.id)))
      throw new SpecError(at, `id must match ${CASE_ID}, got ${JSON.stringify(c.id)}`);
    if (c.params !== undefined && !isObject(c.params)) throw new SpecError(at, 'params must be a mapping');
    if (c.safety !== undefined && !SAFETY.includes(c.safety as Safety)) throw new SpecError(at, `safety must be one of ${SAFETY.join(', ')}`);
    const base = {
      ...(typeof c.id === 'string' ? { id: c.id } : {}),
      behaviour: c.behaviour,
      params: (c.params ?? {}) as Json,
      ...(c.since !== undefined ? { since: String(c.since) } : {}),
      ...(c.until !== undefined ? { until: String(c.until) } : {}),
      ...(c.safety !== undefined ? { safety: c.safety as Safety } : {}),
      where: locate([i]),
    };
    if (typeof c.scenario === 'string') return { ...base, kind: 'scenario', scenario: c.scenario };
    if (typeof c.paging === 'string') return { ...base, kind: 'paging', mode: c.paging };
    if (c.scenario !== undefined || c.paging !== undefined) throw new SpecError(at, 'scenario and paging name an id (a string)');
    return { ...base, kind: 'example' };
  });
  if (cases.length > 1) {
    const ids = cases.map((c) => c.id);
    const missing = ids.indexOf(undefined);
    if (missing >= 0) throw new SpecError(`${where} x-cases[${missing}]`, 'needs an id: the status has more than one case');
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice) throw new SpecError(where, `two cases share the id "${twice}"`);
  }
  return cases;
}

/** Resolves a local `{$ref: '#/components/...'}` (parameters, responses) to what it points at. */
function deref<T>(doc: Json, node: T): T {
  if (!isObject(node) || typeof node.$ref !== 'string' || !node.$ref.startsWith('#/')) return node;
  const target = node.$ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((n, key) => (isObject(n) ? n[key] : undefined), doc);
  if (target === undefined) throw new SpecError(node.$ref, 'points at nothing');
  return deref(doc, target as T);
}

const noLocation = (file: string) => (): SpecLocation => ({ file, line: 1, column: 1 });

export function buildProductSpec(product: ProductId, raw: Json, source?: Pick<SpecSource, 'file' | 'locate'>): ProductSpec {
  const file = source?.file ?? `specs/${product}.yaml`;
  const locate = source?.locate ?? noLocation(file);
  const doc = rewriteRefs(raw) as Json;
  const info = doc.info as Json;
  const paths = doc.paths as Record<string, Json>;
  if (!isObject(paths)) throw new SpecError(file, 'has no paths');
  const globalSecurity = Array.isArray(doc.security) && doc.security.length > 0;
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    const shared = ((item.parameters as ParameterSpec[] | undefined) ?? []).map((p) => deref(doc, p));
    for (const method of METHODS) {
      const op = item[method.toLowerCase()] as Json | undefined;
      if (!op) continue;
      const at = ['paths', path, method.toLowerCase()];
      const where = `${file} ${method} ${path}`;
      const docRef = op['x-doc'] as Operation['doc'] | undefined;
      if (!docRef?.document || !docRef.section) throw new SpecError(where, 'needs x-doc with document and section');
      // A GET reads; any other method may write, so one added without x-safety is treated as
      // destructive: on a live target its example is sent only with CONFORMANCE_DESTRUCTIVE=1.
      const safety = (op['x-safety'] ?? (method === 'GET' ? 'read-only' : 'destructive')) as Safety;
      if (!SAFETY.includes(safety)) throw new SpecError(where, `x-safety must be one of ${SAFETY.join(', ')}`);
      const auxiliary = op['x-auxiliary'] === undefined ? undefined : String(op['x-auxiliary']);
      const responses: Record<string, ResponseSpec> = {};
      for (const [status, ref] of Object.entries((op.responses as Record<string, Json>) ?? {})) {
        const r = deref(doc, ref);
        const content = r.content as Record<string, Json> | undefined;
        const [mediaType, media] = content ? (Object.entries(content)[0] ?? []) : [];
        const accept = (r['x-accept-status'] as number[] | undefined) ?? [];
        // A case is located where it is written; a response shared by $ref, where the operation names it.
        const inline = !(isObject(ref) && typeof ref.$ref === 'string');
        const caseAt = (p: (string | number)[]) => locate(inline ? [...at, 'responses', status, 'x-cases', ...p] : [...at, 'responses', status]);
        responses[status] = {
          status,
          description: String(r.description ?? ''),
          mediaType,
          schema: media?.schema as object | undefined,
          ...(media?.example !== undefined ? { example: media.example } : {}),
          acceptStatus: [Number(status), ...accept.filter((s) => s !== Number(status))],
          cases: auxiliary !== undefined ? [] : caseSpecs(`${where} ${status}`, r['x-cases'], String(r.description ?? ''), caseAt),
        };
      }
      if (Object.keys(responses).length === 0) throw new SpecError(where, 'documents no response');
      const body = op.requestBody as Json | undefined;
      const [bodyType, bodyMedia] = body ? ((Object.entries((body.content as Record<string, Json>) ?? {})[0] ?? []) as [string?, Json?]) : [];
      const opSecurity = op.security as unknown[] | undefined;
      const tags = op.tags === undefined ? [] : op.tags;
      if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) throw new SpecError(where, 'tags must be a list of names');
      operations.push({
        product,
        operationId: String(op.operationId ?? ''),
        method,
        path,
        summary: String(op.summary ?? ''),
        doc: docRef,
        safety,
        since: op['x-since'] === undefined ? undefined : String(op['x-since']),
        ...(auxiliary !== undefined ? { auxiliary } : {}),
        ...(op['x-one-at-a-time'] !== undefined ? { oneAtATime: String(op['x-one-at-a-time']) } : {}),
        security: opSecurity === undefined ? globalSecurity : opSecurity.length > 0,
        tags: tags as string[],
        parameters: [...shared, ...((op.parameters as ParameterSpec[] | undefined) ?? []).map((p) => deref(doc, p))].map((p) => ({
          ...p,
          required: Boolean(p.required),
        })),
        requestBody:
          bodyMedia && bodyType
            ? { schema: bodyMedia.schema as object | undefined, example: bodyMedia.example, required: Boolean(body?.required), mediaType: bodyType }
            : undefined,
        responses,
        where: locate(at),
      });
      if (!operations.at(-1)!.operationId) throw new SpecError(where, 'needs an operationId');
    }
  }
  const byId = new Map<string, Operation>();
  for (const op of operations) {
    if (byId.has(op.operationId)) throw new SpecError(file, `operationId ${op.operationId} is used twice`);
    byId.set(op.operationId, op);
  }
  return { product, title: String(info?.title ?? product), version: String(info?.version ?? ''), file, operations, byId };
}

const cache = new Map<ProductId, ProductSpec>();

/** The product's operation model, parsed once per process. */
export function loadSpec(product: ProductId): ProductSpec {
  let spec = cache.get(product);
  if (!spec) {
    const source = readSpecSource(product);
    spec = buildProductSpec(product, source.doc, source);
    cache.set(product, spec);
  }
  return spec;
}

export function operation(product: ProductId, operationId: string): Operation {
  const op = loadSpec(product).byId.get(operationId);
  if (!op) throw new SpecError(product, `no operation ${operationId}`);
  return op;
}
