/**
 * FortiSOAR's asynchronous jobs: configuration import and export ("Export and Import
 * Configurations Operations") and log collection ("Log Collection Operations"). Each job advances
 * by status polls and with time (admin-state.ts, jobDone): running is observable, completion
 * follows, and an abandoned job ends by itself.
 */
import { gzipSync } from 'node:zlib';
import { error, isObject, json } from '../core/http.ts';
import type { Handler } from '../core/types.ts';
import { type AdminState, adminState, jobDone, polled, startJob } from './admin-state.ts';
import { fileContent, storeFile } from './files.ts';
import { present } from './records.ts';
import { type FortiSoarState, parseIri, type RecordBody } from './state.ts';

type H = Handler<FortiSoarState>;

export const EXPORT_COMPLETE = 'Export Complete';
export const EXPORT_RUNNING = 'Export In Progress';
export const IMPORT_COMPLETE = 'Import Complete';
export const IMPORT_RUNNING = 'Importing';

/** The default import options generated from the exported template ("populates the options object ... with the default options"). */
function defaultOptions(state: FortiSoarState, job: RecordBody): Record<string, unknown> {
  const exported = fileContent(state, job.file);
  return { ...(isObject(exported) ? exported : {}), overwrite: false, importPlaybookVersions: false };
}

const uuidParam = (raw: string): string => (parseIri(raw)?.uuid ?? raw).toLowerCase();

/** The job's record with its file expanded to the file object ("a file object is returned"). */
function presentJob(state: FortiSoarState, job: RecordBody): RecordBody {
  const file = typeof job.file === 'string' ? state.getByIri(job.file) : undefined;
  return { ...present(state, job, true), file: file ?? job.file ?? null };
}

/** Completes the log collection in progress if its polls or its time are up: its file can be downloaded. */
function settleLogCollection(admin: AdminState, state: FortiSoarState): void {
  const running = admin.logCollection;
  if (!running || !jobDone(running, state.settings)) return;
  admin.logCollection = undefined;
  const tar = Buffer.from(`conformance stub log bundle ${running.filename}\n`.padEnd(512, '\0'));
  admin.logFiles.set(running.filename, running.filename.endsWith('.gpg') ? Buffer.concat([Buffer.from([0x85, 0x01, 0x0c]), gzipSync(tar)]) : gzipSync(tar));
}

