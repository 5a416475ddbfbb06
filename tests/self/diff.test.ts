/**
 * `npm run conformance:diff` (src/report/diff.ts, scripts/conformance-diff.mjs): regressions,
 * fixes, newly skipped tests, tests gained and lost, changed versions; exit 1 for a regression,
 * 2 for a report it cannot read; Markdown for a pull-request comment; reports of format 1.x and 2.x.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { comparable, DiffInputError, diffExitCode, diffReports, renderDiffMarkdown, renderDiffText } from '../../src/report/diff.ts';
import { ROOT } from './nested.ts';

const A = 'POST /api/3/{collection} → 201 creates a record';
const B = 'PUT /api/3/{collection}/{uuid} → 200 updates the record and the change persists';
const C = 'GET /api/3/{collection} → 200 pages the collection with hydra:view first, next and last';
const D = 'DELETE /api/3/{collection}/{uuid} → 204 deletes the record';
const E = 'GET /api/3/{collection} → 200 pages the collection in the legacy view';
const F = 'POST /api/3/upsert/{module} → 200 upserts';
const G = 'GET /api/admin-audit-log-entries → 200 returns no more entries than limit';

const kase = (title: string, outcome: string, extra: Record<string, unknown> = {}) => ({
  title,
  product: title.includes('audit') ? 'fmbs' : 'fortisoar',
  outcome,
  ...extra,
});

/** The current FortiSOAR, in the format of 1.0 (before NOT JUDGED). */
const BEFORE = {
  formatVersion: '1.0',
  run: { id: 'run-current', target: 'live', generatedAt: '2026-01-01T00:00:00Z' },
  checkedAgainst: { fortisoar: { version: '7.0.2', source: 'environment' } },
  targets: [
    { product: 'fortisoar', name: 'FortiSOAR', url: 'https://soar.example' },
    { product: 'fmbs', name: 'FortiMail Browser Security', url: 'https://fmbs.example' },
  ],
  cases: [
    kase(A, 'passed'),
    kase(B, 'flaky'),
    kase(C, 'failed', { error: '[rule] x' }),
    kase(D, 'passed'),
    kase(E, 'skipped', { skipReason: 'holds up to 6.4.4' }),
    kase(G, 'passed'),
  ],
  verdict: { result: 'not-conforming', exitCode: 1, reasons: [] },
};

/** The upgrade candidate, in the format of 2.0. */
const AFTER = {
  formatVersion: '2.0',
  run: { id: 'run-candidate', target: 'live', generatedAt: '2026-01-02T00:00:00Z' },
  checkedAgainst: { fortisoar: { version: '7.6.5', source: 'environment' } },
  targets: [
    { product: 'fortisoar', name: 'FortiSOAR', status: 'tested', version: '7.6.5' },
    { product: 'fmbs', name: 'FortiMail Browser Security', status: 'not-judged', reason: 'unreachable: nothing accepts connections at fmbs.example:443' },
  ],
  cases: [
    kase(A, 'failed', {
      error: 'ConformanceError: [status] POST /api/3/alerts: expected 201 (Created), received 500\n  request: POST https://soar.example/api/3/alerts',
    }),
    kase(B, 'failed', {
      error: '[rule] the change persists\n  expected: description="changed"\n  received: description="created"',
      accepted: { reason: 'ticket 1' },
    }),
    kase(C, 'passed'),
    kase(D, 'skipped', { skipReason: 'destructive: set CONFORMANCE_DESTRUCTIVE=1' }),
    kase(E, 'passed'),
    kase(F, 'passed'),
    kase(G, 'skipped', { skipReason: 'not run: "FortiMail Browser Security is reachable and accepts the configured credentials" failed' }),
  ],
  verdict: { result: 'not-conforming', exitCode: 1, reasons: [] },
};

