/**
 * Every rule the suite states names where it comes from, and the passage it quotes is in that
 * document: the `guide()`, `casbDoc()`, `fmbsDoc()` and `notes()` sources of src/cases (string
 * literals, so that they can be read here), and the `sources` a spec gives a paging mode.
 * Documents are read from ../shared/docs beside the repository, as the schema audit reads them
 * (source-audit.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { deriveCases } from '../../src/cases/derive.ts';
import { SOURCE_HELPERS } from '../../src/cases/kit/sources.ts';
import { PRODUCTS } from '../../src/config/index.ts';
import { loadSpec, ROOT } from '../../src/spec/load.ts';
import { documentsOrSkip, normalise } from './source-audit.ts';

const HELPER_CALL = new RegExp(
  `\\b(${Object.keys(SOURCE_HELPERS).join('|')})\\(\\s*(?:'((?:[^'\\\\]|\\\\.)*)'|"((?:[^"\\\\]|\\\\.)*)"|\`([^\`$]*)\`|([^)'"\`]))`,
  'g',
);

interface Cited {
  readonly where: string;
  readonly document: string;
  readonly quote?: string;
}

function citedInCode(): Cited[] {
  const dir = join(ROOT, 'src', 'cases');
  const out: Cited[] = [];
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !e.name.endsWith('.ts')) continue;
    const file = join(e.parentPath, e.name);
    const text = readFileSync(file, 'utf8');
    if (file.endsWith(join('kit', 'sources.ts'))) continue;
    for (const m of text.matchAll(HELPER_CALL)) {
      const line = text.slice(0, m.index).split('\n').length;
      const raw = m[2] ?? m[3] ?? m[4];
      const quote = raw === undefined ? undefined : raw.replace(/\\(.)/g, '$1');
      out.push({ where: `${relative(ROOT, file)}:${line}`, document: SOURCE_HELPERS[m[1]!]!, quote });
    }
  }
  return out;
}

function citedInSpecs(): Cited[] {
  const out: Cited[] = [];
  for (const p of PRODUCTS) {
    for (const c of deriveCases(loadSpec(p))) {
      const sources = (c.params as { sources?: Record<string, string | { document: string; quote: string }> }).sources;
      for (const [key, s] of Object.entries(sources ?? {})) {
        out.push({
          where: `${c.where.file}:${c.where.line} sources.${key}`,
          document: typeof s === 'string' ? c.doc.document : s.document,
          quote: typeof s === 'string' ? s : s.quote,
        });
      }
    }
  }
  return out;
}

test('the normalisation keeps a quote across line breaks and typographic quotes', () => {
  expect(normalise('When the status equals \u201cExport\n  Complete\u201d')).toBe('When the status equals "Export Complete"');
});

test('every source a rule cites is a literal quote found in its document', () => {
  const documents = documentsOrSkip();
  const cited = [...citedInCode(), ...citedInSpecs()];
  expect(cited.length).toBeGreaterThan(50);
  const problems = cited.flatMap((c) => {
    if (c.quote === undefined) return [`${c.where}: the quote is not a string literal (the self-test cannot check it)`];
    if (normalise(c.quote).length < 8) return [`${c.where}: the quote "${c.quote}" is too short to locate a sentence`];
    const text = documents.get(c.document);
    if (text === undefined) return [`${c.where}: cites ${c.document}, which is not in ../shared/docs`];
    if (!text.includes(normalise(c.quote))) return [`${c.where}: "${c.quote}" is not in ${c.document}`];
    return [];
  });
  expect(problems).toEqual([]);
});
