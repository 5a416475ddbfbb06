/**
 * A failure's reproduce.sh (src/report/reproduce.ts), from synthetic exchange logs: it replays the
 * test's own requests in order, credentials and base URLs as variables, generated ids read from
 * earlier answers, and says which answer deviated and how. (tests/self/run.test.ts replays a real
 * one against `npm run stub`.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Exchange } from '../../src/client/api.ts';
import { loadConfig } from '../../src/config/index.ts';
import { Redactor } from '../../src/report/redact.ts';
import { reproduceScript } from '../../src/report/reproduce.ts';

const UUID = '6f0b1d7c-e992-4b9f-9a71-660447713c92';
const IRI = `/api/3/alerts/${UUID}`;
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjc2FkbWluIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const json = { 'content-type': 'application/json' };

const ex = (method: string, url: string, status: number, body?: unknown, responseBody?: unknown, headers: Record<string, string> = {}): Exchange => ({
  method,
  url,
  requestHeaders: { accept: 'application/json', ...headers, ...(body !== undefined ? json : {}) },
  ...(body !== undefined ? { requestBody: JSON.stringify(body) } : {}),
  status,
  responseHeaders: json,
  ...(responseBody !== undefined ? { responseBody: JSON.stringify(responseBody) } : {}),
});

function script(
  env: Record<string, string>,
  log: Exchange[],
  lastOwn: number,
  error: string,
  extra: { mutant?: string; learnt?: string[]; stubChanges?: { after: number; what: string }[] } = {},
) {
  const config = loadConfig(env);
  const redactor = new Redactor(config.secrets);
  for (const t of extra.learnt ?? []) redactor.add(t);
  return reproduceScript({
    title: 'PUT /api/3/{collection}/{uuid} → 200 updates the record and the change persists',
    document: 'fortisoar-api-guide.txt › Model Operations › Update Single Model Records',
    error,
    log,
    lastOwn,
    config,
    mutant: extra.mutant,
    stubChanges: extra.stubChanges,
    redact: (s) => redactor.text(s),
    isSecret: (s) => redactor.text(s) !== s,
  });
}

const RULE = [
  'ConformanceError: [rule] PUT /api/3/{collection}/{uuid} (fortisoar-api-guide.txt › Update Single Model Records): the change persists',
  '  expected: description="changed"',
  '  received: description="created"',
  '    at rule (/repo/src/checks/response.ts:81:21)',
].join('\n');

/** The `call <n> '<what>' '<status>'` lines of a script, in order. */
const callsOf = (script: string): string[][] => [...script.matchAll(/^ *call (\d+) '([^']*)' '(\d+)'/gm)].map((m) => [m[1]!, m[2]!, m[3]!]);

