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
  'tests/preflight',
  'tests/conformance',
];
const PATH_LITERAL = /(['"`])\/(api|auth|gateway|wf|oauth2)\/[^'"`\s<{]*\1?/g;

function files(p: string): string[] {
  const abs = join(ROOT, p);
  if (statSync(abs).isFile()) return [abs];
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|mjs)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** The code without comments (strings kept), line by line. */
function codeLines(text: string): string[] {
  const withoutBlocks = text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '));
  return withoutBlocks.split('\n').map((line) => (/^\s*\/\//.test(line) ? '' : line.replace(/\s\/\/ (?!not a request).*$/, '')));
}

export function pathLiterals(text: string): { line: number; literal: string }[] {
  const found: { line: number; literal: string }[] = [];
  codeLines(text).forEach((line, i) => {
    if (line.includes('// not a request:')) return;
    for (const m of line.matchAll(PATH_LITERAL)) found.push({ line: i + 1, literal: m[0] });
  });
  return found;
}

test('finds a path literal in code and ignores comments and declared data', () => {
  expect(pathLiterals("const x = await api.get('/api/3/alerts');").map((f) => f.literal)).toEqual(["'/api/3/alerts'"]);
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
