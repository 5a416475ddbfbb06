/**
 * FortiSOAR configuration export and import (fortisoar-api-guide.txt › Export and Import
 * Configurations Operations): an export template that selects nothing, its export, and the
 * import of that export, so that nothing of the instance's configuration changes. Every job,
 * template and file the flow creates is deleted after the test.
 */
import type { Source } from '../../checks/response.ts';
import type { ExportJob } from '../../types/fortisoar/export-job.ts';
import type { ExportTrigger } from '../../types/fortisoar/export-trigger.ts';
import type { ImportJob } from '../../types/fortisoar/import-job.ts';
import { type CaseContext, scenario } from '../context.ts';
import { statusOnly } from '../kit/answers.ts';
import { isObject, type Json, lastSegment, statusText } from '../kit/bodies.ts';
import { slug } from '../kit/names.ts';
import { pollUntil } from '../kit/polling.ts';
import { guide } from '../kit/sources.ts';
import { deleteLater, recordParams } from './records.ts';

const S = {
  template: guide('Step 1: Create an export template or use an existing export template.'),
  exportJob: guide('{"@type": "ExportJob", "jobUuid": "<export job uuid>"}'),
  complete: guide('When the status equals “Export Complete”, a file object is returned.'),
  fileIri: guide('You can download the exported file using its "File IRI".'),
  importJob: guide('This request creates an import job; whose output contains the @id of the import_jobs record.'),
  options: guide('This request populates the options object for the import job with the default options required for import.'),
  getOptions: guide('To get the options object:'),
  modify: guide('To modify the options object:'),
  async: guide('This request triggers the import, which runs asynchronously.'),
} satisfies Record<string, Source>;

/** An export template that selects nothing: its export and the import of that export change no configuration. */
const EMPTY_TEMPLATE_OPTIONS = {
  modules: [],
  viewTemplates: [],
  picklistNames: [],
  views: [],
  reports: [],
  dashboards: [],
  roles: [],
  appSettings: [],
  playbooks: { collections: [], includeVersions: false, globalVariables: [] },
};

const EXPORT_COMPLETE = 'Export Complete';
// The guide names no final status of an import (only the export's "Export Complete"): the usual words.
const IMPORT_DONE = /complete|success|succeeded|finished|done|imported/i;
const IMPORT_FAILED = /fail|error/i;

async function createTemplate(ctx: CaseContext): Promise<Json> {
  return ctx.step('create an export template', async () => {
    const body = (await ctx.call('createExportTemplate', { body: { options: EMPTY_TEMPLATE_OPTIONS, name: ctx.unique('export template') } })).expect<Json>(201);
    deleteLater(ctx, body['@id']);
    return body;
  });
}

async function triggerExport(ctx: CaseContext, template: Json): Promise<string> {
  return ctx.step('trigger the export', async () => {
    const templateUuid = String(template.uuid ?? lastSegment(template['@id']));
    const body = (await ctx.call('triggerExport', { query: { fileName: `${slug(ctx, 'export')}.json`, template: templateUuid } })).expect<ExportTrigger>(200);
    ctx.rule(
      typeof body.jobUuid === 'string' && body.jobUuid !== '',
      'the export answers the ExportJob with its jobUuid',
      S.exportJob,
      () => ({ expected: 'a jobUuid', received: body }),
      'triggerExport',
    );
    ctx.defer(() => ctx.call('deleteRecord', { path: { collection: 'export_jobs', uuid: body.jobUuid } }));
    return body.jobUuid as string;
  });
}

/** Polls the export job until "Export Complete"; answers the file object. */
async function awaitExport(ctx: CaseContext, jobUuid: string): Promise<Json> {
  const job = await ctx.step('poll the export job until "Export Complete"', () =>
    pollUntil(ctx, {
      what: 'the export reaches "Export Complete"',
      source: S.complete,
      request: async () => (await ctx.call('getExportJob', { path: { uuid: jobUuid } })).expect<ExportJob>(200),
      done: (j) => statusText(j.status) === EXPORT_COMPLETE || IMPORT_FAILED.test(statusText(j.status)),
      describe: (j) => `status ${JSON.stringify(j.status)}`,
      operationId: 'getExportJob',
    }),
  );
  ctx.rule(
    statusText(job.status) === EXPORT_COMPLETE,
    'the export job reaches "Export Complete"',
    S.complete,
    () => ({ expected: EXPORT_COMPLETE, received: job.status }),
    'getExportJob',
  );
  const file = job.file;
  ctx.rule(
    isObject(file) || (typeof file === 'string' && file !== ''),
    'at "Export Complete" a file object is returned',
    S.complete,
    () => ({ expected: 'a file object', received: file }),
    'getExportJob',
  );
  const iri = isObject(file) ? file['@id'] : file;
  if (typeof iri === 'string') deleteLater(ctx, iri);
  return isObject(file) ? file : { '@id': file };
}

