/**
 * The suite proves its own worth against variants of its stub (src/stub/variants/), in one
 * project whose workers serve every variant:
 * - a broken variant violates a document sentence: each case it names must fail against it with
 *   a conformance finding (a skip or a crash of the suite is not "caught");
 * - a latitude variant uses a freedom the documents leave: every case of its product (or the cases it names) must pass
 *   (or skip with its reason).
 * A variant's tests run one after another in one worker (its stubs are made once). Select
 * variants with CONFORMANCE_VARIANTS=<id>,<id>.
 */
import { suiteCases } from '../../src/cases/derive.ts';
import type { ProductId } from '../../src/config/index.ts';
import { failureKind } from '../../src/report/findings.ts';
import { casesOf, VARIANTS } from '../../src/stub/variants/index.ts';
import { conformance, SkippedCase, test } from '../playwright.extend.ts';

const only = process.env.CONFORMANCE_VARIANTS?.split(',').filter(Boolean);
/** A finding as the report counts one (src/report/findings.ts), not a crash of the suite. */
const isFinding = (e: unknown): boolean => e instanceof Error && (e.name === 'ConformanceError' || failureKind(e.message) === 'finding');
/** Each product's cases, derived once for all its variants. */
const derived = new Map<ProductId, ReturnType<typeof suiteCases>>();
const casesOfProduct = (product: ProductId) => {
  let cases = derived.get(product);
  if (!cases) derived.set(product, (cases = suiteCases(product)));
  return cases;
};

for (const v of VARIANTS.filter((x) => !only?.length || only.includes(x.id))) {
  test.describe(`${v.kind} ${v.id}`, () => {
    test.describe.configure({ mode: 'default' });
    const all = casesOfProduct(v.product);
    const { cases, unknown } = casesOf(v, all);
    for (const pattern of unknown) {
      test(`names the case "${pattern}", which the ${v.product} spec does not derive`, () => {
        throw new Error(`${v.id} names "${pattern}": no case id of specs/${v.product}.yaml matches it (tests/self/cases.txt lists them)`);
      });
    }
    if (cases.length === 0 && unknown.length === 0) {
      test('names no case', () => {
        throw new Error(`${v.id} selects no case: a broken variant names the cases (ids) that must fail against it`);
      });
    }
    for (const c of cases) {
      if (v.kind === 'broken') {
        test(`${c.id} catches it`, { annotation: [{ type: 'breaks', description: v.breaks }] }, async ({ config, clients, stubs, redactor }) => {
          let error: unknown;
          try {
            await conformance(c, { config, clients, stubs, redactor }, { variant: v.id, skipIsFailure: true });
          } catch (e) {
            error = e;
          }
          if (error instanceof SkippedCase) throw new Error(`not caught: ${c.title} ${error.message} against the broken variant (${v.breaks})`);
          if (error === undefined) throw new Error(`not caught: ${c.title} passed against the broken variant (${v.breaks})`);
          if (!isFinding(error)) throw error;
        });
      } else {
        test(`${c.id} passes`, { annotation: [{ type: 'uses', description: v.uses }] }, async ({ config, clients, stubs, redactor }) => {
          await conformance(c, { config, clients, stubs, redactor }, { variant: v.id, env: v.env });
        });
      }
    }
  });
}
