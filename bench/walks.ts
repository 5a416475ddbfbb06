/**
 * Long walks: 100,000 entries through each paging mode of the HTTP stub (`npm run stub`'s
 * servers, started here with no delay). The stub is seeded through its state objects, as
 * `ctx.stubState` seeds it in stub mode (the stub code is not changed); each walk runs in its own
 * process (bench/walker.ts) so that its time and memory are the walker's.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ProductId } from '../src/config/index.ts';
import { STUB_CREDENTIALS } from '../src/stub/credentials.ts';
import { appendEntries, type FmbsState } from '../src/stub/fmbs/index.ts';
import type { CasbState } from '../src/stub/forticasb/index.ts';
import { adminState } from '../src/stub/fortisoar/admin-state.ts';
import type { FortiSoarState } from '../src/stub/fortisoar/state.ts';
import type { Stub } from '../src/stub/index.ts';
import { startStubServers } from '../src/stub/serve.ts';
import { ROOT } from './playwright.ts';
import { type Summary, summarise, summary } from './stats.ts';
import type { WalkMode, WalkResult, WalkTarget } from './walker.ts';

interface Mode {
  readonly mode: WalkMode;
  readonly label: string;
  readonly product: ProductId;
  /** Tops the stub's state up to `entries` entries that the walk reads; returns how many it holds. */
  seed(state: unknown, entries: number): number;
  target(url: string): Omit<WalkTarget, 'pageSize' | 'expected'>;
}

const soar = STUB_CREDENTIALS.fortisoar;
const casb = STUB_CREDENTIALS.forticasb;

/** FortiSOAR alerts: copies of the seed alerts, stored with `FortiSoarState.insert` as a create would. */
function seedAlerts(state: unknown, entries: number): number {
  const s = state as FortiSoarState;
  const records = s.records('alerts');
  const templates = [...records.values()].map((r) => ({ name: r.name, description: r.description, source: r.source }));
  for (let i = 0; records.size < entries; i++) {
    const t = templates[i % templates.length]!;
    s.insert('alerts', { ...t, name: `${String(t.name)} #${i}` });
  }
  return records.size;
}

/** Workflow executions: copies of the seed executions, one a minute after the newest. */
function seedExecutions(state: unknown, entries: number): number {
  const admin = adminState(state as FortiSoarState);
  const rows = admin.workflows;
  const templates = rows.slice();
  let id = Math.max(...rows.map((w) => w.id));
  let ms = Math.max(...rows.map((w) => Date.parse(w.created)));
  for (let i = 0; rows.length < entries; i++) {
    ms += 60_000;
    rows.push({
      ...templates[i % templates.length]!,
      id: ++id,
      parent: null,
      created: new Date(ms).toISOString(),
      modified: new Date(ms + 5_000).toISOString(),
    });
  }
  return rows.length;
}

const matchesTenant = (a: CasbState['alerts'][number]): boolean =>
  String(a.companyId) === casb.companyId && a.buId === Number(casb.buId) && a.service.toLowerCase() === casb.service.toLowerCase();

/** FortiCASB alerts of the configured tenant and service: copies of the seed alerts, each a minute older than the oldest (the list stays newest first). */
function seedCasbAlerts(state: unknown, entries: number): number {
  const s = state as CasbState;
  const templates = s.alerts.filter(matchesTenant);
  let count = templates.length;
  let ms = Math.min(...s.alerts.map((a) => a.createTime));
  for (let i = 0; count < entries; i++, count++) {
    ms -= 60_000;
    const id = `bench${String(i).padStart(27, '0')}`;
    s.alerts.push({ ...templates[i % templates.length]!, id, timestampUUID: id, eventId: id, eventIdList: [id], createTime: ms, updateTime: ms + 1_000 });
  }
  return s.alerts.filter(matchesTenant).length;
}

/** FMBS audit log: `appendEntries`, the stub's own way of letting the log grow. */
function seedAuditLog(state: unknown, entries: number): number {
  const s = state as FmbsState;
  appendEntries(s, Math.max(0, entries - s.entries.length));
  return s.entries.length;
}

