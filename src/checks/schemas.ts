/**
 * One Ajv (JSON Schema 2020-12) instance per process, every file of `schemas/` added once by
 * `$id`, each validator compiled once and cached. The validators of every response schema of the
 * specs are also cached on disk as Ajv's standalone code (node_modules/.cache, keyed by a hash of
 * the schemas and specs), so that a worker loads them instead of compiling them again. Errors are
 * rewritten into sentences that name the JSON pointer, the rule and the value received.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { PRODUCTS } from '../config/index.ts';
import { CACHE_DIR, loadSchemaFiles, loadSpec, SCHEMA_BASE } from '../spec/load.ts';

/**
 * Ajv itself is loaded only to compile: a process that finds the validators cached on disk runs
 * their standalone code and never loads it (issue 14: about 60 ms of every worker's start).
 */
const load = createRequire(import.meta.url);

/** One source of a rejecting keyword: the vendor document (or `field-notes.md`) and its sentence, quoted. */
const SOURCE = {
  type: 'object',
  required: ['document', 'quote'],
  properties: { document: { type: 'string', minLength: 1 }, quote: { type: 'string', minLength: 1 }, note: { type: 'string' } },
  additionalProperties: false,
} as const;

/**
 * `x-source`: where each rejecting keyword of a schema object comes from, keyed by keyword name
 * (`{"required": {"document": "fortisoar-api-guide.txt", "quote": "..."}}`, or a list of sources).
 * An annotation: it never changes a verdict; tests/self/sources.test.ts checks that every rejecting
 * keyword has one and that each quote is in its document (docs/decisions/*-schema-keyword-sources.md).
 */
export const X_SOURCE_META = {
  type: 'object',
  additionalProperties: { anyOf: [SOURCE, { type: 'array', minItems: 1, items: SOURCE }] },
} as const;

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

function newAjv(source = false): Ajv2020 {
  const { Ajv2020 } = load('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const { _ } = load('ajv/dist/compile/codegen/index.js') as typeof import('ajv/dist/compile/codegen/index.js');
  const addFormats = load('ajv-formats') as typeof import('ajv-formats').default;
  const a = new Ajv2020({
    strict: true,
    allErrors: true,
    allowUnionTypes: true,
    ...(source ? { code: { source: true, lines: false, formats: _`require("ajv-formats/dist/formats").fullFormats` } } : {}),
  });
  addFormats(a);
  // OpenAPI 3.1 annotations that may appear inside schemas of the specs.
  a.addVocabulary(['example', 'xml', 'externalDocs', 'discriminator']);
  a.addKeyword({ keyword: 'x-source', metaSchema: X_SOURCE_META });
  for (const schema of loadSchemaFiles().values()) a.addSchema(schema);
  return a;
}

export function schemaRegistry(): Ajv2020 {
  ajv ??= newAjv();
  return ajv;
}

/** Compiles (once, keyed by `key`) and returns the validator for a schema object. */
export function validator(key: string, schema: object): ValidateFunction {
  let v = compiled.get(key);
  if (!v) {
    v = precompiled()?.get(key) ?? schemaRegistry().compile(schema);
    compiled.set(key, v);
  }
  return v;
}

// ── validators cached on disk ───────────────────────────────────────────────────────────────

/** The validators a run uses, by the key `validator()` is called with: each response schema of the specs, each schema file. */
function knownSchemas(): Map<string, object> {
  const out = new Map<string, object>();
  for (const p of PRODUCTS) {
    for (const op of loadSpec(p).operations) for (const r of Object.values(op.responses)) if (r.schema) out.set(`${p}:${op.operationId}:${r.status}`, r.schema);
  }
  for (const id of loadSchemaFiles().keys()) out.set(`file:${id.slice(SCHEMA_BASE.length)}`, { $ref: id });
  return out;
}

let cache: Map<string, ValidateFunction> | null | undefined;

/**
 * Ajv's standalone code for every known validator, written once per content of the schemas and
 * specs (the file name is a hash of them and of the Ajv version) and loaded by every later
 * process; null where it cannot be written (a read-only checkout): then each validator compiles.
 */
function precompiled(): Map<string, ValidateFunction> | null {
  if (cache !== undefined) return cache;
  const require = createRequire(import.meta.url);
  const known = knownSchemas();
  const hash = createHash('sha256')
    .update(String((require('ajv/package.json') as { version: string }).version))
    .update(JSON.stringify([...loadSchemaFiles()]))
    .update(JSON.stringify([...known]))
    .digest('hex')
    .slice(0, 16);
  const file = join(CACHE_DIR, `validators-${hash}.cjs`);
  const keys = [...known.keys()];
  try {
    if (!existsSync(file)) {
      const a = newAjv(true);
      const exports: Record<string, string> = {};
      keys.forEach((key, i) => {
        a.addSchema(known.get(key)!, `urn:conformance:v${i}`);
        exports[`v${i}`] = `urn:conformance:v${i}`;
      });
      const standalone = (load('ajv/dist/standalone/index.js') as { default: (ajv: Ajv2020, refs: Record<string, string>) => string }).default;
      mkdirSync(CACHE_DIR, { recursive: true });
      // Written aside and renamed: a worker never loads a half-written file.
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, standalone(a, exports));
      renameSync(tmp, file);
    }
    const loaded = require(file) as Record<string, ValidateFunction>;
    cache = new Map(keys.map((key, i) => [key, loaded[`v${i}`]!]));
  } catch {
    cache = null;
  }
  return cache;
}

