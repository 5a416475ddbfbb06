/**
 * The specs' examples are valid: every parameter, request body and response example matches the
 * schema beside it. The plain case sends the documented examples as they are, so an invalid one
 * would test the example rather than the server.
 */
import { expect, test } from '@playwright/test';
import { describeErrors, validator } from '../../src/checks/schemas.ts';
import { PRODUCTS } from '../../src/config/index.ts';
import { loadSpec } from '../../src/spec/load.ts';

for (const product of PRODUCTS) {
  test(`specs/${product}.yaml: every example matches its schema`, () => {
    const problems: string[] = [];
    const check = (key: string, schema: object | undefined, value: unknown, what: string) => {
      if (schema === undefined || value === undefined) return;
      const validate = validator(`example:${key}`, schema);
      if (!validate(value)) problems.push(`${what}: ${describeErrors(validate.errors, value).join('; ')}`);
    };
    let examples = 0;
    for (const op of loadSpec(product).operations) {
      for (const p of op.parameters) {
        if (p.example !== undefined) examples++;
        check(`${product}:${op.operationId}:param:${p.in}:${p.name}`, p.schema, p.example, `${op.operationId} ${p.in} parameter ${p.name}`);
      }
      if (op.requestBody?.example !== undefined) examples++;
      check(`${product}:${op.operationId}:body`, op.requestBody?.schema, op.requestBody?.example, `${op.operationId} request body`);
      for (const r of Object.values(op.responses)) {
        if (r.example !== undefined) examples++;
        check(`${product}:${op.operationId}:${r.status}`, r.schema, r.example, `${op.operationId} ${r.status} response`);
      }
    }
    expect(examples).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
}
