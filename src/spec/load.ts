/**
 * OpenAPI document (YAML, `specs/<product>.yaml`) → operation model.
 *
 * File references into `schemas/` are rewritten to the schema's `$id`, so that the one Ajv
 * instance of `src/checks/schemas.ts` resolves them; everything else is read as written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { ProductId } from '../config/index.ts';
import type { CaseSpec, HttpMethod, Operation, ParameterSpec, ProductSpec, ResponseSpec, Safety } from './model.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SPECS_DIR = join(ROOT, 'specs');
export const SCHEMAS_DIR = join(ROOT, 'schemas');
export const SCHEMA_BASE = 'https://fortinet-conformance.local/schemas/';

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

export function readSpecDocument(product: ProductId): Json {
  const file = join(SPECS_DIR, `${product}.yaml`);
  const doc = parse(readFileSync(file, 'utf8')) as unknown;
  if (!isObject(doc)) throw new SpecError(`specs/${product}.yaml`, 'is not a YAML mapping');
  return doc;
}

function caseSpecs(where: string, raw: unknown): CaseSpec[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) throw new SpecError(where, 'x-cases must be a list');
  return raw.map((c, i) => {
    if (!isObject(c) || typeof c.behaviour !== 'string') throw new SpecError(`${where} x-cases[${i}]`, 'needs a behaviour');
    if (c.scenario !== undefined && c.paging !== undefined) throw new SpecError(`${where} x-cases[${i}]`, 'has both scenario and paging');
    return c as unknown as CaseSpec;
  });
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

export function buildProductSpec(product: ProductId, raw: Json): ProductSpec {
  const doc = rewriteRefs(raw) as Json;
  const info = doc.info as Json;
  const paths = doc.paths as Record<string, Json>;
  if (!isObject(paths)) throw new SpecError(product, 'has no paths');
  const globalSecurity = Array.isArray(doc.security) && doc.security.length > 0;
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    const shared = ((item.parameters as ParameterSpec[] | undefined) ?? []).map((p) => deref(doc, p));
    for (const method of METHODS) {
      const op = item[method.toLowerCase()] as Json | undefined;
      if (!op) continue;
      const where = `${product} ${method} ${path}`;
      const docRef = op['x-doc'] as Operation['doc'] | undefined;
      if (!docRef?.document || !docRef.section) throw new SpecError(where, 'needs x-doc with document and section');
      const safety = (op['x-safety'] ?? 'read-only') as Safety;
      if (!SAFETY.includes(safety)) throw new SpecError(where, `x-safety must be one of ${SAFETY.join(', ')}`);
      const responses: Record<string, ResponseSpec> = {};
      for (const [status, ref] of Object.entries((op.responses as Record<string, Json>) ?? {})) {
        const r = deref(doc, ref);
        const content = r.content as Record<string, Json> | undefined;
        const [mediaType, media] = content ? (Object.entries(content)[0] ?? []) : [];
        const accept = (r['x-accept-status'] as number[] | undefined) ?? [];
        responses[status] = {
          status,
          description: String(r.description ?? ''),
          mediaType,
          schema: media?.schema as object | undefined,
          acceptStatus: [Number(status), ...accept.filter((s) => s !== Number(status))],
          cases: caseSpecs(`${where} ${status}`, r['x-cases']) ?? [{ behaviour: String(r.description ?? '') }],
        };
      }
      if (Object.keys(responses).length === 0) throw new SpecError(where, 'documents no response');
      const body = op.requestBody as Json | undefined;
      const bodyMedia = body ? (Object.values((body.content as Record<string, Json>) ?? {})[0] as Json | undefined) : undefined;
      const opSecurity = op.security as unknown[] | undefined;
      operations.push({
        product,
        operationId: String(op.operationId ?? ''),
        method,
        path,
        summary: String(op.summary ?? ''),
        doc: docRef,
        safety,
        since: op['x-since'] as string | undefined,
        security: opSecurity === undefined ? globalSecurity : opSecurity.length > 0,
        parameters: [...shared, ...((op.parameters as ParameterSpec[] | undefined) ?? []).map((p) => deref(doc, p))].map((p) => ({
          ...p,
          required: Boolean(p.required),
        })),
        requestBody: bodyMedia ? { schema: bodyMedia.schema as object | undefined, example: bodyMedia.example, required: Boolean(body?.required) } : undefined,
        responses,
      });
      if (!operations.at(-1)!.operationId) throw new SpecError(where, 'needs an operationId');
    }
  }
  const byId = new Map<string, Operation>();
  for (const op of operations) {
    if (byId.has(op.operationId)) throw new SpecError(product, `operationId ${op.operationId} is used twice`);
    byId.set(op.operationId, op);
  }
  return { product, title: String(info?.title ?? product), version: String(info?.version ?? ''), operations, byId };
}

const cache = new Map<ProductId, ProductSpec>();

/** The product's operation model, parsed once per process. */
export function loadSpec(product: ProductId): ProductSpec {
  let spec = cache.get(product);
  if (!spec) {
    spec = buildProductSpec(product, readSpecDocument(product));
    cache.set(product, spec);
  }
  return spec;
}

export function operation(product: ProductId, operationId: string): Operation {
  const op = loadSpec(product).byId.get(operationId);
  if (!op) throw new SpecError(product, `no operation ${operationId}`);
  return op;
}
