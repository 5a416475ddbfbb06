/**
 * Requests are built from the spec: no request path is written outside `specs/` and the stub's
 * routing. Scenarios call operations by operationId (`ctx.call`), the login, preflight and
 * cleanup call them through `callOperation`; a path literal anywhere else is a second copy of
 * the spec that drifts. A literal that is data, not a request, says so on its line:
 * `// not a request: <why>`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT } from '../../src/spec/load.ts';

/** Where requests are made. The stub (routing), the spec layer (templates) and the self-tests are not. */
const SCANNED = [
  'src/cases',
  'src/client',
  'src/checks',
  'src/report',
  'src/config',
  'scripts/cleanup.ts',
  'tests/playwright.extend.ts',
  'tests/run-case.ts',
  'tests/check-cases.setup.ts',
  'tests/preflight',
  'tests/conformance',
];
/** A string literal that is a request path: it starts with an API prefix and holds no placeholder (`<id>`) or prose. */
const REQUEST_PATH = /^\/(api|auth|gateway|wf|oauth2)\/[^\s<]*$/;

function files(p: string): string[] {
  const abs = join(ROOT, p);
  if (statSync(abs).isFile()) return [abs];
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|mjs)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** The string literals of a source text with their lines, comments skipped (a small tokenizer: quotes, escapes, comments). */
function literals(text: string): { line: number; value: string; lineText: string }[] {
  const out: { line: number; value: string; lineText: string }[] = [];
  const lines = text.split('\n');
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') line++;
    else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      line++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      line += (text.slice(i, end).match(/\n/g) ?? []).length;
      i = end + 1;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      const start = line;
      let value = '';
      for (i++; i < text.length && text[i] !== ch; i++) {
        if (text[i] === '\\') value += text[++i];
        else {
          if (text[i] === '\n') line++;
          value += text[i];
        }
      }
      out.push({ line: start, value, lineText: lines[start - 1] ?? '' });
    }
  }
  return out;
}

export function pathLiterals(text: string): { line: number; literal: string }[] {
  return literals(text)
    .filter((l) => REQUEST_PATH.test(l.value) && !l.lineText.includes('// not a request:'))
    .map((l) => ({ line: l.line, literal: l.value }));
}

test('finds a path literal in code and ignores comments and declared data', () => {
  expect(pathLiterals("const x = await api.get('/api/3/alerts');").map((f) => f.literal)).toEqual(['/api/3/alerts']);
  expect(pathLiterals('const y = `/api/3/${module}`;').map((f) => f.literal)).toEqual(['/api/3/${module}']);
  expect(pathLiterals(`const q = guide('"@id": "/api/{version}/{collection}/{uuid}"'); const e = '/api/3/x/<id>';`)).toEqual([]);
  expect(pathLiterals('/** GET /api/3/alerts */\n// `/api/3/alerts`\nconst y = 1;')).toEqual([]);
  expect(pathLiterals("const iri = '/api/3/workflows/x'; // not a request: a playbook IRI in seed data")).toEqual([]);
});

test('no request path is written outside specs/ and the stub routing', () => {
  const offenders: string[] = [];
  for (const file of SCANNED.flatMap(files)) {
    for (const f of pathLiterals(readFileSync(file, 'utf8'))) offenders.push(`${relative(ROOT, file)}:${f.line} ${f.literal}`);
  }
  expect(offenders, 'call the operation by its operationId instead (ctx.call / callOperation)').toEqual([]);
});