/**
 * JSON of `v`, cut at `max` characters: written piece by piece and stopped there, so a huge or
 * deeply nested value costs no more than what is shown.
 */
export function boundedJson(v: unknown, max: number): string {
  let out = '';
  const write = (x: unknown, depth: number): void => {
    if (out.length > max) return;
    if (x === undefined) out += 'undefined';
    else if (x === null || typeof x !== 'object') out += JSON.stringify(x) ?? String(x);
    else if (depth > 20) out += Array.isArray(x) ? '[…]' : '{…}';
    else if (Array.isArray(x)) {
      out += '[';
      for (let i = 0; i < x.length && out.length <= max; i++) {
        if (i) out += ',';
        write(x[i], depth + 1);
      }
      out += ']';
    } else {
      out += '{';
      let first = true;
      for (const k in x) {
        if (out.length > max) break;
        if (!first) out += ',';
        first = false;
        out += `${JSON.stringify(k)}:`;
        write((x as Record<string, unknown>)[k], depth + 1);
      }
      out += '}';
    }
  };
  write(v, 0);
  return out;
}

const shown = (v: unknown): string => {
  const s = boundedJson(v, 80);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

const valueAt = (data: unknown, pointer: string): unknown =>
  pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), data);

const cut = (s: string, n = 200): string => (s.length > n ? `${s.slice(0, n - 3)}...` : s);

/** At most this many schema errors are described; the rest are counted (a large body can have millions). */
export const MAX_DESCRIBED_ERRORS = 30;

/**
 * Ajv errors as one sentence each: `at /hydra:member/0/@id: must match pattern "..." (received "x")`;
 * at most MAX_DESCRIBED_ERRORS of them, then one line counting the others.
 */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined, data: unknown): string[] {
  const all = errors ?? [];
  const lines = all.slice(0, MAX_DESCRIBED_ERRORS).map((e) => {
    const at = e.instancePath === '' ? '(body)' : cut(e.instancePath);
    if (e.keyword === 'required') return `at ${at}: missing required property "${cut((e.params as { missingProperty: string }).missingProperty)}"`;
    if (e.keyword === 'additionalProperties') {
      return `at ${at}: unexpected property "${cut((e.params as { additionalProperty: string }).additionalProperty)}"`;
    }
    return `at ${at}: ${e.message ?? e.keyword} (received ${shown(valueAt(data, e.instancePath))})`;
  });
  if (all.length > MAX_DESCRIBED_ERRORS) lines.push(`... and ${all.length - MAX_DESCRIBED_ERRORS} more schema error(s) not shown (${all.length} in all)`);
  return lines;
}
