/**
 * On a live target, a record is changed or deleted only when it is one this run created (issue 15:
 * "no record that existed before is changed or deleted, by a run"). The IRIs the suite writes to
 * come from the server's answers (a create's `@id`, a collection's members): a server that
 * answers a create with the `@id` of another record (a fault, or a hostile target) made the suite
 * delete and update records that existed before the run.
 *
 * Before each such write, the record is read and must carry a name this run gave
 * (client/marker.ts) in one of its name fields; a record already gone (404, 410) may be deleted
 * again harmlessly. A record without any name field (an import job, an export job) cannot be
 * told apart and is let through. A record found to be this run's is not read again.
 */
import { ConformanceError } from '../../checks/response.ts';
import type { ApiClient } from '../../client/api.ts';
import { isSuiteName, NAME_FIELDS } from '../../client/marker.ts';
import type { CallRequest } from '../../client/operation.ts';
import { sendOperation } from '../../client/operation.ts';
import type { Operation, ProductSpec } from '../../spec/model.ts';
import { paramsOf, pathOf } from '../../spec/url.ts';

/** Modules whose records carry no name the suite gives (jobs of an import or export). */
const UNNAMED = /^(import_jobs?|export_jobs?)$/;

const str = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

/** The records a FortiSOAR write changes or deletes, as IRIs or paths (empty for any other operation). */
export function recordsWritten(spec: ProductSpec, op: Operation, req: CallRequest = {}): string[] {
  if (spec.product !== 'fortisoar') return [];
  const getRecord = spec.byId.get('getRecord');
  if (!getRecord) return [];
  const record = (collection: unknown, uuid: unknown): string[] => {
    const c = str(collection);
    const u = str(uuid);
    return c && u ? [pathOf(getRecord, { collection: c, uuid: u })] : [];
  };
  const body = (req.body ?? {}) as Record<string, unknown>;
  switch (op.operationId) {
    case 'updateRecord':
    case 'deleteRecord':
    case 'appendRelationship':
    case 'deleteRelationship':
      // The record itself, or the parent whose relationship changes.
      return req.link !== undefined ? [req.link] : record(req.path?.collection, req.path?.uuid);
    case 'bulkDelete':
      return Array.isArray(body.ids) ? body.ids.flatMap((id) => record(req.path?.module, id)) : [];
    case 'bulkUpdate':
      return Array.isArray(body.data)
        ? body.data.flatMap((row) => (row && typeof (row as Record<string, unknown>)['@id'] === 'string' ? [(row as Record<string, string>)['@id']!] : []))
        : [];
    default:
      return [];
  }
}

/**
 * Throws a `[safety]` ConformanceError, sending nothing, when a record `op` would change or delete
 * holds no name of run `runId`. `ours` remembers the records found to be this run's.
 */
export async function refuseForeignRecords(
  api: ApiClient,
  spec: ProductSpec,
  op: Operation,
  req: CallRequest,
  runId: string,
  ours: Set<string>,
): Promise<void> {
  const getRecord = spec.byId.get('getRecord');
  if (!getRecord) return;
  for (const iri of recordsWritten(spec, op, req)) {
    if (ours.has(iri) || UNNAMED.test(paramsOf(getRecord, iri)?.collection ?? '')) continue;
    const res = await sendOperation(api, getRecord, { link: iri });
    if (res.status === 404 || res.status === 410) continue;
    let record: Record<string, unknown> | undefined;
    try {
      const parsed = res.status === 200 ? (res.json() as unknown) : undefined;
      record = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      record = undefined;
    }
    const names = record ? NAME_FIELDS.map((f) => record[f]).filter((v): v is string => typeof v === 'string') : [];
    if (record && names.length === 0) continue;
    if (names.some((n) => isSuiteName(n, runId))) {
      ours.add(iri);
      continue;
    }
    const seen = record ? `it is named ${JSON.stringify(api.redactor.text(names[0]!.slice(0, 120)))}` : `reading it answered ${res.status}`;
    throw new ConformanceError(
      `[safety] ${op.method} ${op.path} (${op.operationId}) was not sent: the record ${JSON.stringify(api.redactor.text(iri.slice(0, 300)))} ` +
        `is not one this run (${runId}) created (${seen}). The IRI came from the server's answers; a record that existed before the run is never changed or deleted`,
    );
  }
}
