/**
 * One long walk, in its own process so that its memory is the walker's alone (the stub answers
 * from the parent process): `node --expose-gc --import tsx bench/walker.ts '<json WalkTarget>'`,
 * prints one JSON line (WalkResult).
 *
 * The walkers are what a consumer of each paging mode writes: plain fetch, one page at a time,
 * nothing kept but a Set of the ids seen (every entry once) and running counts. Memory is sampled
 * after every page, while the parsed page is still referenced, and every few milliseconds.
 */
import { performance } from 'node:perf_hooks';

export type WalkMode = 'hydra' | 'skip-limit' | 'page-token' | 'offset-limit';

export interface WalkTarget {
  readonly mode: WalkMode;
  readonly url: string;
  readonly pageSize: number;
  /** Entries the stub holds for this walk: the walk must read each exactly once. */
  readonly expected: number;
  /** Request headers (credentials, FortiCASB tenant headers). */
  readonly headers: Readonly<Record<string, string>>;
  /** FortiSOAR: log in first (`POST /auth/authenticate`), not part of the walk's time. */
  readonly login?: { readonly loginid: string; readonly password: string };
}

export interface WalkResult {
  readonly mode: WalkMode;
  readonly entries: number;
  readonly pages: number;
  readonly ms: number;
  /** Peak growth over the baseline taken after a full GC, in bytes. */
  readonly peakHeapGrowth: number;
  readonly peakRssGrowth: number;
  /** Peak growth of the heap V8 has committed (heapTotal): what most of the RSS growth is. */
  readonly peakHeapTotalGrowth: number;
  /** Growth left after the walk and a full GC (the Set of ids, mostly). */
  readonly retainedHeapGrowth: number;
  readonly problems: readonly string[];
}

type Json = Record<string, any>;

class Checker {
  readonly seen = new Set<string | number>();
  entries = 0;
  pages = 0;
  readonly problems: string[] = [];

  page(items: unknown, limit: number, idOf: (item: Json) => string | number): number {
    if (!Array.isArray(items)) {
      this.problem(`page ${this.pages + 1} has no item list`);
      return 0;
    }
    this.pages++;
    if (items.length > limit) this.problem(`page ${this.pages} holds ${items.length} entries, more than ${limit}`);
    for (const item of items) {
      const id = idOf(item as Json);
      if (this.seen.has(id)) this.problem(`entry ${id} read twice`);
      this.seen.add(id);
      this.entries++;
    }
    return items.length;
  }

  problem(p: string): void {
    if (this.problems.length < 10) this.problems.push(p);
  }
}

async function fetchJson(url: string, init: RequestInit): Promise<Json> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as Json;
}

/** FortiSOAR collections: `$limit`, then `hydra:view` → `hydra:next` until a page has none. */
async function walkHydra(t: WalkTarget, headers: Record<string, string>, check: Checker, sample: () => void): Promise<void> {
  let url: string | undefined = `${t.url}/api/3/alerts?$limit=${t.pageSize}`;
  while (url) {
    const body = await fetchJson(url, { headers });
    check.page(body['hydra:member'], t.pageSize, (m) => m['@id']);
    sample();
    const next: unknown = body['hydra:view']?.['hydra:next'];
    if (next !== undefined && typeof next !== 'string') check.problem(`hydra:next is ${JSON.stringify(next)}`);
    url = typeof next === 'string' ? new URL(next, t.url).href : undefined;
    if (check.pages > t.expected) throw new Error('the walk does not end');
  }
}

/** FortiCASB alert list: skip += limit until skip + limit >= totalCount. */
async function walkSkipLimit(t: WalkTarget, headers: Record<string, string>, check: Checker, sample: () => void): Promise<void> {
  const window = { startTime: 1, endTime: Date.now() };
  let total: number | undefined;
  for (let skip = 0; ; skip += t.pageSize) {
    const body = await fetchJson(`${t.url}/api/v1/alert/list`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ ...window, skip, limit: t.pageSize }),
    });
    check.page(body.data, t.pageSize, (a) => a.id);
    sample();
    total ??= body.totalCount as number;
    if (body.totalCount !== total) check.problem(`totalCount changed from ${total} to ${body.totalCount}`);
    if (skip + t.pageSize >= total) return;
  }
}

