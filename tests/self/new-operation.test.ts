/**
 * Adding an operation is a spec edit: an operation with its examples and a schema derives a plain
 * case that sends those examples; against a stub without its handler the case is marked to skip
 * (the stub answers 501 naming it, never the spec's example); a handler makes it answerable.
 */
import { expect, test } from '@playwright/test';
import type { CaseContext } from '../../src/cases/context.ts';
import { deriveCases } from '../../src/cases/derive.ts';
import { example } from '../../src/cases/kit/example.ts';
import { checkCases } from '../../src/cases/registry.ts';
import { buildProductSpec, readSpecDocument, SpecError } from '../../src/spec/load.ts';
import { json } from '../../src/stub/core/http.ts';
import { Stub } from '../../src/stub/core/stub.ts';
import { STUB_DEFINITIONS } from '../../src/stub/index.ts';

/** The FMBS spec with one more operation, as a user would add it to specs/fmbs.yaml. */
function withCountOperation(extra: Record<string, unknown> = {}) {
  const doc = structuredClone(readSpecDocument('fmbs')) as Record<string, any>;
  doc.paths['/api/admin-audit-log-entries-count'] = {
    get: {
      operationId: 'countAdminAuditLogEntries',
      summary: 'Count entries',
      'x-doc': { document: 'fortimail-browser-security-admin-audit-logs.txt', section: 'Examples' },
      parameters: [{ name: 'since', in: 'query', schema: { type: 'string' }, example: '2021-01-07T11:33:39.557Z' }],
      responses: {
        '200': {
          description: 'counts the entries since a timestamp',
          content: {
            'application/json': { schema: { type: 'object', required: ['count'], properties: { count: { type: 'integer' } } }, example: { count: 3 } },
          },
          ...extra,
        },
      },
    },
  };
  return buildProductSpec('fmbs', doc);
}

test('an operation with examples derives a plain case, with an id, that sends them', () => {
  const spec = withCountOperation();
  const c = deriveCases(spec).find((x) => x.op.operationId === 'countAdminAuditLogEntries')!;
  expect(c).toMatchObject({
    kind: 'example',
    id: 'countAdminAuditLogEntries.200',
    title: 'GET /api/admin-audit-log-entries-count → 200 counts the entries since a timestamp',
  });
  expect(() => checkCases([c])).not.toThrow();
});

test('a stub without the handler says it does not implement the operation and answers 501 naming it; a handler makes it answer', async () => {
  const spec = withCountOperation();
  const without = new Stub(STUB_DEFINITIONS.fmbs, spec);
  expect(without.implements('countAdminAuditLogEntries')).toBe(false);
  expect(without.unimplemented).toEqual(['countAdminAuditLogEntries']);
  const req = {
    method: 'GET',
    path: '/api/admin-audit-log-entries-count',
    query: new URLSearchParams(),
    headers: { authorization: 'Bearer stub-fmbs-token' },
    rawBody: '',
  };
  const answer = await without.handle(req);
  expect(answer.status).toBe(501);
  expect(JSON.stringify(answer.body)).toContain('countAdminAuditLogEntries');
  expect(JSON.stringify(answer.body)).not.toContain('"count":3');

  const definition = { ...STUB_DEFINITIONS.fmbs, handlers: { ...STUB_DEFINITIONS.fmbs.handlers, countAdminAuditLogEntries: () => json(200, { count: 7 }) } };
  const withHandler = new Stub(definition, spec);
  expect(withHandler.implements('countAdminAuditLogEntries')).toBe(true);
  expect((await withHandler.handle(req)).body).toEqual({ count: 7 });
});