export const MODES: readonly Mode[] = [
  {
    mode: 'page-token',
    label: 'FMBS audit log, limit + pageToken/nextPageToken',
    product: 'fmbs',
    seed: seedAuditLog,
    target: (url) => ({ mode: 'page-token', url, headers: { authorization: `Bearer ${STUB_CREDENTIALS.fmbs.token}` } }),
  },
  {
    mode: 'hydra',
    label: 'FortiSOAR records, Hydra $limit/$page via hydra:next',
    product: 'fortisoar',
    seed: seedAlerts,
    target: (url) => ({ mode: 'hydra', url, headers: {}, login: { loginid: soar.username, password: soar.password } }),
  },
  {
    mode: 'skip-limit',
    label: 'FortiCASB alert list, skip/limit/totalCount',
    product: 'forticasb',
    seed: seedCasbAlerts,
    target: (url) => ({
      mode: 'skip-limit',
      url,
      headers: { authorization: `Bearer ${casb.token}`, companyId: casb.companyId, buId: casb.buId, service: casb.service },
    }),
  },
  {
    mode: 'offset-limit',
    label: 'FortiSOAR workflow history, offset/limit',
    product: 'fortisoar',
    seed: seedExecutions,
    target: (url) => ({ mode: 'offset-limit', url, headers: {}, login: { loginid: soar.username, password: soar.password } }),
  },
];

/**
 * Sums the time the stub's handler takes, by wrapping `handle` on this one instance (the HTTP
 * server calls it per request); the stub's code is unchanged.
 */
function timeHandler(stub: Stub<unknown>): { reset(): void; ms(): number } {
  let total = 0;
  const handle = stub.handle.bind(stub);
  stub.handle = async (req) => {
    const started = performance.now();
    try {
      return await handle(req);
    } finally {
      total += performance.now() - started;
    }
  };
  return { reset: () => (total = 0), ms: () => total };
}

function runWalker(target: WalkTarget): Promise<WalkResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench', 'walker.ts'), JSON.stringify(target)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-4_000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop();
      if (code !== 0 || !line) return reject(new Error(`[bench] walker ${target.mode} exited ${code}\n${err}`));
      resolve(JSON.parse(line) as WalkResult);
    });
  });
}

export interface WalkFigures {
  readonly mode: WalkMode;
  readonly label: string;
  readonly entries: number;
  readonly pageSize: number;
  readonly pages: number;
  readonly seedMs: number;
  readonly ms: Summary;
  readonly peakHeapGrowth: Summary;
  readonly peakRssGrowth: Summary;
  readonly peakHeapTotalGrowth: Summary;
  readonly retainedHeapGrowth: Summary;
  /** Time the stub's handler took over the walk (routing, filtering, paging, presenting; not serialising or HTTP). */
  readonly handlerMs: Summary;
  readonly problems: readonly string[];
}

export async function longWalks(opts: { runs: number; entries: number; pageSize: number; log: (line: string) => void }): Promise<WalkFigures[]> {
  const figures: WalkFigures[] = [];
  for (const m of MODES) {
    const running = await startStubServers({ port: 0, products: [m.product] });
    try {
      const started = performance.now();
      const entries = m.seed(running.stubs.get(m.product)!.state, opts.entries);
      const seedMs = performance.now() - started;
      const target: WalkTarget = { ...m.target(running.urls[m.product]), pageSize: opts.pageSize, expected: entries };
      const handler = timeHandler(running.stubs.get(m.product)!);
      const results: WalkResult[] = [];
      const handlerMs: number[] = [];
      for (let i = 0; i < opts.runs; i++) {
        handler.reset();
        const r = await runWalker(target);
        handlerMs.push(handler.ms());
        opts.log(
          `walk ${m.mode} ${i + 1}/${opts.runs}: ${r.entries} entries, ${r.pages} pages in ${(r.ms / 1000).toFixed(2)} s, heap +${(r.peakHeapGrowth / 1e6).toFixed(1)} MB, rss +${(r.peakRssGrowth / 1e6).toFixed(1)} MB, stub handler ${(handler.ms() / 1000).toFixed(2)} s${r.problems.length ? `; ${r.problems.join('; ')}` : ''}`,
        );
        results.push(r);
      }
      figures.push({
        mode: m.mode,
        label: m.label,
        entries,
        pageSize: opts.pageSize,
        pages: results[0]!.pages,
        seedMs,
        ms: summarise(results, (r) => r.ms),
        peakHeapGrowth: summarise(results, (r) => r.peakHeapGrowth),
        peakRssGrowth: summarise(results, (r) => r.peakRssGrowth),
        peakHeapTotalGrowth: summarise(results, (r) => r.peakHeapTotalGrowth),
        handlerMs: summary(handlerMs),
        retainedHeapGrowth: summarise(results, (r) => r.retainedHeapGrowth),
        problems: [...new Set(results.flatMap((r) => r.problems))],
      });
    } finally {
      await running.close();
    }
  }
  return figures;
}
