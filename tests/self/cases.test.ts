/**
 * The derived test list, kept in tests/self/cases.txt: a spec edit shows as a diff of tests
 * gained or lost. After an intended change: UPDATE_CASES=1 npx playwright test --config playwright.self.config.ts cases
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { deriveCases, runLabel } from '../../src/cases/derive.ts';
import { PRODUCTS } from '../../src/config/index.ts';
import { loadSpec } from '../../src/spec/load.ts';

const FILE = fileURLToPath(new URL('./cases.txt', import.meta.url));

test('the derived cases are the ones listed in tests/self/cases.txt', () => {
  const lines = PRODUCTS.flatMap((p) => deriveCases(loadSpec(p)).map((c) => `${c.id}  ${c.title}  [${runLabel(c)}] ${c.tags.join(' ')}`));
  const text = `${lines.join('\n')}\n`;
  if (process.env.UPDATE_CASES === '1') writeFileSync(FILE, text);
  expect(text, 'the spec changed the test list: review the diff, then UPDATE_CASES=1').toBe(readFileSync(FILE, 'utf8'));
});

test('deriving is deterministic', () => {
  for (const p of PRODUCTS) expect(deriveCases(loadSpec(p)).map((c) => c.title)).toEqual(deriveCases(loadSpec(p)).map((c) => c.title));
});
