/**
 * Every rejecting keyword has a source: each keyword of a schema a response is checked against
 * that can reject it (type, required, enum, pattern, minimum, additionalProperties: false, anyOf,
 * ...) names its vendor-document sentence or field note in `x-source`, and the quote is really
 * in that document. Walks the inline response schemas of every spec and every schema file they
 * reach through $ref, plus every file of schemas/<product>/ (the scenarios check some action
 * answers against those directly). docs/decisions/*-schema-keyword-sources.md.
 */
import { expect, test } from '@playwright/test';
import { schemaRegistry } from '../../src/checks/schemas.ts';
import { PRODUCTS } from '../../src/config/index.ts';
import { loadSchemaFiles, loadSpec, SCHEMA_BASE } from '../../src/spec/load.ts';
import { auditSchema, documentsOrSkip, type Finding, normalise, readDocuments, show } from './source-audit.ts';

const DOCS = new Map([
  ['guide.txt', normalise('Response\nSTATUS: 201\nBODY: { “@id”: “/api/3/assets/0119”,\n  "@type": "Asset" }')],
  ['field-notes.md', normalise('- Workflow executions: `tags` is one comma-separated\n  string.')],
]);
const src = (quote: string, document = 'guide.txt') => ({ document, quote });

test.describe('the source audit', () => {
  test('fails on a rejecting keyword without a source, naming the schema and the pointer', () => {
    const findings = auditSchema('mem.json', { type: 'object', required: ['@id'], 'x-source': { type: src('BODY: {') } }, DOCS);
    expect(findings).toEqual([{ schema: 'mem.json', pointer: '/required', problem: '"required" rejects responses but has no x-source' }]);
  });

  test('walks subschemas: properties, items, $defs, anyOf branches', () => {
    const schema = {
      type: 'object',
      'x-source': { type: src('BODY: {') },
      properties: { tags: { type: 'array', items: { type: 'string' }, 'x-source': { type: src('string.', 'field-notes.md') } } },
      $defs: { node: { anyOf: [{ minLength: 1 }] } },
    };
    expect(show(auditSchema('mem.json', schema, DOCS))).toBe(
      [
        'mem.json /properties/tags/items/type: "type" rejects responses but has no x-source',
        'mem.json /$defs/node/anyOf: "anyOf" rejects responses but has no x-source',
        'mem.json /$defs/node/anyOf/0/minLength: "minLength" rejects responses but has no x-source',
      ].join('\n'),
    );
  });

  test('fails on a quote that is not in the cited document, or a document that does not exist', () => {
    const findings = auditSchema(
      'mem.json',
      { required: ['id'], pattern: '^/', 'x-source': { required: src('an integer id is always there'), pattern: src('x', 'nowhere.txt') } },
      DOCS,
    );
    expect(findings.map((f) => f.pointer)).toEqual(['/x-source/required', '/x-source/pattern']);
    expect(findings[0].problem).toContain('which is not in guide.txt');
    expect(findings[1].problem).toContain('"nowhere.txt", which is not one of the documents');
  });

  test('compares quotes with whitespace and typographic quotes normalised', () => {
    const schema = {
      required: ['@id', '@type'],
      'x-source': { required: [src('BODY: { "@id": "/api/3/assets/0119", "@type": "Asset" }')] },
      properties: { tags: { type: 'string', 'x-source': { type: src('`tags` is one comma-separated string.', 'field-notes.md') } } },
    };
    expect(auditSchema('mem.json', schema, DOCS)).toEqual([]);
  });

  test('a false subschema needs a source on its keyword; trivial values need none', () => {
    expect(show(auditSchema('mem.json', { additionalProperties: false, minItems: 0, required: [], uniqueItems: false }, DOCS))).toBe(
      'mem.json /additionalProperties: "additionalProperties" rejects responses but has no x-source',
    );
  });

  test('flags a source naming a keyword the object does not have, and keywords it does not know', () => {
    const findings = auditSchema('mem.json', { 'x-source': { minimum: src('BODY: {') }, exotic: 1 }, DOCS);
    expect(findings.map((f) => f.pointer)).toEqual(['/exotic', '/x-source/minimum']);
  });

  test('reports a missing documents folder clearly', () => {
    expect(() => readDocuments('/nonexistent/shared/docs')).toThrow(/vendor documents are not at \/nonexistent\/shared\/docs.*\.\.\/shared\/docs/);
  });
});

test.describe('every schema a response is checked against', () => {
  const files = loadSchemaFiles();
  const productFile = (id: string) => PRODUCTS.some((p) => id.startsWith(`${SCHEMA_BASE}${p}/`));

  /** Inline response schemas of the specs, and the schema files reachable from them or in a product folder. */
  function collect(): { inline: [string, object][]; reached: Set<string>; dangling: string[] } {
    const inline: [string, object][] = [];
    const queue: [string, string][] = [];
    for (const product of PRODUCTS) {
      for (const op of loadSpec(product).operations) {
        for (const r of Object.values(op.responses)) {
          if (!r.schema) continue;
          const ref = (r.schema as { $ref?: unknown }).$ref;
          if (typeof ref === 'string' && Object.keys(r.schema).length === 1) queue.push([ref, SCHEMA_BASE]);
          else inline.push([`specs/${product}.yaml ${op.operationId} ${r.status}`, r.schema]);
        }
      }
    }
    for (const id of files.keys()) if (productFile(id)) queue.push([id, SCHEMA_BASE]);
    const reached = new Set<string>();
    const dangling: string[] = [];
    // auditSchema collects the $ref values it meets; with no documents, only the refs matter here.
    const docs = new Map<string, string>();
    const pending = [...queue];
    for (const [, schema] of inline) {
      const refs: string[] = [];
      auditSchema('', schema, docs, refs);
      for (const r of refs) pending.push([r, SCHEMA_BASE]);
    }
    while (pending.length > 0) {
      const [ref, base] = pending.pop()!;
      if (ref.startsWith('#')) continue;
      const id = new URL(ref, base).href.split('#')[0];
      if (reached.has(id)) continue;
      const schema = files.get(id);
      if (!schema) {
        dangling.push(`${ref} (from ${base})`);
        continue;
      }
      reached.add(id);
      const refs: string[] = [];
      auditSchema('', schema, docs, refs);
      for (const r of refs) pending.push([r, id]);
    }
    return { inline, reached, dangling };
  }

  test('every $ref resolves to a schema file, and the response schemas reach only product schemas', () => {
    const { reached, dangling } = collect();
    expect(dangling).toEqual([]);
    expect([...reached].filter((id) => !productFile(id))).toEqual([]);
  });

  test('every rejecting keyword names its document sentence or field note, quoted as written', () => {
    const documents = documentsOrSkip();
    const { inline, reached } = collect();
    const findings: Finding[] = [];
    for (const [name, schema] of inline) findings.push(...auditSchema(name, schema, documents));
    for (const id of [...reached].sort()) findings.push(...auditSchema(`schemas/${id.slice(SCHEMA_BASE.length)}`, files.get(id), documents));
    expect(show(findings), `${findings.length} keyword(s) without a valid source`).toBe('');
  });

  test('x-source is an annotation Ajv knows in strict mode', () => {
    const ajv = schemaRegistry();
    expect(() => ajv.compile({ type: 'string', 'x-source': { type: { document: 'guide.txt', quote: 'q' } } })).not.toThrow();
    expect(() => ajv.compile({ type: 'string', 'x-source': { type: { document: 'guide.txt' } } })).toThrow(/x-source/);
  });
});
