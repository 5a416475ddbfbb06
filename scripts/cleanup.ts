/**
 * `npm run cleanup [-- --run <run id>] [--dry-run]`: on a live FortiSOAR, finds the records an
 * aborted run left behind and deletes them, and nothing else. A record is the suite's when one
 * of its name fields is a name the suite gives (src/client/marker.ts: `conformance-suite <run id>
 * w<worker>-<n> <label>` or its slug form), whole and case-sensitive: "conformance-suite notes
 * kept by the SOC team" and "Conformance-Suite-checklist" are not. Without --run, every run's
 * leftovers are removed.
 *
 * The documents give no name filter that matches a prefix (field filters are exact), so every
 * page of each module is read, with a progress line every 10 pages; a walk that cannot go on
 * (an error answer, a server that ignores `$page`) says where and why it stopped, and the exit
 * code is then 1. Each record is printed as it is deleted (`--dry-run` only lists them); its
 * `@id` must be a record of that module on FORTISOAR_URL's origin, or it is refused (a `@id` is
 * supplied by the server).
 */

import { parseArgs } from 'node:util';
import { config as dotenv } from 'dotenv';
import { ConformanceError } from '../src/checks/response.ts';
import { isSuiteName, NAME_FIELDS, runIdProblem } from '../src/client/marker.ts';
import { callOperation } from '../src/client/operation.ts';
import { createClient } from '../src/client/products.ts';
import { loadConfigOrExit } from '../src/config/index.ts';
import { Redactor } from '../src/report/redact.ts';
import { operation } from '../src/spec/load.ts';
import { paramsOf } from '../src/spec/url.ts';

dotenv({ quiet: true });
const { values } = parseArgs({ options: { run: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });
const dryRun = values['dry-run'];
if (values.run !== undefined && runIdProblem(values.run)) {
  console.error(`--run: a run id ${runIdProblem(values.run)}`);
  process.exit(2);
}

const config = loadConfigOrExit(process.env);
if (config.target !== 'live' || !config.fortisoar) {
  console.log('Nothing to clean: set CONFORMANCE_TARGET=live and FORTISOAR_URL (the built-in stub keeps nothing between runs).');
  process.exit(0);
}

const soar = config.fortisoar;
const modules = [...new Set([soar.recordModule, soar.relation.parent, soar.relation.related, 'people', 'export_templates', 'import_jobs'])];
const PAGE = 100;
/** A module this large is not walked further in one go (100,000 pages of 100). */
const MAX_PAGES = 100_000;
const redactor = new Redactor(config.secrets);
const api = createClient('fortisoar', config, redactor);
const ours = (r: Record<string, unknown>): string | undefined =>
  NAME_FIELDS.map((f) => r[f]).find((v): v is string => typeof v === 'string' && isSuiteName(v, values.run));

interface Doomed {
  readonly iri: string;
  readonly name: string;
}

/** Reads every page of `module`; returns the suite's records, and why the walk stopped early (if it did). */
async function walk(module: string): Promise<{ doomed: Doomed[]; stopped?: string; read: number }> {
  const doomed: Doomed[] = [];
  let read = 0;
  let previousFirst: unknown;
  let total: number | undefined;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await callOperation(api, operation('fortisoar', 'listRecords'), { path: { collection: module }, query: { $limit: PAGE, $page: page } });
    if (res.status !== 200) return { doomed, read, stopped: `page ${page} answered ${res.status}: ${redactor.text(res.text.slice(0, 200))}` };
    const body = res.json() as { 'hydra:member'?: unknown; 'hydra:totalItems'?: unknown; 'hydra:view'?: Record<string, unknown> };
    const members = Array.isArray(body['hydra:member']) ? (body['hydra:member'] as Record<string, unknown>[]) : undefined;
    if (!members) return { doomed, read, stopped: `page ${page} has no hydra:member list` };
    if (typeof body['hydra:totalItems'] === 'number') total = body['hydra:totalItems'];
    if (members.length === 0) return { doomed, read };
    const first = members[0]?.['@id'];
    if (page > 1 && first !== undefined && first === previousFirst) {
      return { doomed, read, stopped: `page ${page} repeats page ${page - 1} (the server ignores $page), so the rest of ${module} cannot be read` };
    }
    previousFirst = first;
    read += members.length;
    for (const r of members) {
      const name = ours(r);
      if (name !== undefined) doomed.push({ iri: String(r['@id']), name });
    }
    if (page % 10 === 0)
      console.log(`  ${module}: ${page} pages, ${read}${total !== undefined ? ` of ${total}` : ''} records read, ${doomed.length} of the suite's`);
    // The last page: by the total when the server gives one (it may cap $limit below PAGE), else
    // by a view without hydra:next ("not displayed ... if there are no further results"), else a short page.
    const view = body['hydra:view'];
    const last =
      total !== undefined
        ? read >= total
        : view && typeof view === 'object'
          ? view['hydra:next'] === undefined || view['hydra:next'] === null
          : members.length < PAGE;
    if (last) return { doomed, read };
  }
  return { doomed, read, stopped: `stopped after ${MAX_PAGES} pages (${read} records); run cleanup again for the rest` };
}

