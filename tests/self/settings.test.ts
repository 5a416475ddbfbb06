/**
 * The settings registry (src/config/variables.ts) against what the code reads, `.env.example`
 * and the README's "Settings"; the unknown-variable warning, printed once per run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { warnUnknownVariables } from '../../src/config/index.ts';
import { editDistance, nearestVariable, unknownVariables, VARIABLES } from '../../src/config/variables.ts';
import { ROOT, runnerEnv } from './nested.ts';

const names = (kind?: string) => new Set(VARIABLES.filter((v) => !kind || v.kind === kind).map((v) => v.name));

function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|mjs|js)$/.test(e)) out.push(p);
    }
  };
  walk(join(ROOT, 'src'));
  walk(join(ROOT, 'scripts'));
  for (const e of readdirSync(ROOT)) if (/^playwright.*\.ts$/.test(e)) out.push(join(ROOT, e));
  return out;
}

/** The variables a source file reads: `process.env.X`, `env.X`, `env['X']`, and the config's helpers `value(env, 'X')`. */
function readsOf(text: string): string[] {
  const patterns = [
    /\bprocess\.env\.([A-Za-z_][A-Za-z0-9_]*)/g,
    /\benv\.([A-Z][A-Z0-9_]*)\b/g,
    /\benv\[\s*['"`]([A-Za-z_][A-Za-z0-9_]*)['"`]\s*\]/g,
    /\(\s*env\s*,\s*['"`]([A-Z][A-Z0-9_]*)['"`]/g,
  ];
  return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => m[1]));
}

test.describe('settings', () => {
  test('every variable the code reads is in the registry', () => {
    const known = names();
    const unknown: string[] = [];
    for (const file of sources()) {
      for (const name of readsOf(readFileSync(file, 'utf8'))) if (!known.has(name)) unknown.push(`${relative(ROOT, file)}: ${name}`);
    }
    expect(unknown, 'add them to src/config/variables.ts, .env.example and the README').toEqual([]);
  });

  test('every variable of the registry is used by the code', () => {
    const others = sources()
      .filter((f) => !f.endsWith(join('config', 'variables.ts')))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const stale = VARIABLES.filter((v) => !new RegExp(`\\b${v.name}\\b`).test(others)).map((v) => v.name);
    expect(stale, 'registry entries no code reads').toEqual([]);
  });

  test('.env.example lists exactly the settings', () => {
    const text = readFileSync(join(ROOT, '.env.example'), 'utf8');
    const listed = [...text.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(new Set(listed)).toEqual(names('setting'));
    expect(listed.length, 'each once').toBe(new Set(listed).size);
  });

  test("the README's Settings table lists exactly the settings, the rest in the text below it", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Settings\n'), readme.indexOf('\n## ', readme.indexOf('\n## Settings\n') + 5));
    expect(section.length).toBeGreaterThan(100);
    const rows = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]+)` *\|/gm)].map((m) => m[1]);
    expect(new Set(rows)).toEqual(names('setting'));
    for (const v of VARIABLES.filter((x) => x.kind !== 'setting')) expect(section, v.name).toContain(`\`${v.name}\``);
    for (const v of VARIABLES.filter((x) => x.default && x.kind === 'setting' && !/ /.test(x.default))) {
      const row = section.split('\n').find((l) => l.startsWith(`| \`${v.name}\``))!;
      expect(row, `${v.name} default`).toContain(v.default);
    }
  });

  const typos: [string, string | undefined][] = [
    ['FORTISOAR_VERISON', 'FORTISOAR_VERSION'],
    ['FORTISOAR_USER', 'FORTISOAR_URL'],
    ['CONFORMANCE_DESTRUCTIV', 'CONFORMANCE_DESTRUCTIVE'],
    ['FORTICASB_BUID', 'FORTICASB_BU_ID'],
    ['FMBS_CLIENTSECRET', 'FMBS_CLIENT_SECRET'],
    ['CONFORMANCE_SOMETHING_ELSE_ENTIRELY', undefined],
  ];
  for (const [typo, meant] of typos) {
    test(`${typo} is reported${meant ? `, naming ${meant}` : ' without a guess'}`, () => {
      expect(nearestVariable(typo)).toBe(meant);
      expect(unknownVariables({ [typo]: 'x', FORTISOAR_URL: 'y', HOME: '/root', PATH: '' })).toEqual([{ name: typo, ...(meant ? { suggestion: meant } : {}) }]);
    });
  }

  test('counts a transposition as one edit', () => {
    expect(editDistance('VERISON', 'VERSION')).toBe(1);
    expect(editDistance('', 'ab')).toBe(2);
  });

  test('warns once: not in a worker, not again after the marker', () => {
    const lines: string[] = [];
    warnUnknownVariables({ FORTISOAR_VERISON: '6.4.0' }, (l) => lines.push(l));
    expect(lines).toEqual(['Warning: FORTISOAR_VERISON is set but is not a setting of this suite; did you mean FORTISOAR_VERSION? (it is ignored)']);
    warnUnknownVariables({ FORTISOAR_VERISON: '6.4.0', TEST_WORKER_INDEX: '1' }, (l) => lines.push(l));
    warnUnknownVariables({ FORTISOAR_VERISON: '6.4.0', CONFORMANCE_SETTINGS_CHECKED: '1' }, (l) => lines.push(l));
    expect(lines).toHaveLength(1);
  });

  test('a run with two workers prints the warning once', () => {
    const require = createRequire(import.meta.url);
    const r = spawnSync(
      process.execPath,
      [
        require.resolve('@playwright/test/cli'),
        'test',
        '--project=fmbs',
        '--workers=2',
        '--reporter=dot',
        '--output',
        mkdtempSync(join(tmpdir(), 'settings-run-')),
        '-g',
        '→ 401',
      ],
      { cwd: ROOT, encoding: 'utf8', env: runnerEnv({ FORTISOAR_VERISON: '6.4.0' }) },
    );
    const output = r.stdout + r.stderr;
    expect(r.status, output).toBe(0);
    expect(output.match(/FORTISOAR_VERISON is set/g)).toHaveLength(1);
  });
});
