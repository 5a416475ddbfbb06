/**
 * The specs and schemas are valid, and every documented status and paging mode has a case whose
 * scenario exists: a spec edit that names a missing scenario fails here, not at run time.
 */
import { existsSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { expect, test } from '@playwright/test';
import { checkCasesOnce, checkedMarker } from '../../src/cases/check-once.ts';
import { deriveCases } from '../../src/cases/derive.ts';
import { checkCases, runnerOf } from '../../src/cases/registry.ts';
import { schemaRegistry, validator } from '../../src/checks/schemas.ts';
import { PRODUCTS } from '../../src/config/index.ts';
import { loadSchemaFiles, loadSpec, readSpecDocument } from '../../src/spec/load.ts';

test('every schema file compiles in strict mode', () => {
  const ajv = schemaRegistry();
  for (const id of loadSchemaFiles().keys()) expect(ajv.getSchema(id), id).toBeTruthy();
});

for (const product of PRODUCTS) {
  test.describe(`specs/${product}.yaml`, () => {
    test('is an OpenAPI 3.1 document with unique operation ids', () => {
      const doc = readSpecDocument(product);
      expect(String(doc.openapi)).toMatch(/^3\.1\.\d+$/);
      expect(doc.info).toBeTruthy();
      const spec = loadSpec(product);
      expect(spec.operations.length).toBeGreaterThan(0);
      expect(new Set(spec.operations.map((o) => o.operationId)).size).toBe(spec.operations.length);
    });

    test('every operation cites its document section', () => {
      for (const op of loadSpec(product).operations) {
        expect(op.doc.document, op.operationId).toMatch(/\.txt$/);
        expect(op.doc.section.length, op.operationId).toBeGreaterThan(3);
      }
    });

    test('every response schema compiles', () => {
      for (const op of loadSpec(product).operations) {
        for (const r of Object.values(op.responses)) if (r.schema) validator(`${product}:${op.operationId}:${r.status}`, r.schema);
      }
    });

    test('every documented status has a case, and every case a scenario', () => {
      const cases = deriveCases(loadSpec(product));
      for (const op of loadSpec(product).operations) {
        for (const status of Object.keys(op.responses)) {
          expect(
            cases.some((c) => c.op === op && c.status === status),
            `${op.method} ${op.path} ${status}`,
          ).toBe(true);
        }
      }
      for (const c of cases) expect(() => runnerOf(c), c.title).not.toThrow();
      expect(() => checkCases(cases)).not.toThrow();
    });

    test('titles read <METHOD> <path> → <status> <behaviour>', () => {
      for (const c of deriveCases(loadSpec(product))) expect(c.title).toMatch(/^(GET|POST|PUT|PATCH|DELETE) \/\S* → \d{3} \S/);
    });
  });
}

test('the validators cached on disk (Ajv standalone code) judge as freshly compiled ones do', () => {
  const bodies: unknown[] = [
    {},
    [],
    null,
    { '@id': '/api/3/alerts/x', '@type': 'Alert' },
    { '@type': 'hydra:Collection', 'hydra:member': [{ '@id': 1 }], 'hydra:totalItems': -1 },
    { data: [{ id: 'a', createTime: 'soon' }], totalCount: 1 },
    { items: [{ id: 3 }], nextPageToken: 5 },
  ];
  const ajv = schemaRegistry();
  let compared = 0;
  for (const product of PRODUCTS) {
    for (const op of loadSpec(product).operations) {
      for (const r of Object.values(op.responses)) {
        if (!r.schema) continue;
        const cached = validator(`${product}:${op.operationId}:${r.status}`, r.schema);
        const fresh = ajv.compile(r.schema);
        for (const body of bodies) {
          expect(cached(body), `${op.operationId} ${r.status} ${JSON.stringify(body)}`).toBe(fresh(body));
          expect((cached.errors ?? []).map((e) => e.instancePath + e.keyword)).toEqual((fresh.errors ?? []).map((e) => e.instancePath + e.keyword));
          compared++;
        }
      }
    }
  }
  expect(compared).toBeGreaterThan(100);
});

test('the runner checks the cases once per content: a pass leaves the marker of these specs and sources', async () => {
  const marker = checkedMarker();
  rmSync(marker, { force: true });
  await checkCasesOnce();
  expect(existsSync(marker)).toBe(true);
  // Another content (here: another set of specs) has a marker of its own, not yet written.
  const other = checkedMarker(['fmbs']);
  expect(other).not.toBe(marker);
  expect(basename(other)).toMatch(/^cases-checked-[0-9a-f]{16}$/);
});