/** Why `iri` may not be deleted as a record of `module`, or undefined when it may. */
function refusal(module: string, iri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(api.url(iri));
  } catch (e) {
    return e instanceof ConformanceError ? e.message : (e as Error).message;
  }
  const path = url.pathname.slice(new URL(api.baseUrl).pathname.replace(/\/$/, '').length);
  // A record of the module: the path of the spec's getRecord with this collection, and nothing more.
  const params = paramsOf(operation('fortisoar', 'getRecord'), path);
  if (params?.collection !== module || !/^[A-Za-z0-9-]+$/.test(params.uuid ?? '') || url.search !== '')
    return `its @id ${JSON.stringify(iri)} is not a record of ${module}`;
  return undefined;
}

let found = 0;
let deleted = 0;
let failed = 0;
const incomplete: string[] = [];
try {
  for (const module of modules) {
    console.log(`${module}: reading every page for names of ${values.run ? `run ${values.run}` : 'any run'}...`);
    const { doomed, stopped, read } = await walk(module);
    console.log(`${module}: ${read} record(s) read, ${doomed.length} of the suite's${stopped ? `; STOPPED: ${stopped}` : ''}`);
    if (stopped) incomplete.push(`${module}: ${stopped}`);
    for (const { iri, name } of doomed) {
      found++;
      const why = refusal(module, iri);
      if (why) {
        failed++;
        console.warn(`  refused ${iri} (${JSON.stringify(name)}): ${why}`);
        continue;
      }
      if (dryRun) {
        console.log(`  would delete ${iri} ${JSON.stringify(name)}`);
        continue;
      }
      const res = await callOperation(api, operation('fortisoar', 'deleteRecord'), { link: iri });
      if (res.status >= 300 && res.status !== 404) {
        failed++;
        console.warn(`  could not delete ${iri} ${JSON.stringify(name)}: ${res.status}`);
      } else {
        deleted++;
        console.log(`  deleted ${iri} ${JSON.stringify(name)}`);
      }
    }
  }
} catch (e) {
  // Unreachable, refused credentials, an answer that is not JSON: said plainly, not as a stack trace.
  const message = redactor.text((e as Error).message ?? String(e)).replace(/^\[\w+\] /, '');
  console.error(`Cleanup stopped: ${message}`);
  incomplete.push(message);
} finally {
  api.close();
}
const whose = values.run ? `run ${values.run}` : 'earlier runs';
console.log(`${found} record(s) of ${whose} found${dryRun ? ' (dry run: nothing deleted)' : `, ${deleted} deleted`}${failed ? `, ${failed} not` : ''}.`);
if (incomplete.length) console.log(`Not every record was checked:\n  ${incomplete.join('\n  ')}`);
process.exit(failed === 0 && incomplete.length === 0 ? 0 : 1);