export const jobHandlers: Record<string, H> = {
  /** "POST /api/3/import_jobs {"status": "In Progress", "file": "/api/3/files/<uuid of uploaded json file>"} This request creates an import job". */
  createImportJob: ({ state, body }) => {
    if (!isObject(body) || typeof body.file !== 'string') return error(400, 'the body must be {"status": "In Progress", "file": "/api/3/files/<uuid>"}');
    if (!state.getByIri(body.file) || parseIri(body.file)?.module !== 'files') return error(400, `no uploaded file ${body.file}`);
    const job = state.insert('import_jobs', { status: typeof body.status === 'string' ? body.status : 'In Progress', file: body.file, options: null });
    return json(201, presentJob(state, job));
  },

  /** "GET /api/import/<import job uuid> This request populates the options object for the import job with the default options required for import." */
  generateImportOptions: ({ state, params }) => {
    const uuid = uuidParam(params.uuid!);
    const job = state.get('import_jobs', uuid);
    if (!job) return error(404, `no import job ${uuid}`);
    return json(200, presentJob(state, state.update('import_jobs', uuid, { options: defaultOptions(state, job) })));
  },

  /**
   * "To get the options object: GET /api/3/import_jobs/<import job uuid>"; after the trigger, "You
   * can check the status of the import using the following request": each poll advances it.
   */
  getImportJob: ({ state, params }) => {
    const uuid = uuidParam(params.uuid!);
    let job = state.get('import_jobs', uuid);
    if (!job) return error(404, `no import_jobs record ${uuid}`);
    const admin = adminState(state);
    const running = admin.jobs.get(uuid);
    if (running && polled(running, state.settings)) {
      admin.jobs.delete(uuid);
      job = state.update('import_jobs', uuid, { status: IMPORT_COMPLETE, progressPercent: 100 });
    }
    return json(200, presentJob(state, job));
  },

  /** "To modify the options object: PUT /api/3/import_jobs/<import job uuid> {"options": (modified options object)}". */
  updateImportJob: ({ state, params, body }) => {
    const uuid = uuidParam(params.uuid!);
    if (!state.get('import_jobs', uuid)) return error(404, `no import_jobs record ${uuid}`);
    if (!isObject(body) || (body.options !== undefined && !isObject(body.options))) return error(400, 'the body must be {"options": {...}}');
    return json(200, presentJob(state, state.update('import_jobs', uuid, body)));
  },

  /** "PUT /api/import/<import job uuid> This request triggers the import, which runs asynchronously." */
  triggerImport: ({ state, params }) => {
    const uuid = uuidParam(params.uuid!);
    const job = state.get('import_jobs', uuid);
    if (!job) return error(404, `no import job ${uuid}`);
    const options = isObject(job.options) ? job.options : defaultOptions(state, job);
    adminState(state).jobs.set(uuid, startJob(state.settings));
    return json(200, presentJob(state, state.update('import_jobs', uuid, { options, status: IMPORT_RUNNING, progressPercent: 0 })));
  },

  /** "POST /api/3/export_templates {"options": {"modules": [...], ...}, "name": "Configuration Export"}". */
  createExportTemplate: ({ state, body }) => {
    if (!isObject(body) || !isObject(body.options) || typeof body.name !== 'string') return error(400, 'the body must be {"options": {...}, "name": "..."}');
    return json(201, present(state, state.insert('export_templates', body), true));
  },

  /**
   * "PUT /api/export?fileName=<file name ending in .json>&template=<export template uuid> This
   * request triggers the export and sends the following response: {"@type": "ExportJob",
   * "jobUuid": "<export job uuid>"}". Real clients name the file .zip (field notes): any name is taken.
   */
  triggerExport: ({ state, req }) => {
    const fileName = req.query.get('fileName');
    const template = req.query.get('template');
    if (!fileName) return error(400, 'fileName is required');
    if (!template) return error(400, 'template (an export template uuid) is required');
    const t = state.get('export_templates', uuidParam(template));
    if (!t) return error(404, `no export template ${template}`);
    const job = state.insert('export_jobs', { status: EXPORT_RUNNING, file: null, template: t['@id'], fileName });
    adminState(state).jobs.set(String(job.uuid), startJob(state.settings));
    return json(200, { '@type': 'ExportJob', jobUuid: job.uuid });
  },

  /** "GET /api/3/export_jobs/<export job uuid>" ... "When the status equals “Export Complete”, a file object is returned." */
  getExportJob: ({ state, params }) => {
    const uuid = uuidParam(params.uuid!);
    let job = state.get('export_jobs', uuid);
    if (!job) return error(404, `no export_jobs record ${uuid}`);
    const admin = adminState(state);
    const running = admin.jobs.get(uuid);
    if (running && polled(running, state.settings)) {
      admin.jobs.delete(uuid);
      const template = state.getByIri(job.template);
      const content = isObject(template?.options) ? template.options : {};
      const file = storeFile(state, { filename: String(job.fileName), mimeType: 'application/json', bytes: Buffer.from(JSON.stringify(content)) });
      job = state.update('export_jobs', uuid, { status: EXPORT_COMPLETE, file: file['@id'] });
    }
    return json(200, presentJob(state, job));
  },

  /**
   * "The filename is "fortisoar-logs.tar.gz.gpg" if you have supplied a password in the request.
   * Else, the filename is "fortisoar-logs.tar.gz". If the log collection is triggered
   * successfully, then status code 200 is returned. If another log collection request is
   * running, then status code 202 is returned."
   */
  triggerLogCollection: ({ state, body }) => {
    if (body !== undefined && !isObject(body)) return error(400, 'the body must be {"password": "..."} or empty');
    const admin = adminState(state);
    settleLogCollection(admin, state);
    if (admin.logCollection) return json(202, { message: 'Another log collection is running', filename: admin.logCollection.filename });
    const password = isObject(body) && typeof body.password === 'string' && body.password !== '' ? body.password : undefined;
    const filename = password ? 'fortisoar-logs.tar.gz.gpg' : 'fortisoar-logs.tar.gz';
    admin.logFiles.delete(filename);
    admin.logCollection = { filename, ...startJob(state.settings) };
    return json(200, { filename });
  },

  /**
   * "A file is downloaded with the name fortisoar-logs.tar.gz.gpg (or fortisoar-logs.tar.gz) ...
   * If log collection process is still running, then status code 202 is returned. If the log
   * collection file is not found, then status code 400 is returned."
   */
  downloadLogCollection: ({ state, req }) => {
    const filename = req.query.get('filename');
    if (!filename) return error(400, 'filename is required');
    const admin = adminState(state);
    settleLogCollection(admin, state);
    const running = admin.logCollection;
    if (running && running.filename === filename) {
      running.polls++;
      return json(202, { message: 'Log collection is still running' });
    }
    const file = admin.logFiles.get(filename);
    if (!file) return error(400, `log collection file ${filename} not found`);
    return { status: 200, headers: { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${filename}"` }, body: file };
  },
};
