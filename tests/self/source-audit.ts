/**
 * The source audit: every schema keyword that can reject a response names where it comes from,
 * in the `x-source` annotation of the schema object that holds it (keyword name → a source or a
 * list of sources `{document, quote}`), and each quote is found in its document in
 * `../shared/docs/` (whitespace and typographic quotes normalised). See
 * docs/decisions/*-schema-keyword-sources.md.
 *
 * One plain function of (schema, documents): the unit tests feed it in-memory schemas, the audit
 * test every schema a response is checked against.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from '@playwright/test';
import { ROOT } from '../../src/spec/load.ts';

export const DOCS_DIR = resolve(ROOT, '../shared/docs');

export interface Finding {
  /** The schema: a file under schemas/ or `<product> <operationId> <status>` for an inline one. */
  readonly schema: string;
  /** JSON pointer of the keyword inside that schema. */
  readonly pointer: string;
  readonly problem: string;
}

export interface Source {
  readonly document: string;
  readonly quote: string;
  readonly note?: string;
}

/** Keywords that can make a response fail, whatever their value (trivial values are skipped below). */
const REJECTING = new Set([
  'type',
  'enum',
  'const',
  'required',
  'pattern',
  'format',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'dependentRequired',
  'minContains',
  'maxContains',
  'contains',
  'not',
  'oneOf',
  'anyOf',
  'propertyNames',
]);

/** Keywords holding subschemas: walked, and rejecting themselves only when a subschema is `false`. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SCHEMA_ONE = new Set([
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'unevaluatedItems',
  'contains',
  'not',
  'propertyNames',
  'if',
  'then',
  'else',
]);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

/** Keywords that never reject: annotations, identifiers, references (followed by the caller). */
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$ref',
  '$anchor',
  '$comment',
  'title',
  'description',
  'examples',
  'example',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'contentMediaType',
  'contentEncoding',
  'externalDocs',
  'xml',
  'discriminator',
]);

/** A value of a rejecting keyword that cannot reject anything. */
function trivial(keyword: string, value: unknown): boolean {
  if (keyword === 'required') return Array.isArray(value) && value.length === 0;
  if (keyword === 'uniqueItems') return value === false;
  if (['minLength', 'minItems', 'minProperties', 'minContains'].includes(keyword)) return value === 0;
  return false;
}

/**
 * Whitespace runs to one space, typographic quotes and dashes to plain ones: how quotes are
 * compared (a quote survives line breaks and a copy from a PDF).
 */
export function normalise(s: string): string {
  return s
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The documents of `dir`, normalised, by file name; a clear error when the folder is missing. */
export function readDocuments(dir = DOCS_DIR): Map<string, string> {
  if (!existsSync(dir)) {
    throw new Error(
      `the vendor documents are not at ${dir}: the source audit reads them from ../shared/docs/ beside the repository root (fortisoar-api-guide.txt, field-notes.md, ...)`,
    );
  }
  const out = new Map<string, string>();
  for (const name of readdirSync(dir)) if (/\.(txt|md)$/.test(name)) out.set(name, normalise(readFileSync(join(dir, name), 'utf8')));
  return out;
}

/**
 * The documents for an audit test, or the test skipped naming the folder: the vendor documents
 * are not part of the repository, and a clone without `../shared` beside it cannot be audited
 * (CI and every working copy have them; there the audit runs).
 */
export function documentsOrSkip(): Map<string, string> {
  if (!existsSync(DOCS_DIR)) test.skip(true, `the vendor documents are not at ${DOCS_DIR}: the source audit needs ../shared/docs beside the repository`);
  return readDocuments();
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const pointerEscape = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

function checkSources(value: unknown, documents: ReadonlyMap<string, string>): string | undefined {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) return 'has an empty list of sources';
  for (const s of list) {
    if (!isObject(s) || typeof s.document !== 'string' || typeof s.quote !== 'string') return 'has a source without "document" and "quote"';
    const doc = documents.get(s.document);
    if (doc === undefined) return `cites "${s.document}", which is not one of the documents (${[...documents.keys()].join(', ')})`;
    if (normalise(s.quote).length === 0) return `cites an empty quote of ${s.document}`;
    if (!doc.includes(normalise(s.quote))) return `quotes ${JSON.stringify(s.quote)}, which is not in ${s.document}`;
  }
  return undefined;
}

/**
 * Every rejecting keyword of `schema` (walked through its subschemas, not through `$ref`) without
 * a valid source beside it. `refs` collects the `$ref` values met, for the caller to follow.
 */
export function auditSchema(name: string, schema: unknown, documents: ReadonlyMap<string, string>, refs: string[] = []): Finding[] {
  const findings: Finding[] = [];
  const walk = (node: unknown, pointer: string): void => {
    if (node === true) return;
    if (node === false) {
      findings.push({ schema: name, pointer: pointer || '/', problem: 'is the schema false, which rejects everything' });
      return;
    }
    if (!isObject(node)) {
      findings.push({ schema: name, pointer: pointer || '/', problem: 'is not a schema' });
      return;
    }
    const sources = node['x-source'];
    if (sources !== undefined && !isObject(sources))
      findings.push({ schema: name, pointer: `${pointer}/x-source`, problem: 'must map keyword names to sources' });
    const sourceOf = (k: string): unknown => (isObject(sources) ? sources[k] : undefined);
    for (const [k, v] of Object.entries(node)) {
      const at = `${pointer}/${pointerEscape(k)}`;
      if (k === '$ref' && typeof v === 'string') refs.push(v);
      // A false subschema rejects: its keyword needs a source (additionalProperties: false, items: false).
      const rejectsAsFalse = SCHEMA_ONE.has(k) && v === false;
      if ((REJECTING.has(k) && !trivial(k, v)) || rejectsAsFalse) {
        const src = sourceOf(k);
        if (src === undefined) findings.push({ schema: name, pointer: at, problem: `"${k}" rejects responses but has no x-source` });
        else {
          const bad = checkSources(src, documents);
          if (bad) findings.push({ schema: name, pointer: `${pointer}/x-source/${pointerEscape(k)}`, problem: bad });
        }
      } else if (!REJECTING.has(k) && !SCHEMA_MAPS.has(k) && !SCHEMA_ONE.has(k) && !SCHEMA_LISTS.has(k) && !ANNOTATIONS.has(k) && !k.startsWith('x-')) {
        findings.push({ schema: name, pointer: at, problem: `"${k}" is not a keyword the audit knows: classify it in tests/self/source-audit.ts` });
      }
      if (SCHEMA_MAPS.has(k) && isObject(v)) for (const [p, sub] of Object.entries(v)) walk(sub, `${at}/${pointerEscape(p)}`);
      else if (SCHEMA_LISTS.has(k) && Array.isArray(v)) for (const [i, sub] of v.entries()) walk(sub, `${at}/${i}`);
      else if (SCHEMA_ONE.has(k) && v !== false) walk(v, at);
    }
    if (isObject(sources)) {
      for (const k of Object.keys(sources)) {
        if (!(k in node))
          findings.push({ schema: name, pointer: `${pointer}/x-source/${pointerEscape(k)}`, problem: `names "${k}", which this schema object does not have` });
      }
    }
  };
  walk(schema, '');
  return findings;
}

/** Prints findings one a line, for a failing expectation. */
export const show = (findings: readonly Finding[]): string => findings.map((f) => `${f.schema} ${f.pointer}: ${f.problem}`).join('\n');
