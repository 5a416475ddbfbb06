/**
 * One Ajv (JSON Schema 2020-12) instance per process, every file of `schemas/` added once by
 * `$id`, each validator compiled once and cached. Errors are rewritten into sentences that name
 * the JSON pointer, the rule and the value received.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { loadSchemaFiles } from '../spec/load.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

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

export function schemaRegistry(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
    addFormats(ajv);
    // OpenAPI 3.1 annotations that may appear inside schemas of the specs.
    ajv.addVocabulary(['example', 'xml', 'externalDocs', 'discriminator']);
    ajv.addKeyword({ keyword: 'x-source', metaSchema: X_SOURCE_META });
    for (const schema of loadSchemaFiles().values()) ajv.addSchema(schema);
  }
  return ajv;
}

/** Compiles (once, keyed by `key`) and returns the validator for a schema object. */
export function validator(key: string, schema: object): ValidateFunction {
  let v = compiled.get(key);
  if (!v) {
    v = schemaRegistry().compile(schema);
    compiled.set(key, v);
  }
  return v;
}

/**
 * JSON of `v`, cut at `max` characters: written piece by piece and stopped there, so a huge or
 * deeply nested value costs no more than what is shown.
 */
function boundedJson(v: unknown, max: number): string {
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
