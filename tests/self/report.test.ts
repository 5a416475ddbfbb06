/**
 * The reporting half: the summary (src/report/summary.ts), the report document and its verdict
 * (report.ts, checked against schemas/report/conformance-report.json), the baseline
 * (baseline.ts), the text and Markdown views (render.ts), the reporter's redaction of results
 * (scrub.ts), and the artefact scan (secret-scan.ts, zip.ts).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import type { TestResult } from '@playwright/test/reporter';
import { describeEvidence } from '../../src/checks/response.ts';
import { schemaRegistry } from '../../src/checks/schemas.ts';
import {
  BaselineError,
  compareWithBaseline,
  loadBaseline,
  PLACEHOLDER_REASON,
  parseBaseline,
  serializeBaseline,
  updatedEntries,
} from '../../src/report/baseline.ts';
import { selectionOf, targetsOf } from '../../src/report/conformance-reporter.ts';
import { failureKind, gist } from '../../src/report/findings.ts';
import { REDACTED, Redactor, secretPattern } from '../../src/report/redact.ts';
import { renderMarkdown, renderText } from '../../src/report/render.ts';
import { type BaselineReport, buildReport, EXIT, type TargetInfo, verdictOf } from '../../src/report/report.ts';
import { scrubResult, scrubText } from '../../src/report/scrub.ts';
import { configuredSecrets, describeFindings, scanArtefacts } from '../../src/report/secret-scan.ts';
import { type CaseResult, type Outcome, parseTitle, summarize } from '../../src/report/summary.ts';
import { readZip } from '../../src/report/zip.ts';

const DOC = 'fortisoar-api-guide.txt › Model Operations › Retrieve Collection of Model Records';

function result(title: string, outcome: Outcome, extra: Partial<CaseResult> = {}): CaseResult {
  const product = title.includes('/alert/') ? 'forticasb' : title.includes('audit-log') ? 'fmbs' : 'fortisoar';
  return { title, product, ...parseTitle(title), tags: [`@${product}`], outcome, durationMs: 5, retries: 0, document: DOC, ...extra };
}

/** When a built report's run started and ended, and how it went. */
const RUN_TIMES = {
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:30.000Z',
  durationMs: 30000,
  generatedAt: '2026-01-01T00:00:31.000Z',
  status: 'failed',
  playwrightVersion: '1.65.1',
} as const;

const LIST_VIEW = 'GET /api/3/{collection} → 200 walks the collection by hydra:next';
const LIST_LEGACY = 'GET /api/3/{collection} → 200 walks the collection by $page';
const LIST_401 = 'GET /api/3/{collection} → 401 refuses a request without a valid token';
const CREATE = 'POST /api/3/{collection} → 201 creates a record';
const CASB = 'POST /api/v1/alert/list → 200 returns the alerts of the window';
const FMBS = 'GET /api/admin-audit-log-entries → 200 returns no more entries than limit';

const RUN: CaseResult[] = [
  result(FMBS, 'failed', { error: 'ConformanceError: [rule] limit ignored\n  limit 40, page 1 has 250 entries', document: 'fmbs.txt › Using the API' }),
  result(LIST_VIEW, 'passed', { paging: 'hydra-view' }),
  result(LIST_LEGACY, 'skipped', { paging: 'hydra-legacy', skipReason: 'holds up to FortiSOAR 6.4.4; FORTISOAR_VERSION is 7.0.2' }),
  result(LIST_401, 'passed'),
  result(CREATE, 'failed', { error: '[status] expected 201, received 500' }),
  result(CASB, 'flaky', { retries: 1, document: 'forticasb.txt › Get Alert List' }),
];

const noBaseline: BaselineReport = { path: 'conformance-baseline.json', exists: false, warnings: [], ...compareWithBaseline(RUN, []) };

