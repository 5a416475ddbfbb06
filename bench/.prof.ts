import { performance } from 'node:perf_hooks';
import { callOperation } from '../src/client/operation.ts';
import { createClient } from '../src/client/products.ts';
import { loadConfig } from '../src/config/index.ts';
import { Redactor } from '../src/report/redact.ts';
import { operation } from '../src/spec/load.ts';
import { STUB_URLS } from '../src/stub/credentials.ts';
import { createStub } from '../src/stub/index.ts';
import { mountStubs } from '../src/stub/mount.ts';

const config = loadConfig({ CONFORMANCE_TARGET: 'stub' });
const redactor = new Redactor(config.secrets);
const stub = createStub('fortisoar');
mountStubs([{ url: STUB_URLS.fortisoar, stub }]);
const client = createClient('fortisoar', config, redactor);
const list = operation('fortisoar', 'listRecords');
const get = operation('fortisoar', 'getRecord');
const page = await callOperation(client, list, { path: { collection: 'alerts' }, query: { $limit: 30 } });
const first = JSON.parse(page.text)['hydra:member'][0]['@id'];
const n = Number(process.env.N ?? 2000);
for (let i = 0; i < 100; i++) {
  await callOperation(client, get, { link: first });
  client.log.length = 0;
}
const t = performance.now();
for (let i = 0; i < n; i++) {
  await callOperation(client, get, { link: first });
  client.log.length = 0;
}
console.log('per request ms', (performance.now() - t) / n);
client.close();
process.exit(0);
