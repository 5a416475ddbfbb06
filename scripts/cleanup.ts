/**
 * `npm run cleanup [-- --run <run id>] [--dry-run]`: on a live FortiSOAR, finds the records an
 * aborted run left behind (their name starts with the run marker, `conformance-suite <run id>`)
 * and deletes them, and nothing else. Without --run, every run's leftovers are removed.
 * Export templates and connector configurations the suite creates carry the same marker.
 */

import { parseArgs } from 'node:util';
import { config as dotenv } from 'dotenv';
import { MARKER } from '../src/cases/context.ts';
import { createClient } from '../src/client/products.ts';
import { loadConfigOrExit } from '../src/config/index.ts';
import { Redactor } from '../src/report/redact.ts';

dotenv({ quiet: true });
const { values } = parseArgs({ options: { run: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });

const config = loadConfigOrExit(process.env);
if (config.target !== 'live' || !config.fortisoar) {
  console.log('Nothing to clean: set CONFORMANCE_TARGET=live and FORTISOAR_URL (the built-in stub keeps nothing between runs).');
  process.exit(0);
}

const soar = config.fortisoar;
const prefix = values.run ? `${MARKER} ${values.run} ` : `${MARKER} `;
/** A name the suite gave: the marker as written, or reduced to a slug (user logins, file names). */
const slugPrefix = prefix.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();
const ours = (v: unknown): boolean => typeof v === 'string' && (v.startsWith(prefix) || v.toLowerCase().startsWith(slugPrefix));

const modules = [...new Set([soar.recordModule, soar.relation.parent, soar.relation.related, 'people', 'export_templates', 'import_jobs'])];
const fields = ['name', 'hostname', 'value', 'username', 'email'];
const redactor = new Redactor(config.secrets);
const api = createClient('fortisoar', config, redactor);
let found = 0;
let failed = 0;
for (const module of modules) {
  const doomed: string[] = [];
  for (let page = 1; page <= config.maxPages; page++) {
    const res = await api.get(`/api/3/${module}`, { query: { $limit: 100, $page: page } });
    if (res.status !== 200) {
      console.warn(`${module}: GET answered ${res.status}; skipped`);
      break;
    }
    const members = (res.json() as { 'hydra:member'?: Record<string, unknown>[] })['hydra:member'] ?? [];
    for (const r of members) if (fields.some((f) => ours(r[f])) && typeof r['@id'] === 'string') doomed.push(r['@id']);
    if (members.length < 100) break;
  }
  for (const iri of doomed) {
    found++;
    if (values['dry-run']) {
      console.log(`would delete ${iri}`);
      continue;
    }
    const res = await api.delete(iri);
    if (res.status >= 300 && res.status !== 404) {
      failed++;
      console.warn(`could not delete ${iri}: ${res.status}`);
    } else console.log(`deleted ${iri}`);
  }
}
api.close();
console.log(`${found} record(s) of ${values.run ? `run ${values.run}` : 'earlier runs'} found${values['dry-run'] ? '' : `, ${found - failed} deleted`}.`);
process.exit(failed === 0 ? 0 : 1);