test.describe('summary', () => {
  test('splits conformance titles, and keeps any other title whole', () => {
    expect(parseTitle(LIST_VIEW)).toEqual({ method: 'GET', path: '/api/3/{collection}', status: '200', behaviour: 'walks the collection by hydra:next' });
    expect(parseTitle('FortiSOAR is reachable and accepts the configured credentials')).toEqual({
      method: '',
      path: '',
      status: '',
      behaviour: 'FortiSOAR is reachable and accepts the configured credentials',
    });
  });

  test('groups by product (suite order), operation, status and paging mode', () => {
    const s = summarize(RUN);
    expect(s.products.map((p) => p.id)).toEqual(['fortisoar', 'forticasb', 'fmbs']);
    const soar = s.products[0];
    expect(soar.operations.map((o) => o.operation)).toEqual(['GET /api/3/{collection}', 'POST /api/3/{collection}']);
    expect(soar.operations[0].rows.map((r) => [r.status, r.paging])).toEqual([
      ['200', 'hydra-view'],
      ['200', 'hydra-legacy'],
      ['401', undefined],
    ]);
    expect(soar.operations[0].rows[1]).toMatchObject({
      counts: { skipped: 1, total: 1 },
      skipReasons: ['holds up to FortiSOAR 6.4.4; FORTISOAR_VERSION is 7.0.2'],
      documents: [DOC],
    });
  });

  test('counts a flaky test as passed and flaky, and totals every level', () => {
    const s = summarize(RUN);
    expect(s.counts).toEqual({ passed: 3, failed: 2, skipped: 1, flaky: 1, accepted: 0, total: 6 });
    expect(s.products[1].counts).toEqual({ passed: 1, failed: 0, skipped: 0, flaky: 1, accepted: 0, total: 1 });
    expect(s.products[0].operations[1].counts.failed).toBe(1);
  });

  test('a test whose title is not a conformance title is its own operation', () => {
    const s = summarize([result('FortiSOAR is reachable and accepts the configured credentials', 'failed')]);
    expect(s.products[0].operations[0].operation).toBe('FortiSOAR is reachable and accepts the configured credentials');
  });
});

test.describe('baseline', () => {
  const bad: [string, unknown, RegExp][] = [
    ['a document that is not a list', { accepted: 'all' }, /expected \{"accepted"/],
    ['an entry without a title', { accepted: [{ reason: 'r' }] }, /accepted\[0\] needs a "title"/],
    ['an entry without a reason', { accepted: [{ title: 't' }] }, /accepted\[0\] \("t"\) needs a "reason"/],
    ['a format version this suite does not read', { formatVersion: '2.0', accepted: [] }, /formatVersion "2.0"/],
  ];
  for (const [what, doc, message] of bad) {
    test(`refuses ${what}`, () => {
      expect(() => parseBaseline(doc)).toThrow(BaselineError);
      expect(() => parseBaseline(doc)).toThrow(message);
    });
  }

  test('reads a bare list too, warns on repeated titles and placeholder reasons', () => {
    const { entries, warnings } = parseBaseline([
      { title: 'a', reason: 'ticket 1' },
      { title: 'a', reason: 'again' },
      { title: 'b', reason: PLACEHOLDER_REASON },
    ]);
    expect(entries).toEqual([
      { title: 'a', reason: 'ticket 1' },
      { title: 'b', reason: PLACEHOLDER_REASON },
    ]);
    expect(warnings).toEqual([expect.stringContaining('repeats "a"'), expect.stringContaining('1 entry still has the placeholder reason')]);
  });

  test('a missing file is an empty baseline; a malformed one names the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baseline-'));
    expect(loadBaseline(join(dir, 'none.json'))).toMatchObject({ exists: false, entries: [] });
    writeFileSync(join(dir, 'bad.json'), '{ "accepted": [');
    expect(() => loadBaseline(join(dir, 'bad.json'))).toThrow(/bad\.json: not valid JSON/);
  });

  test('sorts the run into new, accepted, now passing, not run and unknown', () => {
    const all = new Set([...RUN.map((c) => c.title), 'DELETE /x → 204 deletes']);
    const gate = compareWithBaseline(
      RUN,
      [
        { title: FMBS, reason: 'vendor ticket 42' },
        { title: LIST_VIEW, reason: 'fixed since' },
        { title: LIST_LEGACY, reason: 'legacy view' },
        { title: 'DELETE /x → 204 deletes', reason: 'other shard' },
        { title: 'GET /gone → 200 renamed', reason: 'old' },
      ],
      all,
    );
    expect(gate.newFailures).toEqual([CREATE]);
    expect(gate.acceptedFailures.map((e) => e.title)).toEqual([FMBS]);
    expect(gate.nowPassing.map((e) => e.title)).toEqual([LIST_VIEW]);
    expect(gate.notRun.map((e) => e.title)).toEqual([LIST_LEGACY, 'DELETE /x → 204 deletes']);
    expect(gate.unknown.map((e) => e.title)).toEqual(['GET /gone → 200 renamed']);
  });

  test('an update keeps reasons, adds new failures with the placeholder, drops passing and unknown entries', () => {
    const all = new Set(RUN.map((c) => c.title));
    const next = updatedEntries(
      RUN,
      [
        { title: FMBS, reason: 'vendor ticket 42' },
        { title: LIST_VIEW, reason: 'fixed since' },
        { title: LIST_LEGACY, reason: 'legacy view' },
        { title: 'GET /gone → 200 renamed', reason: 'old' },
      ],
      all,
    );
    expect(next).toEqual([
      { title: LIST_LEGACY, reason: 'legacy view' },
      { title: FMBS, reason: 'vendor ticket 42' },
      { title: CREATE, reason: PLACEHOLDER_REASON },
    ]);
    const doc = JSON.parse(serializeBaseline(next));
    expect(parseBaseline(doc).entries).toEqual(next);
    const validate = schemaRegistry().getSchema('https://fortinet-conformance.local/schemas/report/conformance-baseline.json')!;
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });
});

