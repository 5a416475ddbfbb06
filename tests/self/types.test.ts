/**
 * The TypeScript types of the response bodies (src/types/) are generated from schemas/: a schema
 * changed without `npm run types` fails here, so scenarios never read a body with a stale shape.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { generatedTypes, TYPES_DIR } from '../../scripts/generate-types.ts';

test('src/types holds the types generated from schemas/ (npm run types)', async () => {
  const stale: string[] = [];
  for (const [path, text] of await generatedTypes()) {
    let written = '';
    try {
      written = readFileSync(join(TYPES_DIR, path), 'utf8');
    } catch {
      // missing: stale too
    }
    if (written !== text) stale.push(`src/types/${path}`);
  }
  expect(stale, 'run npm run types').toEqual([]);
});