test('a case with a param its scenario does not take, or without one it needs, is a SpecError naming the place', () => {
  const doc = structuredClone(readSpecDocument('forticasb')) as Record<string, any>;
  const cases = doc.paths['/api/v1/alert/list'].post.responses['400']['x-cases'];
  cases[0].params = { header: 'companyId', headr: 'typo' };
  expect(() => checkCases(deriveCases(buildProductSpec('forticasb', doc)))).toThrow(SpecError);
  expect(() => checkCases(deriveCases(buildProductSpec('forticasb', doc)))).toThrow(/unknown param "headr"/);
  cases[0].params = {};
  expect(() => checkCases(deriveCases(buildProductSpec('forticasb', doc)))).toThrow(/missing param "header"/);
});

test('two cases of one status without ids, or an unknown x-cases key, are SpecErrors', () => {
  const doc = structuredClone(readSpecDocument('fmbs')) as Record<string, any>;
  const cases = doc.paths['/api/admin-audit-log-entries'].get.responses['401']['x-cases'];
  delete cases[1].id;
  expect(() => buildProductSpec('fmbs', doc)).toThrow(/needs an id: the status has more than one case/);
  cases[1].id = 'wrong-token';
  cases[1].scenaro = 'fmbs.wrong-token';
  expect(() => buildProductSpec('fmbs', doc)).toThrow(/unknown key\(s\) scenaro/);
});

test('an operation added without x-safety is read-only as a GET and destructive as any other method, so a live run sends a write only when allowed', () => {
  const doc = structuredClone(readSpecDocument('fmbs')) as Record<string, any>;
  const op = (method: string) => ({
    operationId: `${method}Tag`,
    'x-doc': { document: 'fortimail-browser-security-admin-audit-logs.txt', section: 'Examples' },
    requestBody: method === 'get' ? undefined : { content: { 'application/json': { schema: { type: 'object' }, example: { name: 'triage' } } } },
    responses: { '200': { description: 'answers the tag', content: { 'application/json': { schema: { type: 'object' } } } } },
  });
  doc.paths['/api/tags'] = { get: op('get'), post: op('post'), put: op('put'), delete: op('delete') };
  const spec = buildProductSpec('fmbs', doc);
  const safety = Object.fromEntries(spec.operations.filter((o) => o.path === '/api/tags').map((o) => [o.method, o.safety]));
  expect(safety).toEqual({ GET: 'read-only', POST: 'destructive', PUT: 'destructive', DELETE: 'destructive' });
  const post = deriveCases(spec).find((c) => c.op.operationId === 'postTag')!;
  expect(post.tags).toContain('@destructive');
});

test('the plain case skips, not fails, when the documented example id names nothing on the target (a conforming server holds other records)', async () => {
  const doc = structuredClone(readSpecDocument('fmbs')) as Record<string, any>;
  doc.paths['/api/tags/{tagId}'] = {
    get: {
      operationId: 'getTag',
      'x-doc': { document: 'fortimail-browser-security-admin-audit-logs.txt', section: 'Examples' },
      parameters: [{ name: 'tagId', in: 'path', required: true, schema: { type: 'string' }, example: 'tag-1' }],
      responses: { '200': { description: 'answers the tag', content: { 'application/json': { schema: { type: 'object' }, example: { name: 'x' } } } } },
    },
  };
  const c = deriveCases(buildProductSpec('fmbs', doc)).find((x) => x.op.operationId === 'getTag')!;
  const sent: unknown[] = [];
  const run = (status: number) => {
    const ctx = {
      case: c,
      live: true,
      config: { destructive: false },
      op: () => c.op,
      call: async (_id: string, request: unknown) => {
        sent.push(request);
        return {
          status,
          accepted: () => status === 200,
          expect: () => {
            if (status !== 200) throw new Error(`[status] ${status}`);
            return {};
          },
        };
      },
      skip: (reason: string) => {
        throw new Error(`skipped: ${reason}`);
      },
    } as unknown as CaseContext;
    return example.run(ctx);
  };
  await expect(run(404)).rejects.toThrow(/skipped: the documented example \(tagId=tag-1\) names nothing on this target \(404\)/);
  await expect(run(200)).resolves.toBeUndefined();
  expect(sent[0]).toMatchObject({ path: { tagId: 'tag-1' } });
});