test.describe('verdict', () => {
  const gate = (newFailures: string[], accepted = 0): BaselineReport => ({
    ...noBaseline,
    newFailures,
    acceptedFailures: Array.from({ length: accepted }, (_, i) => ({ title: `t${i}`, reason: 'r' })),
  });
  const cases: [string, Parameters<typeof verdictOf>[0], string, number][] = [
    ['every test passed', { status: 'passed', errors: [], baseline: gate([]) }, 'conforming', EXIT.conforming],
    ['only accepted failures', { status: 'failed', errors: [], baseline: gate([], 2) }, 'conforming', EXIT.conforming],
    ['a failure not in the baseline', { status: 'failed', errors: [], baseline: gate(['x']) }, 'not-conforming', EXIT.notConforming],
    ['a test file that did not load', { status: 'failed', errors: ['SyntaxError'], baseline: gate(['x']) }, 'incomplete', EXIT.incomplete],
    ['an interrupted run', { status: 'interrupted', errors: [], baseline: gate([]) }, 'incomplete', EXIT.incomplete],
    ['a merge missing a shard', { status: 'passed', errors: [], baseline: gate([]), missingShards: [2] }, 'incomplete', EXIT.incomplete],
    ['a baseline that cannot be read', { status: 'passed', errors: [], baseline: { ...gate([]), error: 'bad' } }, 'configuration-error', EXIT.configuration],
  ];
  for (const [what, input, verdict, code] of cases) {
    test(`${what}: ${verdict} (exit ${code})`, () => {
      expect(verdictOf(input)).toMatchObject({ result: verdict, exitCode: code });
    });
  }
});