test.describe('conformance diff', () => {
  const d = diffReports(comparable(BEFORE, 'current.json'), comparable(AFTER, 'candidate.json'));

  test('sorts every test into regressions, fixes, newly skipped, newly judged, gained and lost', () => {
    expect(d.regressions.map((c) => c.title)).toEqual([A, B]);
    expect(d.fixes.map((c) => c.title)).toEqual([C]);
    expect(d.newlySkipped.map((c) => [c.title, c.after?.skipReason])).toEqual([
      [D, 'destructive: set CONFORMANCE_DESTRUCTIVE=1'],
      [G, 'not run: "FortiMail Browser Security is reachable and accepts the configured credentials" failed'],
    ]);
    expect(d.newlyJudged.map((c) => c.title)).toEqual([E]);
    expect(d.gained.map((c) => c.title)).toEqual([F]);
    expect(d.lost.map((c) => c.title)).toEqual([]);
    expect(diffExitCode(d)).toBe(1);
  });

  test('names changed versions and products that could not be judged, reading 1.x and 2.x', () => {
    expect(d.products.map((p) => [p.name, p.before?.version ?? p.before?.status, p.after?.version ?? p.after?.status])).toEqual([
      ['FortiSOAR', '7.0.2', '7.6.5'],
      ['FortiMail Browser Security', 'tested', 'not-judged'],
    ]);
    const text = renderDiffText(d);
    expect(text).toContain('Conformance diff: current.json (run-current) → candidate.json (run-candidate)');
    expect(text).toContain('2 regressions · 1 fix · 2 newly skipped · 1 newly judged · 1 test gained · 0 lost · 0 unchanged');
    expect(text).toContain('  FortiSOAR: 7.0.2 → 7.6.5');
    expect(text).toContain('  FortiMail Browser Security: tested → NOT JUDGED: unreachable: nothing accepts connections at fmbs.example:443');
    expect(text).toContain(
      `  ✗ ${A}\n      [status] POST /api/3/alerts: expected 201 (Created), received 500 — request: POST https://soar.example/api/3/alerts`,
    );
    expect(text).toContain(
      `  ✗ ${B} (accepted by the baseline)\n      [rule] the change persists — expected: description="changed" — received: description="created"`,
    );
    expect(text).toMatch(/REGRESSIONS: 2 \(exit 1\)\n$/);
  });

  test('renders Markdown for a pull-request comment', () => {
    const md = renderDiffMarkdown(d);
    expect(md).toMatch(/^## Conformance diff: ❌ regressions\n/);
    expect(md).toContain('| FortiSOAR | 7.0.2 | **7.6.5** |');
    expect(md).toContain('| FortiMail Browser Security | tested | **NOT JUDGED: unreachable: nothing accepts connections at fmbs.example:443** |');
    expect(md).toContain('### ❌ Regressions: passed before, fail now');
    expect(md).toContain(`| ${A} | \`[status] POST /api/3/alerts: expected 201 (Created), received 500 — request: POST https://soar.example/api/3/alerts\` |`);
    expect(md).toContain(`### ✅ Fixes: failed before, pass now\n\n- ${C}`);
    expect(md).toContain(`| ${D} | passed | destructive: set CONFORMANCE_DESTRUCTIVE=1 |`);
    expect(md).toContain(`<details><summary>Tests gained (1)</summary>\n\n- ${F}: passed`);
  });

  test('no regression: exit 0, and a lost test is listed', () => {
    const same = diffReports(comparable(AFTER, 'a.json'), comparable({ ...AFTER, cases: AFTER.cases.filter((c) => c.title !== F) }, 'b.json'));
    expect(diffExitCode(same)).toBe(0);
    expect(same.lost.map((c) => c.title)).toEqual([F]);
    expect(same.unchanged).toBe(AFTER.cases.length - 1);
    expect(renderDiffMarkdown(same)).toMatch(/^## Conformance diff: ✅ no regression/);
  });

  const bad: [string, unknown, RegExp][] = [
    ['a file that is not a report', { hello: 'world' }, /x\.json: not a conformance report/],
    ['a newer format', { formatVersion: '3.0', cases: [] }, /x\.json: report format 3\.0 is newer than this suite reads/],
    ['a case without an outcome', { formatVersion: '2.0', cases: [{ title: 't' }] }, /x\.json: cases\[0\] has no title or outcome/],
  ];
  for (const [what, raw, message] of bad) {
    test(`refuses ${what}`, () => {
      expect(() => comparable(raw, 'x.json')).toThrow(DiffInputError);
      expect(() => comparable(raw, 'x.json')).toThrow(message);
    });
  }

  test('npm run conformance:diff: exit 1 on a regression, 0 without, 2 for an unreadable report; --markdown and --out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'diff-'));
    const before = join(dir, 'before.json');
    const after = join(dir, 'after.json');
    writeFileSync(before, JSON.stringify(BEFORE));
    writeFileSync(after, JSON.stringify(AFTER));
    const cli = (...args: string[]) => spawnSync(process.execPath, ['scripts/conformance-diff.mjs', ...args], { cwd: ROOT, encoding: 'utf8' });

    const regressed = cli(before, after, '--out', join(dir, 'comment.md'));
    expect(regressed.status, regressed.stderr).toBe(1);
    expect(regressed.stdout).toContain('REGRESSIONS: 2 (exit 1)');
    expect(readFileSync(join(dir, 'comment.md'), 'utf8')).toMatch(/^## Conformance diff: ❌ regressions/);

    const md = cli(after, after, '--markdown');
    expect(md.status).toBe(0);
    expect(md.stdout).toMatch(/^## Conformance diff: ✅ no regression/);

    writeFileSync(join(dir, 'broken.json'), '{ "formatVersion": ');
    const broken = cli(before, join(dir, 'broken.json'));
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/^conformance:diff: .*broken\.json: not valid JSON/);
    expect(cli(before).status).toBe(2);
    expect(cli(before, join(dir, 'missing.json')).stderr).toMatch(/missing\.json: cannot be read \(ENOENT\)/);
  });
});