test.describe('reproduce.sh', () => {
  const B = 'https://fortisoar.stub.invalid';
  // The test's worker had logged in before: its requests carry a token the script must obtain itself.
  const bearer = { authorization: `Bearer ${JWT}` };
  const log = [
    ex('POST', `${B}/api/3/alerts`, 201, { name: 'conformance-suite local w0-1 update', description: 'created' }, { '@id': IRI, uuid: UUID, id: 4711 }, bearer),
    ex('PUT', `${B}${IRI}`, 200, { description: 'changed' }, { '@id': IRI, description: 'created' }, bearer),
    ex('GET', `${B}${IRI}`, 200, undefined, { '@id': IRI, description: 'created' }, bearer),
    ex('DELETE', `${B}${IRI}`, 204, undefined, undefined, bearer),
  ];
  const stub = script({}, log, 2, RULE, { mutant: 'soar-update-not-persisted', learnt: [JWT] });
  /** The calls a replay of `log` makes: each exchange once, in order. */
  const REPLAYED = [
    ['1', 'POST /api/3/alerts', '201'],
    ['2', 'PUT {V1}', '200'],
    ['3', 'GET {V1}', '200'],
    ['4', 'DELETE {V1}', '204'],
  ];

  test('replays the test in order, then its cleanup apart, and is valid sh', () => {
    expect(callsOf(stub)).toEqual(REPLAYED);
    const keep = stub.indexOf('if [ "${REPRODUCE_KEEP:-0}" != 1 ]; then');
    expect(keep).toBeGreaterThan(stub.indexOf("call 3 'GET {V1}'"));
    expect(stub.indexOf("call 4 'DELETE {V1}'")).toBeGreaterThan(keep);
    const dir = mkdtempSync(join(tmpdir(), 'reproduce-'));
    writeFileSync(join(dir, 'reproduce.sh'), stub);
    const check = spawnSync('sh', ['-n', join(dir, 'reproduce.sh')], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
  });

  test('says where the test changed the in-process stub, which a replay over HTTP cannot do', () => {
    const changed = script({}, log, 2, RULE, { learnt: [JWT], stubChanges: [{ after: 1, what: 'the log grows by 5 entries' }] });
    expect(changed).toContain(
      '# Between steps 2 and 3 the test changed the in-process stub (the log grows by 5 entries); no request can do that, so from there the replay may not show the deviation',
    );
    const at = changed.indexOf("echo '-- Here the test changed the in-process stub (the log grows by 5 entries)");
    expect(at).toBeGreaterThan(changed.indexOf("call 2 'PUT {V1}'"));
    expect(at).toBeLessThan(changed.indexOf("call 3 'GET {V1}'"));
    expect(stub).not.toContain('in-process stub (');
  });

  test('sends a request the server throttled and the client sent again only once', () => {
    const throttled = { ...log[0]!, status: 429, responseBody: '{}', throttled: true, retryAfterMs: 1000, waitedOut: true };
    const replay = script({}, [throttled, ...log], 3, RULE, { learnt: [JWT] });
    expect(callsOf(replay)).toEqual(REPLAYED);
  });

  test('takes the ids the server generated from its earlier answers, with jq or else node', () => {
    expect(stub).toContain(`V1=$(json_get "$dir/1" '["@id"]')  # @id of answer 1`);
    expect(stub).toContain('-X PUT "${FORTISOAR_URL}${V1}"');
    expect(stub).not.toContain(UUID);
    expect(stub).toContain('if command -v jq >/dev/null 2>&1; then jq -r');
    expect(stub).toContain('else node -e');
  });

  test('keeps credentials as variables and logs in itself for a token obtained before the test', () => {
    expect(stub).not.toContain(JWT);
    expect(stub).not.toContain('stub-Passw0rd!');
    expect(stub).toContain('-H "authorization: Bearer ${FORTISOAR_TOKEN}"');
    expect(stub).toMatch(/log in again \(POST \/auth\/authenticate\)/);
    expect(stub).toContain('FORTISOAR_TOKEN=$(json_get "$dir/login" \'["token"]\')');
    expect(stub).toContain('[ -n "${FORTISOAR_PASSWORD:-}" ] || { echo "reproduce.sh: set FORTISOAR_PASSWORD');
  });

  test('in stub mode says to start npm run stub with the broken variant, and defaults to its ports', () => {
    expect(stub).toContain('#   1. in another terminal: npm run stub -- --mutant soar-update-not-persisted --settings-file .stub/settings.env');
    expect(stub).toContain('#   2. sh reproduce.sh .stub/settings.env');
    expect(stub).toContain(': "${FORTISOAR_URL:=http://127.0.0.1:8400}"');
    expect(stub).not.toMatch(/^[^#].*stub\.invalid/m);
  });

  test('says which answer deviated, and how: expected and received', () => {
    expect(stub).toContain('# The answer the suite judged is step 3 of 3 (then 1 cleanup request(s))');
    expect(stub).toContain('# 3. GET {V1} — in the test: 200  <-- the answer the suite judged');
    expect(stub).toContain(
      [
        "cat <<'END_OF_FAILURE'",
        '  [rule] PUT /api/3/{collection}/{uuid} (fortisoar-api-guide.txt › Update Single Model Records): the change persists',
        '  expected: description="changed"',
        '  received: description="created"',
        'END_OF_FAILURE',
      ].join('\n'),
    );
    expect(stub).toContain('#   expected: description="changed"');
  });

  test('names the request a [status] failure names as the deviating answer', () => {
    const status = `ConformanceError: [status] POST /api/3/{collection} (guide › Create): expected 201 (Created), received 500\n  request: POST ${B}/api/3/alerts\n  body: {}`;
    const s = script({}, [ex('POST', `${B}/api/3/alerts`, 500, { name: 'x' }, { message: 'boom' }), ex('GET', `${B}/api/3/alerts`, 200)], 1, status);
    expect(s).toContain('# The answer the suite judged is step 1 of 2');
    expect(s).toContain('#   [status] POST /api/3/{collection} (guide › Create): expected 201 (Created), received 500');
  });

  test('live: base URLs default to the run, credentials come from the environment, the login is replayed with variables', () => {
    const L = 'https://soar.example';
    const env = { CONFORMANCE_TARGET: 'live', FORTISOAR_URL: L, FORTISOAR_USERNAME: 'qa-user', FORTISOAR_PASSWORD: 'Live-Passw0rd!' };
    const s = script(
      env,
      [
        ex('POST', `${L}/auth/authenticate`, 200, { credentials: { loginid: 'qa-user', password: 'Live-Passw0rd!' } }, { token: JWT }),
        ex('GET', `${L}${IRI}`, 200, undefined, { '@id': IRI }, bearer),
      ],
      1,
      RULE,
      { learnt: [JWT] },
    );
    expect(s).toContain(': "${FORTISOAR_URL:=https://soar.example}"');
    expect(s).toContain(': "${FORTISOAR_USERNAME:=qa-user}"');
    expect(s).toContain('--data-raw "{\\"credentials\\":{\\"loginid\\":\\"${FORTISOAR_USERNAME}\\",\\"password\\":\\"${FORTISOAR_PASSWORD}\\"}}"');
    // The token of the login answer is read from it.
    expect(s).toContain(`V1=$(json_get "$dir/1" '["token"]')`);
    expect(s).toContain('-H "authorization: Bearer ${V1}"');
    expect(s).not.toContain('Live-Passw0rd!');
    expect(s).not.toContain(JWT);
    expect(s).not.toContain('npm run stub');
  });

  test('FortiCASB: token and headers as variables; FMBS page tokens read from the answer and URL-encoded', () => {
    const C = 'https://forticasb.stub.invalid';
    const casb = script(
      {},
      [
        ex(
          'POST',
          `${C}/api/v1/alert/list`,
          200,
          { skip: 0, limit: 20 },
          { data: [] },
          { authorization: 'Bearer stub-casb-token', companyId: '6', buId: '6384', service: 'Salesforce' },
        ),
      ],
      0,
      '[rule] x',
    );
    expect(casb).toContain('-H "authorization: Bearer ${FORTICASB_TOKEN}"');
    expect(casb).toContain('-H "companyId: ${FORTICASB_COMPANY_ID}"');
    expect(casb).toContain(': "${FORTICASB_BU_ID:=6384}"');
    expect(casb).not.toContain('stub-casb-token');

    const F = 'https://fmbs.stub.invalid';
    const token = 'a1B2+c3D4/e5F6==';
    const fmbs = script(
      {},
      [
        ex(
          'GET',
          `${F}/api/admin-audit-log-entries?limit=40`,
          200,
          undefined,
          { items: [], nextPageToken: token },
          { authorization: 'Bearer stub-fmbs-token' },
        ),
        ex(
          'GET',
          `${F}/api/admin-audit-log-entries?limit=40&pageToken=${encodeURIComponent(token)}`,
          200,
          undefined,
          { items: [] },
          { authorization: 'Bearer stub-fmbs-token' },
        ),
      ],
      1,
      '[rule] x',
    );
    expect(fmbs).toContain(`V1=$(json_get "$dir/1" '["nextPageToken"]')`);
    expect(fmbs).toContain('-X GET "${FMBS_URL}/api/admin-audit-log-entries?limit=40&pageToken=$(uri "${V1}")"');
    expect(fmbs).toContain('uri() { node -e');
  });

  test('leaves a deliberately wrong credential as it was sent', () => {
    const s = script({}, [ex('GET', `${B}/api/3/alerts`, 401, undefined, { message: 'no' }, { authorization: 'Bearer not-a-token' })], 0, '[status] x');
    expect(s).toContain('-H "authorization: Bearer not-a-token"');
    expect(s).not.toContain('log in again');
  });
});
