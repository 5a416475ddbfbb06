/**
 * FortiSOAR files (`/api/3/files`), which the guide names only as the input of an import job
 * ("file": "/api/3/files/<uuid of uploaded json file>"). Real clients upload them as
 * multipart/form-data with the file in a part named "file" (pyfsr `client.files.upload`, the
 * fortisoar-api-docs harness "files_upload") and real servers answer 201 with the file record
 * (7.6.5 recording: "@id" /api/3/files/<uuid>, "@type" File, filename, mimeType, size, uploadDate,
 * assignee "", metadata [], thumbnail null); `GET` of the record with `Accept:
 * application/octet-stream` streams the file itself (pyfsr downloads exports so).
 */
import { error, isMultipart, json } from '../core/http.ts';
import type { Handler, StubRequest, StubResponse } from '../core/types.ts';
import { present } from './records.ts';
import { type FortiSoarState, parseIri, type RecordBody } from './state.ts';

type H = Handler<FortiSoarState>;

/** Stores a file record and its bytes; answers the record. */
export function storeFile(state: FortiSoarState, file: { filename: string; mimeType: string; bytes: Buffer }): RecordBody {
  const record = state.insert('files', {
    filename: file.filename,
    mimeType: file.mimeType,
    size: file.bytes.length,
    assignee: '',
    metadata: [],
    thumbnail: null,
  });
  state.fileBytes.set(String(record.uuid), file.bytes);
  return state.update('files', String(record.uuid), { uploadDate: record.createDate });
}

/** The JSON a file holds (an uploaded or exported configuration), or undefined when it holds none. */
export function fileContent(state: FortiSoarState, iri: unknown): unknown {
  const p = parseIri(iri);
  const bytes = p?.module === 'files' ? state.fileBytes.get(p.uuid.toLowerCase()) : undefined;
  if (!bytes) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined; // a .zip export or any other file: its options are the defaults
  }
}

/**
 * The form's "file" part, parsed by the runtime's own multipart parser (the WHATWG `formData()` of
 * Node's fetch Response: boundaries, quoted names, binary content), from the request's raw bytes
 * where the adapter has them (the HTTP server), else its text (nock).
 */
async function filePart(req: StubRequest): Promise<{ filename: string; mimeType: string; bytes: Buffer } | StubResponse> {
  const type = req.headers['content-type'] ?? '';
  if (!isMultipart(type))
    return error(400, `POST /api/3/files takes multipart/form-data with the file in a part named "file", got content-type "${type || 'none'}"`);
  let form: FormData;
  try {
    const bytes = req.bytes ?? Buffer.from(req.rawBody, 'utf8');
    form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': type } }).formData();
  } catch {
    return error(400, 'the multipart/form-data body could not be parsed (check its boundary and part headers)');
  }
  const part = form.get('file');
  if (part === null || typeof part === 'string')
    return error(400, `the form has no file in a part named "file" (parts: ${[...form.keys()].join(', ') || 'none'})`);
  return { filename: part.name || 'upload', mimeType: part.type || 'application/octet-stream', bytes: Buffer.from(await part.arrayBuffer()) };
}

export const fileRoutes: Record<string, H> = {
  'POST /api/3/files': async ({ state, req }) => {
    const file = await filePart(req);
    if (!('bytes' in file)) return file;
    return json(201, present(state, storeFile(state, file), true));
  },

  'GET /api/3/files/{uuid}': ({ state, req, params }) => {
    const record = state.get('files', params.uuid!);
    if (!record) return error(404, `no files record ${params.uuid}`);
    if (!/application\/octet-stream/i.test(req.headers.accept ?? '')) return json(200, present(state, record, true));
    // The bytes, as the Accept header asks (whatever the file's mimeType: an export is JSON or a zip).
    return {
      status: 200,
      headers: {
        'content-type': 'application/octet-stream',
        'content-disposition': `attachment; filename="${String(record.filename).replace(/["\\\r\n]/g, '_')}"`,
      },
      body: state.fileBytes.get(String(record.uuid)) ?? Buffer.alloc(0),
    };
  },
};
