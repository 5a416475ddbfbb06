/**
 * The views other tools read: JUnit (src/report/junit-reporter.ts) files findings as <failure>
 * and errors of the suite as <error>, with the document section as a property; Allure
 * (src/report/allure-reporter.ts) groups product → operation → status and shows the section.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Suite, TestCase } from '@playwright/test/reporter';
import { allureAnnotations, ResultsWriter } from '../../src/report/allure-reporter.ts';
import { junitXml } from '../../src/report/junit-reporter.ts';

const DOC = 'fortisoar-api-guide.txt › Model Operations › Create Single Model Records';

type Fake = { title: string; outcome: 'expected' | 'unexpected' | 'skipped' | 'flaky'; error?: string; skip?: string; tags?: string[] };

function fakeTest(f: Fake, project: string): TestCase {
  const annotations = [{ type: 'document', description: DOC }, ...(f.skip ? [{ type: 'skip', description: f.skip }] : [])];
  const status = f.outcome === 'unexpected' ? 'failed' : f.outcome === 'skipped' ? 'skipped' : 'passed';
  return {
    title: f.title,
    tags: f.tags ?? ['@fortisoar'],
    annotations,
    location: { file: '/repo/specs/fortisoar.yaml', line: 120, column: 1 },
    parent: { title: 'conformance/fortisoar.spec.ts', project: () => ({ name: project }) },
    outcome: () => f.outcome,
    results: [
      {
        status,
        duration: 12,
        annotations: [],
        errors: f.error ? [{ message: f.error, stack: `${f.error}\n    at check (/repo/src/checks/response.ts:40:11)` }] : [],
        stdout: [],
        stderr: [],
        attachments: f.outcome === 'unexpected' ? [{ name: 'reproduce.sh', contentType: 'text/plain', path: '/repo/test-results/x/reproduce.sh' }] : [],
      },
    ],
  } as unknown as TestCase;
}

function fakeSuite(projects: Record<string, Fake[]>): Suite {
  return {
    suites: Object.entries(projects).map(([name, tests]) => ({ title: name, allTests: () => tests.map((t) => fakeTest(t, name)) })),
  } as unknown as Suite;
}

test.describe('JUnit', () => {
  const run = fakeSuite({
    fortisoar: [
      {
        title: 'POST /api/3/{collection} → 201 creates a record',
        outcome: 'unexpected',
        error: 'ConformanceError: [status] POST /api/3/alerts: expected 201, received 500',
      },
      {
        title: 'GET /api/3/{collection} → 200 walks the collection',
        outcome: 'unexpected',
        error: '\u001b[31m[schema] GET → 200: the body does not match\u001b[39m',
      },
      {
        title: 'PUT /api/3/{collection}/{uuid} → 200 updates',
        outcome: 'unexpected',
        error: "TypeError: Cannot read properties of undefined (reading 'uuid')",
      },
      { title: 'DELETE /api/3/{collection}/{uuid} → 204 deletes', outcome: 'expected' },
      { title: 'GET /api/3/{collection} → 200 walks by $page', outcome: 'skipped', skip: 'holds up to FortiSOAR 6.4.4' },
      { title: 'GET /api/3/{collection} → 401 refuses', outcome: 'flaky' },
    ],
    'fmbs:preflight': [
      {
        title: 'FortiMail Browser Security is reachable and accepts the configured credentials',
        outcome: 'unexpected',
        error: 'PreflightError: [preflight] FortiMail Browser Security unreachable: nothing accepts connections',
        tags: ['@fmbs'],
      },
    ],
  });
  const xml = junitXml(run, 1000, '/repo/reports', new Date('2026-01-01T00:00:00Z'), '/repo');

  test('counts findings as failures and errors of the suite as errors, like the summary', () => {
    expect(xml).toContain('<testsuites name="conformance" tests="7" failures="3" errors="1" skipped="1" time="1.000">');
    expect(xml).toContain(
      '<testsuite name="fortisoar" timestamp="2026-01-01T00:00:00.000Z" hostname="fortisoar" tests="6" failures="2" errors="1" skipped="1"',
    );
    expect(xml).toContain('<failure message="[status] POST /api/3/alerts: expected 201, received 500" type="[status]">');
    expect(xml).toContain('<failure message="[schema] GET → 200: the body does not match" type="[schema]">');
    expect(xml).toContain(`<error message="Cannot read properties of undefined (reading &apos;uuid&apos;)" type="TypeError">`);
    expect(xml).toContain('<failure message="[preflight] FortiMail Browser Security unreachable: nothing accepts connections" type="[preflight]">');
    expect(xml).toContain('<skipped message="holds up to FortiSOAR 6.4.4"/>');
    expect(xml).not.toContain('\u001b[');
  });

  test('groups by product and operation, with the document section and the location as properties', () => {
    expect(xml).toContain(
      '<testcase name="POST /api/3/{collection} → 201 creates a record" classname="FortiSOAR › POST /api/3/{collection}" time="0.012" file="specs/fortisoar.yaml" line="120">',
    );
    expect(xml).toContain(`<property name="document" value="${DOC}"/>`);
    expect(xml).toContain('<property name="location" value="specs/fortisoar.yaml:120"/>');
    expect(xml).toContain('classname="FortiMail Browser Security › preflight"');
    expect(xml).toContain('[[ATTACHMENT|../test-results/x/reproduce.sh]]');
  });

  test('is well-formed where text could break it', () => {
    const odd = junitXml(fakeSuite({ p: [{ title: 'a "quoted" <title> & more', outcome: 'unexpected', error: '[rule] x ]]> y \u0001' }] }), 0, '/repo');
    expect(odd).toContain('name="a &quot;quoted&quot; &lt;title&gt; &amp; more"');
    expect(odd).toContain('<![CDATA[[rule] x ]]]]><![CDATA[> y ');
    expect(odd).not.toContain('\u0001');
  });
});

test.describe('Allure', () => {
  const base = { tags: ['@fortisoar'], location: { file: `${process.cwd()}/specs/fortisoar.yaml`, line: 77, column: 3 } };

  test('groups product → operation → status and shows the document section', () => {
    const annotations = allureAnnotations({
      ...base,
      title: 'POST /api/3/{collection} → 201 creates a record',
      annotations: [
        { type: 'document', description: DOC },
        { type: 'safety', description: 'suite-data' },
      ],
    });
    const labels = Object.fromEntries(
      annotations.filter((a) => a.type.startsWith('allure.label.')).map((a) => [a.type.slice('allure.label.'.length), a.description]),
    );
    expect(labels).toEqual({
      parentSuite: 'FortiSOAR',
      suite: 'POST /api/3/{collection}',
      subSuite: '→ 201',
      epic: 'FortiSOAR',
      feature: DOC,
      story: 'POST /api/3/{collection}',
    });
    expect(annotations.find((a) => a.type === 'description')?.description).toBe(
      `**Document:** ${DOC}\n\n**Safety:** suite-data\n\n**Location:** \`specs/fortisoar.yaml:77\``,
    );
    // The test's own annotations stay (the HTML and JUnit views read them from the test itself).
    expect(annotations.slice(0, 2).map((a) => a.type)).toEqual(['document', 'safety']);
  });

  test('puts a preflight under its product', () => {
    const annotations = allureAnnotations({ ...base, tags: ['@fmbs'], title: 'FortiMail Browser Security is reachable', annotations: [] });
    expect(annotations.filter((a) => /suite$/i.test(a.type)).map((a) => [a.type, a.description])).toEqual([
      ['allure.label.parentSuite', 'FortiMail Browser Security'],
      ['allure.label.suite', 'FortiMail Browser Security preflight'],
    ]);
  });

  test('writes its results as Allure reads them: the same file names and content, nothing left aside', () => {
    const dir = mkdtempSync(join(tmpdir(), 'allure-writer-'));
    try {
      const writer = new ResultsWriter(join(dir, 'allure-results'));
      const result = {
        uuid: 'r1',
        name: 'GET /api/3/alerts → 200 lists',
        attachments: [{ name: 'exchanges.json', source: 'a1-attachment.json', type: 'application/json' }],
      };
      writer.writeResult(result as unknown as Parameters<ResultsWriter['writeResult']>[0]);
      writer.writeAttachment('a1-attachment.json', Buffer.from('[{"request":{}}]'));
      writer.writeEnvironmentInfo({ target: 'stub' });
      const files = readdirSync(join(dir, 'allure-results')).sort();
      expect(files).toEqual(['a1-attachment.json', 'environment.properties', 'r1-result.json']);
      expect(JSON.parse(readFileSync(join(dir, 'allure-results', 'r1-result.json'), 'utf8'))).toEqual(result);
      expect(readFileSync(join(dir, 'allure-results', 'a1-attachment.json'), 'utf8')).toBe('[{"request":{}}]');
      expect(readFileSync(join(dir, 'allure-results', 'environment.properties'), 'utf8')).toBe('target=stub');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
