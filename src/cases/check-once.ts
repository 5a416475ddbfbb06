/**
 * The cases of every spec checked against their scenarios and paging modes (registry.ts
 * `checkCases`) once per content, not once per run: the runner calls it in Playwright's global
 * setup, before any worker starts. The check compiles a params validator per scenario and loads
 * every scenario module, about a quarter of a second the runner would otherwise spend before the
 * first test on every run (issue 14). A marker in the cache directory, named by a hash of
 * everything the outcome depends on (the specs, the suite's sources, Ajv's version), says it
 * passed; a bad case is never cached, so it stops every run until fixed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PRODUCTS, type ProductId } from '../config/index.ts';
import { CACHE_DIR, ROOT, SPECS_DIR } from '../spec/load.ts';
import { suiteCases } from './derive.ts';

/** The files whose content decides whether the cases check passes. */
function inputs(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ts')) files.push(path);
    }
  };
  // All of src/, not only src/cases and src/spec: a scenario's params may be built from a constant
  // of any module, and hashing some 150 files costs about 20 ms.
  walk(join(ROOT, 'src'));
  for (const p of PRODUCTS) files.push(join(SPECS_DIR, `${p}.yaml`));
  return files;
}

/** The marker of the current content. */
export function checkedMarker(products: readonly ProductId[] = PRODUCTS): string {
  const hash = createHash('sha256');
  hash.update((createRequire(import.meta.url)('ajv/package.json') as { version: string }).version);
  hash.update(`\0${products.join(',')}`);
  for (const file of inputs()) hash.update(`\0${file}\0`).update(readFileSync(file));
  return join(CACHE_DIR, `cases-checked-${hash.digest('hex').slice(0, 16)}`);
}

/** Checks every product's cases unless this content passed before; throws the first problem (a SpecError naming the spec line). */
export async function checkCasesOnce(products: readonly ProductId[] = PRODUCTS): Promise<void> {
  const marker = checkedMarker(products);
  if (existsSync(marker)) return;
  const { checkCases } = await import('./registry.ts');
  for (const p of products) checkCases(suiteCases(p));
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    writeFileSync(marker, `${new Date().toISOString()}\n`);
  } catch {
    // A read-only checkout checks every run.
  }
}