/** FMBS admin audit log: `pageToken` = the previous `nextPageToken`, until a page with no items. */
async function walkPageToken(t: WalkTarget, headers: Record<string, string>, check: Checker, sample: () => void): Promise<void> {
  let token: string | undefined;
  for (;;) {
    const q = new URLSearchParams({ limit: String(t.pageSize) });
    if (token !== undefined) q.set('pageToken', token);
    const body = await fetchJson(`${t.url}/api/admin-audit-log-entries?${q}`, { headers });
    const n = check.page(body.items, t.pageSize, (e) => e.id);
    sample();
    if (n === 0) return;
    if (typeof body.nextPageToken !== 'string') throw new Error(`page ${check.pages} has no nextPageToken`);
    token = body.nextPageToken;
  }
}

/** FortiSOAR workflow history: offset += limit until offset + limit >= hydra:totalItems. */
async function walkOffsetLimit(t: WalkTarget, headers: Record<string, string>, check: Checker, sample: () => void): Promise<void> {
  for (let offset = 0; ; offset += t.pageSize) {
    const body = await fetchJson(`${t.url}/api/wf/api/workflows/?format=json&offset=${offset}&limit=${t.pageSize}`, { headers });
    check.page(body['hydra:member'], t.pageSize, (w) => w.id);
    sample();
    if (offset + t.pageSize >= (body['hydra:totalItems'] as number)) return;
  }
}

const WALKERS = { hydra: walkHydra, 'skip-limit': walkSkipLimit, 'page-token': walkPageToken, 'offset-limit': walkOffsetLimit } as const;

const gc = (): void => {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('[bench] the walker needs node --expose-gc');
  g();
  g();
};

async function walk(t: WalkTarget): Promise<WalkResult> {
  const headers: Record<string, string> = { accept: 'application/json', ...t.headers };
  if (t.login) {
    const body = await fetchJson(`${t.url}/auth/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credentials: t.login }),
    });
    headers.authorization = `Bearer ${body.token}`;
  } else {
    // The first fetch loads and sets up undici: a fixed cost unrelated to the walk, paid before the baseline.
    await fetch(t.url, { headers }).then((r) => r.arrayBuffer());
  }
  gc();
  const base = process.memoryUsage();
  let peakHeap = base.heapUsed;
  let peakRss = base.rss;
  let peakHeapTotal = base.heapTotal;
  const sample = (): void => {
    const m = process.memoryUsage();
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapTotal > peakHeapTotal) peakHeapTotal = m.heapTotal;
  };
  const timer = setInterval(sample, 5);
  const check = new Checker();
  const started = performance.now();
  try {
    await WALKERS[t.mode](t, headers, check, sample);
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - started;
  sample();
  if (check.entries !== t.expected) check.problem(`read ${check.entries} entries, the stub holds ${t.expected}`);
  if (check.seen.size !== check.entries) check.problem(`${check.entries - check.seen.size} entries read more than once`);
  gc();
  const retained = process.memoryUsage().heapUsed - base.heapUsed;
  return {
    mode: t.mode,
    entries: check.entries,
    pages: check.pages,
    ms,
    peakHeapGrowth: peakHeap - base.heapUsed,
    peakRssGrowth: peakRss - base.rss,
    peakHeapTotalGrowth: peakHeapTotal - base.heapTotal,
    retainedHeapGrowth: retained,
    problems: check.problems,
  };
}

// The entry of the walker process; bench/walks.ts imports only its types.
const arg = process.argv[2];
if (!arg) throw new Error("[bench] usage: node --expose-gc --import tsx bench/walker.ts '<WalkTarget as JSON>'");
process.stdout.write(`${JSON.stringify(await walk(JSON.parse(arg) as WalkTarget))}\n`);