test.describe('report document', () => {
  const build = (baseline: BaselineReport) =>
    buildReport({
      suite: { name: 'fortinet-api-conformance', version: '0.1.0' },
      run: {
        id: 'run-1',
        target: 'stub',
        ...RUN_TIMES,
        merged: { total: 3, shards: [1, 2, 3], missing: [] },
      },
      checkedAgainst: { fortisoar: { version: '7.0.2', source: 'default' } },
      targets: [
        { product: 'fortisoar', name: 'FortiSOAR', status: 'tested', url: 'https://fortisoar.stub.invalid', version: '7.0.2' },
        // Not "FortiCASB (FortiCASB skipped: ...)": the report names the product beside the reason.
        { product: 'forticasb', name: 'FortiCASB', status: 'skipped', reason: 'set FORTICASB_URL to test it' },
        { product: 'fmbs', name: 'FortiMail Browser Security', status: 'tested' },
      ],
      cases: RUN,
      baseline,
      errors: [],
    });
  const accepted: BaselineReport = { ...noBaseline, exists: true, ...compareWithBaseline(RUN, [{ title: FMBS, reason: 'vendor ticket 42' }]) };

  test('validates against schemas/report/conformance-report.json', () => {
    const validate = schemaRegistry().getSchema('https://fortinet-conformance.local/schemas/report/conformance-report.json')!;
    for (const r of [build(noBaseline), build(accepted)]) {
      const doc = JSON.parse(JSON.stringify(r));
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  test('counts the throttled answers the run waited out, in the summary and a valid report', () => {
    const r = build(noBaseline);
    const throttled = { ...r, run: { ...r.run, throttled: 3 } };
    expect(renderText(throttled)).toContain('Throttled: 3 answer(s) 429 or 503 with Retry-After were waited out and sent again');
    expect(renderText(r)).not.toContain('Throttled:');
    expect(renderMarkdown(throttled)).toContain('| Throttled | 3 answer(s) 429 or 503 with Retry-After waited out and sent again |');
    const validate = schemaRegistry().getSchema('https://fortinet-conformance.local/schemas/report/conformance-report.json')!;
    expect(validate(JSON.parse(JSON.stringify(throttled))), JSON.stringify(validate.errors)).toBe(true);
  });

  test('marks the failures the baseline accepts and judges the rest', () => {
    const r = build(accepted);
    expect(r.cases.find((c) => c.title === FMBS)?.accepted).toEqual({ reason: 'vendor ticket 42' });
    expect(r.summary.counts).toMatchObject({ failed: 2, accepted: 1 });
    expect(r.verdict).toMatchObject({ result: 'not-conforming', exitCode: 1 });
  });

  test('prints one line per row, the skip reasons, the failures and the verdict', () => {
    const text = renderText(build(accepted), ['reports/conformance-report.json']);
    expect(text).toContain(
      'Conformance summary — target stub · FortiSOAR 7.0.2 · merged from 3/3 shards · 6 tests: 3 passed (1 flaky) · 2 failed (1 accepted) · 1 skipped',
    );
    expect(text).toMatch(/pass +GET \/api\/3\/\{collection\} +200 hydra-view +1 passed +Model Operations › Retrieve Collection of Model Records/);
    expect(text).toContain('↳ skipped: holds up to FortiSOAR 6.4.4; FORTISOAR_VERSION is 7.0.2');
    expect(text).toMatch(
      /Failures not in the baseline \(1\):\n {2}✗ POST \/api\/3\/\{collection\} → 201 creates a record\n {6}\[status\] expected 201, received 500/,
    );
    expect(text).toContain(`~ ${FMBS} — vendor ticket 42`);
    expect(text).toContain('Verdict: NOT CONFORMING (exit 1)');
  });

  test('renders Markdown a vendor can publish', () => {
    const md = renderMarkdown(build(accepted));
    expect(md).toMatch(/^# Conformance report: FortiSOAR, FortiMail Browser Security\n/);
    expect(md).toContain('| FortiCASB | not run: set FORTICASB_URL to test it |');
    expect(md).toContain('| FortiSOAR | tested, version 7.0.2 checked |');
    expect(md).toContain(
      '| `GET /api/3/{collection}` | 200 | hydra-legacy | ⏭ skipped | 0 | 0 | 1 | fortisoar-api-guide.txt › Model Operations › Retrieve Collection of Model Records |',
    );
    expect(md).toContain(`| ${FMBS} | vendor ticket 42 |`);
    expect(md).toContain('## Failures');
  });
});

test.describe('scrubbing results before the other reporters', () => {
  const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjc2FkbWluIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

  test('learns a token by its shape and removes it everywhere after', () => {
    const r = new Redactor([]);
    expect(scrubText(r, `login answered {"token":"${JWT}"}`)).toBe(`login answered {"token":"${REDACTED}"}`);
    expect(scrubText(r, `Authorization: Bearer Zm9vYmFyYmF6cXV4MTIzNDU2`)).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(r.text(`again ${JWT}`)).toBe(`again ${REDACTED}`);
  });

  test('leaves prose and already redacted values alone', () => {
    const r = new Redactor([]);
    for (const s of ['Basic authentication is refused', 'Bearer $TOKEN', `Bearer ${REDACTED}`]) expect(scrubText(r, s)).toBe(s);
  });

  test('redacts errors, steps, output and textual attachment files in place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scrub-'));
    const file = join(dir, 'error-context.md');
    writeFileSync(file, 'body: {"password":"s3cret-Passw0rd"}');
    const shot = join(dir, 'shot.png');
    writeFileSync(shot, 's3cret-Passw0rd');
    const res = {
      errors: [{ message: 'sent s3cret-Passw0rd', stack: 'Error: sent s3cret-Passw0rd\n at x' }],
      error: { message: 'sent s3cret-Passw0rd' },
      steps: [{ title: 's', error: { message: `got ${JWT}` }, steps: [] }],
      stdout: ['log s3cret-Passw0rd'],
      stderr: [Buffer.from('err s3cret-Passw0rd')],
      attachments: [
        { name: 'error-context', contentType: 'text/markdown', path: file },
        { name: 'inline', contentType: 'application/json', body: Buffer.from('{"k":"s3cret-Passw0rd"}') },
        { name: 'shot', contentType: 'image/png', path: shot },
      ],
    } as unknown as TestResult;
    scrubResult(new Redactor(['s3cret-Passw0rd']), res);
    const all = JSON.stringify({ ...res, attachments: res.attachments.map((a) => a.body?.toString()) }) + readFileSync(file, 'utf8');
    expect(all).not.toContain('s3cret-Passw0rd');
    expect(all).not.toContain(JWT);
    expect(readFileSync(shot, 'utf8')).toBe('s3cret-Passw0rd');
  });
});

/** A zip with one deflated and one stored entry, as Playwright's blob and HTML reports hold. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  Object.entries(entries).forEach(([name, text], i) => {
    const raw = Buffer.from(text);
    const method = i % 2 === 0 ? 8 : 0;
    const data = method === 8 ? deflateRawSync(raw) : raw;
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  });
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

test.describe('artefact scan', () => {
  const SECRET = 'stub-Passw0rd!';
  const secrets = [{ name: 'FORTISOAR_PASSWORD', value: SECRET }];
  const scanOne = (files: Record<string, string | Buffer>) => {
    const dir = mkdtempSync(join(tmpdir(), 'scan-'));
    for (const [name, body] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), body);
    }
    return scanArtefacts([dir, join(dir, 'missing')], secrets, dir);
  };

  test('reads the zips it must open', () => {
    const entries = readZip(zip({ 'report.jsonl': 'one', 'resources/a.json': 'two' }));
    expect(entries.map((e) => [e.name, e.data.toString()])).toEqual([
      ['report.jsonl', 'one'],
      ['resources/a.json', 'two'],
    ]);
  });

  const forms: [string, string][] = [
    ['as written', `password=${SECRET}`],
    ['URL-encoded', `p=${encodeURIComponent(SECRET)}`],
    ['JSON-escaped', JSON.stringify({ p: 'stub-Passw0rd"!' })],
    ['base64, at any alignment (Basic user:password)', `Authorization: Basic ${Buffer.from(`csadmin:${SECRET}`).toString('base64')}`],
    ['base64, at another alignment', Buffer.from(`ab:${SECRET}`).toString('base64')],
    ['HTML-escaped', 'x stub-Passw0rd&quot;!'],
  ];
  for (const [what, text] of forms) {
    test(`finds a secret ${what}`, () => {
      const value = what === 'JSON-escaped' || what === 'HTML-escaped' ? 'stub-Passw0rd"!' : SECRET;
      const dir = mkdtempSync(join(tmpdir(), 'scan-'));
      writeFileSync(join(dir, 'junit.xml'), text);
      const r = scanArtefacts([dir], [{ name: 'FORTISOAR_PASSWORD', value }], dir);
      expect(r.findings).toEqual([expect.objectContaining({ file: 'junit.xml', secret: 'FORTISOAR_PASSWORD' })]);
    });
  }

  test('opens blob zips, the HTML report embedded in index.html and Allure single-file data', () => {
    const inner = zip({ 'report.json': '{"ok":true}', 'data/1.json': `{"error":"sent ${SECRET}"}` });
    const r = scanOne({
      'blob/report-1.zip': zip({ 'report.jsonl': `{"token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjc2FkbWluIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"}` }),
      'html/index.html': `<script id="playwrightReportBase64" type="application/zip">data:application/zip;base64,${inner.toString('base64')}</script>`,
      'allure-report/index.html': `d("data/attachments/x.json","${Buffer.from(`{"a":"${SECRET}"}`).toString('base64')}")`,
      'clean.json': '{"password":"[REDACTED]"}',
    });
    expect(describeFindings(r).sort()).toEqual([
      'allure-report/index.html › data/attachments/x.json: contains the value of FORTISOAR_PASSWORD',
      'allure-report/index.html: contains the value of FORTISOAR_PASSWORD (base64-encoded)',
      'blob/report-1.zip › report.jsonl: contains a JSON Web Token (a token issued during the run)',
      'html/index.html › (embedded report) › data/1.json: contains the value of FORTISOAR_PASSWORD',
      // data/1.json is stored, not deflated: its base64 is in index.html as is.
      'html/index.html: contains the value of FORTISOAR_PASSWORD (base64-encoded)',
    ]);
    expect(r.files).toBe(4);
    expect(describeFindings(r).join('\n')).not.toContain(SECRET);
  });

  test('finds nothing in clean artefacts', () => {
    expect(scanOne({ 'a.json': `{"password":"${REDACTED}"}`, 'b.sh': 'curl -H "Authorization: Bearer $TOKEN"' }).findings).toEqual([]);
  });

  test('takes the secrets from the configuration, named after their variables', () => {
    expect(configuredSecrets({}).map((s) => s.name)).toEqual(expect.arrayContaining(['FORTISOAR_PASSWORD', 'FORTICASB_TOKEN', 'FMBS_TOKEN']));
    const live = configuredSecrets({
      CONFORMANCE_TARGET: 'live',
      FMBS_URL: 'https://fmbs.example',
      FMBS_CLIENT_ID: 'id',
      FMBS_CLIENT_SECRET: 'fmbs-client-secret',
      OTHER_CLIENT_SECRET: 'other-client-secret',
    });
    expect(live).toEqual([
      { name: 'FMBS_CLIENT_SECRET', value: 'fmbs-client-secret' },
      { name: 'OTHER_CLIENT_SECRET', value: 'other-client-secret' },
    ]);
  });

  test('still knows the credential variables when the configuration does not load (a merge job)', () => {
    expect(configuredSecrets({ CONFORMANCE_TARGET: 'live', FORTISOAR_PASSWORD: 'live-Passw0rd' })).toEqual([
      { name: 'FORTISOAR_PASSWORD', value: 'live-Passw0rd' },
    ]);
  });

  test('searches no encoded form short enough to match by chance', () => {
    const pattern = new RegExp(secretPattern('abcd'));
    // Its base64 fragments (YWJj, YmNk...) and a part of its hex are too short to be searched alone.
    for (const s of ['YWJj', 'YmNk', 'YWJjZA', '616263', 'ABCD', 'abc']) expect(pattern.test(`x ${s} y`), s).toBe(false);
    for (const s of ['abcd', '61626364', '%61bcd', '&#97;bcd', '\\u0061bcd']) expect(pattern.test(`x ${s} y`), s).toBe(true);
  });
});

test.describe('products tested, left out, not judged', () => {
  const PREFLIGHT_FMBS = 'FortiMail Browser Security is reachable and accepts the configured credentials';
  const unreachable =
    'PreflightError: [preflight] FortiMail Browser Security unreachable: nothing accepts connections at 127.0.0.1:9 (connection refused): is the server up, and is the port in FMBS_URL right?';
  const configured = [
    { product: 'fortisoar', name: 'FortiSOAR', url: 'https://soar.example', version: '7.0.2' },
    { product: 'forticasb', name: 'FortiCASB', skipped: 'FortiCASB skipped: set FORTICASB_URL to test it' },
    { product: 'fmbs', name: 'FortiMail Browser Security', url: 'https://fmbs.example' },
  ];
  const soarPassed = result(LIST_VIEW, 'passed');
  const fmbsPreflight = result(PREFLIGHT_FMBS, 'failed', { product: 'fmbs', preflight: true, error: unreachable, failureKind: 'finding' });
  const fmbsNotRun = result(FMBS, 'skipped', { skipReason: `not run: "${PREFLIGHT_FMBS}" failed` });

  test('says which products ran, which were left out and why, and which could not be judged', () => {
    const targets = targetsOf(configured, [soarPassed, fmbsPreflight, fmbsNotRun], false, '--project left it out');
    expect(targets).toEqual([
      { product: 'fortisoar', name: 'FortiSOAR', url: 'https://soar.example', status: 'tested', version: '7.0.2' },
      // Not "FortiCASB (FortiCASB skipped: ...)": the report names the product beside the reason.
      { product: 'forticasb', name: 'FortiCASB', status: 'skipped', reason: 'set FORTICASB_URL to test it' },
      {
        product: 'fmbs',
        name: 'FortiMail Browser Security',
        url: 'https://fmbs.example',
        status: 'not-judged',
        reason: 'unreachable: nothing accepts connections at 127.0.0.1:9 (connection refused): is the server up, and is the port in FMBS_URL right?',
      },
    ]);
    // --project=fmbs: FortiSOAR has no test in the run, so no version is named for it.
    expect(targetsOf(configured, [fmbsPreflight], false, selectionOf(['node', 'cli', 'test', '--project=fmbs']))[0]).toEqual({
      product: 'fortisoar',
      name: 'FortiSOAR',
      url: 'https://soar.example',
      status: 'skipped',
      reason: '--project left it out',
    });
    expect(selectionOf(['node', 'cli', 'test', '-g', 'POST'])).toBe('no test of it matched -g/--grep');
    const allSkipped = targetsOf(configured, [result(LIST_LEGACY, 'skipped', { skipReason: 'holds up to 6.4.4' })], false)[0];
    expect(allSkipped).toMatchObject({ status: 'skipped', reason: 'every test was skipped: holds up to 6.4.4' });
  });

  const build = (cases: CaseResult[], targets: TargetInfo[], entries: { title: string; reason: string }[] = []) =>
    buildReport({
      suite: { name: 'fortinet-api-conformance', version: '0.1.0' },
      run: {
        target: 'live',
        ...RUN_TIMES,
      },
      checkedAgainst: targets.some((t) => t.product === 'fortisoar' && t.status === 'tested') ? { fortisoar: { version: '7.0.2', source: 'default' } } : {},
      targets,
      cases,
      baseline: { path: 'conformance-baseline.json', exists: entries.length > 0, warnings: [], ...compareWithBaseline(cases, entries) },
      errors: [],
    });

  test('a failed preflight is NOT JUDGED (exit 5), never a failure of the gate, and the judged products are still reported', () => {
    const cases = [soarPassed, fmbsPreflight, fmbsNotRun];
    const r = build(cases, targetsOf(configured, cases, false));
    expect(r.baseline.newFailures).toEqual([]);
    expect(r.verdict).toEqual({
      result: 'not-judged',
      exitCode: EXIT.notJudged,
      reasons: [
        'FortiMail Browser Security not judged: unreachable: nothing accepts connections at 127.0.0.1:9 (connection refused): is the server up, and is the port in FMBS_URL right?',
      ],
    });
    const validate = schemaRegistry().getSchema('https://fortinet-conformance.local/schemas/report/conformance-report.json')!;
    expect(validate(JSON.parse(JSON.stringify(r))), JSON.stringify(validate.errors)).toBe(true);

    const text = renderText(r);
    expect(text).toContain('Conformance summary — target live · FortiSOAR 7.0.2 ·');
    expect(text).toContain('Not run: FortiCASB (set FORTICASB_URL to test it)');
    expect(text).toMatch(/\nFortiSOAR \(fortisoar-api-guide\.txt\): 1 passed\n/);
    expect(text).toContain('\nFortiMail Browser Security: NOT JUDGED — unreachable: nothing accepts connections at 127.0.0.1:9');
    expect(text).not.toContain('Failures');
    expect(text).toContain('Verdict: NOT JUDGED (exit 5): FortiMail Browser Security not judged: unreachable');

    const md = renderMarkdown(r);
    expect(md).toContain('| FortiMail Browser Security | **NOT JUDGED**: unreachable: nothing accepts connections');
    expect(md).toContain('## FortiMail Browser Security\n\n**Not judged**: its live preflight failed, so its 1 tests did not run.');
    expect(md).not.toContain('## Failures');
    // --update-baseline never accepts a broken environment.
    expect(updatedEntries(cases, [])).toEqual([]);
  });

  test('tests skipped because the server kept throttling make the run NOT JUDGED (exit 5), not CONFORMING', () => {
    const throttled = result(CREATE, 'skipped', {
      skipReason: '[throttled] POST https://soar.example/api/3/alerts answered 429 and still refused after the suite had waited 3 times',
    });
    const cases = [soarPassed, throttled];
    const r = build(cases, targetsOf(configured, cases, false));
    expect(r.verdict.result).toBe('not-judged');
    expect(r.verdict.exitCode).toBe(EXIT.notJudged);
    expect(r.verdict.reasons).toEqual(['1 test(s) not judged: the server kept throttling (429, or 503 with Retry-After)']);
    // Any other skip (a destructive test not enabled, say) leaves the verdict alone.
    const other = [soarPassed, result(CREATE, 'skipped', { skipReason: 'destructive: set CONFORMANCE_DESTRUCTIVE=1 to run it' })];
    expect(build(other, targetsOf(configured, other, false)).verdict.result).toBe('conforming');
  });

  test('a finding in a judged product outweighs a product not judged (exit 1, both named)', () => {
    const cases = [result(CREATE, 'failed', { error: '[status] expected 201, received 500', failureKind: 'finding' }), fmbsPreflight, fmbsNotRun];
    const r = build(cases, targetsOf(configured, cases, false));
    expect(r.verdict.exitCode).toBe(EXIT.notConforming);
    expect(r.verdict.reasons).toEqual(['1 failure(s) not in the baseline', expect.stringMatching(/^FortiMail Browser Security not judged: unreachable/)]);
  });

  test('a run of FortiCASB alone names no FortiSOAR version', () => {
    const casb = result(CASB, 'passed');
    const targets = targetsOf(
      [
        { product: 'fortisoar', name: 'FortiSOAR', url: 'https://fortisoar.stub.invalid', version: '7.0.2' },
        { product: 'forticasb', name: 'FortiCASB', url: 'https://forticasb.stub.invalid' },
        { product: 'fmbs', name: 'FortiMail Browser Security', url: 'https://fmbs.stub.invalid' },
      ],
      [casb],
      false,
      '--project left it out',
    );
    const r = build([casb], targets);
    expect(r.checkedAgainst).toEqual({});
    expect(renderText(r)).not.toMatch(/FortiSOAR 7|version/);
    expect(renderText(r)).toContain('Not run: FortiSOAR (--project left it out); FortiMail Browser Security (--project left it out)');
    const md = renderMarkdown(r);
    expect(md).toMatch(/^# Conformance report: FortiCASB\n/);
    expect(md).not.toContain('7.0.2');
    expect(md).toContain('| FortiSOAR | not run: --project left it out |');
  });
});

test.describe('findings and errors', () => {
  const kinds: [string, 'finding' | 'error'][] = [
    ['ConformanceError: [status] POST /api/3/alerts: expected 201, received 500', 'finding'],
    ['[schema] GET /x → 200: the body does not match', 'finding'],
    ['\u001b[31mConformanceError: [rule] GET /x: the change persists\u001b[39m', 'finding'],
    ['PreflightError: [preflight] FortiSOAR unreachable: ...', 'finding'],
    ['Error: [response] GET /x answered 200 with a body that is not JSON', 'finding'],
    ['TypeError: Cannot read properties of undefined', 'error'],
    ['Test timeout of 60000ms exceeded.', 'error'],
    ['[network] GET https://x failed: socket hang up', 'error'],
    ['[spec] no operation foo in specs/fortisoar.yaml', 'error'],
  ];
  for (const [message, kind] of kinds) {
    test(`${JSON.stringify(message.slice(0, 40))} is ${kind === 'finding' ? 'a finding' : 'an error of the suite'}`, () => {
      expect(failureKind(message)).toBe(kind);
    });
  }

  test('the gist of a [rule] failure shows what was expected and what was received', () => {
    const message = [
      'ConformanceError: [rule] PUT /api/3/{collection}/{uuid} (guide › Update): the change persists',
      '  sent: {"description":"changed"}',
      '  expected: description="changed"',
      '  received: description="created by the conformance suite (update)"',
      '  at rule (/work/src/checks/response.ts:81:21)',
    ].join('\n');
    expect(gist(message)).toEqual([
      '[rule] PUT /api/3/{collection}/{uuid} (guide › Update): the change persists',
      'sent: {"description":"changed"}',
      'expected: description="changed"',
      'received: description="created by the conformance suite (update)"',
    ]);
    // Without them: the check and its first line of evidence.
    expect(gist('[status] x: expected 201, received 500\n  request: POST /x\n  body: {}')).toEqual([
      '[status] x: expected 201, received 500',
      'request: POST /x',
    ]);
    // A rule's source is not its evidence: the line after it is.
    expect(gist('[rule] x: every item once\n  source: doc.txt: "skip ..."\n  item a is on the page at skip 0 and again at skip 20')).toEqual([
      '[rule] x: every item once',
      'item a is on the page at skip 0 and again at skip 20',
    ]);
  });

  test('lists compared by a rule say how they differ, however long they are', () => {
    const ids = Array.from({ length: 60 }, (_, i) => `6b00${String(i).padStart(20, '0')}`);
    const evidence = describeEvidence({ expected: ids, received: [...ids.slice(0, 30), ...ids.slice(31), 'zz-extra'] });
    // The values are cut alike at 400 characters; the difference is said apart.
    expect(evidence).toContain(`differs: missing 1: ${ids[30]}; not expected 1: zz-extra`);
    expect(gist(`[rule] x: pages hold the items${evidence}`).at(-1)).toBe(`differs: missing 1: ${ids[30]}; not expected 1: zz-extra`);
    expect(describeEvidence({ expected: ['a', 'b'], received: ['b', 'a'] })).toContain(
      'differs: the same items in another order; first at position 0: expected a, received b',
    );
    expect(describeEvidence({ expected: ['a'], received: ['a'] })).not.toContain('differs');
    expect(describeEvidence({ expected: 6, received: 5 })).not.toContain('differs');
  });
});