async function exportedFile(ctx: CaseContext): Promise<string> {
  const file = await awaitExport(ctx, await triggerExport(ctx, await createTemplate(ctx)));
  const iri = file['@id'];
  ctx.rule(
    typeof iri === 'string',
    'the exported file object carries its "File IRI" (@id)',
    S.fileIri,
    () => ({ expected: 'an @id', received: file }),
    'getExportJob',
  );
  return iri;
}

async function createImportJob(ctx: CaseContext): Promise<string> {
  const file = await exportedFile(ctx);
  return ctx.step('create an import job', async () => {
    const body = (await ctx.call('createImportJob', { body: { status: 'In Progress', file } })).expect<Json>(201);
    deleteLater(ctx, body['@id']);
    // "whose format is /api/3/import_job/<uuid>" in the guide's prose, /api/3/import_jobs/<uuid> by its collection: either.
    ctx.rule(
      /^\/api\/3\/import_jobs?\/[^/?#]+\/?$/.test(String(body['@id'])),
      'the output contains the @id of the import_jobs record',
      S.importJob,
      () => ({
        expected: '/api/3/import_job(s)/<uuid>',
        received: body['@id'],
      }),
      'createImportJob',
    );
    return lastSegment(body['@id']);
  });
}

const getImportJob = async (ctx: CaseContext, uuid: string): Promise<ImportJob> => (await ctx.call('getImportJob', { path: { uuid } })).expect<ImportJob>(200);

async function generateOptions(ctx: CaseContext, uuid: string): Promise<Json> {
  await ctx.step('generate the import options', async () => statusOnly(await ctx.call('generateImportOptions', { path: { uuid } }), 200));
  const job = await ctx.step('get the options object', () => getImportJob(ctx, uuid));
  ctx.rule(
    isObject(job.options),
    'the import job holds the generated options object',
    S.options,
    () => ({ expected: 'an options object', received: job.options }),
    'generateImportOptions',
  );
  return job.options as Json;
}

async function importFlow(ctx: CaseContext): Promise<void> {
  const uuid = await createImportJob(ctx);
  await generateOptions(ctx, uuid);
  await ctx.step('trigger the import', async () => statusOnly(await ctx.call('triggerImport', { path: { uuid } }), 200));
  const job = await ctx.step('check the status until the import is done', () =>
    pollUntil(ctx, {
      what: 'the import, which runs asynchronously, is done',
      source: S.async,
      request: () => getImportJob(ctx, uuid),
      done: (j) => IMPORT_DONE.test(statusText(j.status)) || IMPORT_FAILED.test(statusText(j.status)),
      describe: (j) => `status ${JSON.stringify(j.status)}`,
      operationId: 'getImportJob',
    }),
  );
  ctx.rule(
    !IMPORT_FAILED.test(statusText(job.status)),
    'the import of an empty configuration export succeeds',
    S.async,
    () => ({ expected: 'a completed import', received: job.status }),
    'getImportJob',
  );
}

export const transfer = {
  'fortisoar.export-template': scenario(async (ctx) => {
    const template = await createTemplate(ctx);
    ctx.rule(recordParams(ctx, template['@id'])?.collection === 'export_templates', 'the template is an export_templates record', S.template, () => ({
      expected: '/api/3/export_templates/<uuid>',
      received: template['@id'],
    }));
  }),
  'fortisoar.export-trigger': scenario(async (ctx) => {
    await awaitExport(ctx, await triggerExport(ctx, await createTemplate(ctx)));
  }),
  'fortisoar.export-complete': scenario(async (ctx) => {
    await exportedFile(ctx);
  }),
  'fortisoar.import-create': scenario(async (ctx) => {
    await createImportJob(ctx);
  }),
  'fortisoar.import-options': scenario(async (ctx) => {
    await generateOptions(ctx, await createImportJob(ctx));
  }),
  'fortisoar.import-get-options': scenario(async (ctx) => {
    const uuid = await createImportJob(ctx);
    await generateOptions(ctx, uuid);
    const again = await ctx.step('get the options object again', () => getImportJob(ctx, uuid));
    ctx.rule(isObject(again.options), 'the import job answers its options object', S.getOptions, () => ({
      expected: 'an options object',
      received: again.options,
    }));
  }),
  'fortisoar.import-modify-options': scenario(async (ctx) => {
    const uuid = await createImportJob(ctx);
    const options = await generateOptions(ctx, uuid);
    const marker = ctx.unique('import options');
    await ctx.step('modify the options object', async () =>
      (await ctx.call('updateImportJob', { path: { uuid }, body: { options: { ...options, conformanceSuite: marker } } })).expect(),
    );
    const job = await ctx.step('get the options object', () => getImportJob(ctx, uuid));
    ctx.rule(isObject(job.options) && job.options.conformanceSuite === marker, 'the modified options object is stored on the import job', S.modify, () => ({
      expected: `options.conformanceSuite = ${marker}`,
      received: job.options,
    }));
  }),
  'fortisoar.import-trigger': scenario(importFlow),
  'fortisoar.import-status': scenario(importFlow),
};
