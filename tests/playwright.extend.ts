/**
 * The one place that defines `test`, `expect` and the fixtures, and derives a product's suite
 * from its spec. Worker fixtures: the configuration, the redactor, the stubs (stub mode: mounted
 * once per worker with nock), one client per product. `conformance()` runs a case in a test and
 * attaches its exchanges (redacted) to the report.
 */
import { runInThisContext } from 'node:vm';
import { test as base, expect } from '@playwright/test';
import { type Case, deriveCases, runLabel } from '../src/cases/derive.ts';
import { createCaseContext } from '../src/cases/kit/context.ts';
import { checkCases, PRODUCT_CASES } from '../src/cases/registry.ts';
import { runCase } from '../src/cases/run.ts';
import { type ApiClient, ThrottledError } from '../src/client/api.ts';
import { suiteName } from '../src/client/marker.ts';
import { preflightOutcome, preflightTitle } from '../src/client/preflight.ts';
import { CredentialsError, createClient } from '../src/client/products.ts';
import { type Config, loadConfig, type ProductId } from '../src/config/index.ts';
import { attachExchanges } from '../src/report/attachments.ts';
import { Redactor } from '../src/report/redact.ts';
import { loadSpec, ROOT } from '../src/spec/load.ts';
import type { SpecLocation } from '../src/spec/model.ts';
import { STUB_URLS } from '../src/stub/credentials.ts';
import type { Stub } from '../src/stub/index.ts';

interface WorkerFixtures {
  config: Config;
  redactor: Redactor;
  /**
   * Stub mode: the product's stub in this worker (or a variant of it), mounted on first use. The
   * mount answers from the stub the running test selected, so that one worker serves every variant.
   */
  stubs: ((product: ProductId, variant?: string) => Stub<unknown>) | undefined;
  /** The client of a product (of a variant of the stub: its own client, redactor and tokens). */
  clients: (product: ProductId, variant?: string) => Promise<ApiClient>;
}

/** How a test runs its case: against a variant of the stub, with settings of its own (tests/variants). */
export interface RunOptions {
  /** A variant of the stub (src/stub/variants/) to answer instead of the stub. */
  readonly variant?: string;
  /** Settings added to the environment's for this case (a latitude variant's FORTISOAR_VERSION). */
  readonly env?: Readonly<Record<string, string>>;
  /** A skip is an error (a broken variant must be caught, not skipped). */
  readonly skipIsFailure?: boolean;
}

/** A case that skipped where it had to run (a broken variant must be caught, not skipped). */
export class SkippedCase extends Error {
  override name = 'SkippedCase';
}

let counter = 0;

export const test = base.extend<Record<never, never>, WorkerFixtures>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies by destructuring
  config: [async ({}, use) => use(loadConfig(process.env)), { scope: 'worker' }],

  redactor: [async ({ config }, use) => use(new Redactor(config.secrets)), { scope: 'worker' }],

  stubs: [
    async ({ config }, use) => {
      if (config.target !== 'stub') return use(undefined);
      // Loaded only in stub mode: live runs need neither the stub, its seed data nor nock.
      const [{ createStub }, { mountStubs }] = await Promise.all([import('../src/stub/index.ts'), import('../src/stub/mount.ts')]);
      const stubs = new Map<ProductId, Stub<unknown>>();
      // The stubs of the one variant in use: a variant's tests run one after another in a worker (tests/variants).
      let variantStubs = { id: '', stubs: new Map<ProductId, Stub<unknown>>() };
      const current = new Map<ProductId, Stub<unknown>>();
      const unmounts: (() => void)[] = [];
      await use((product, variant = config.stubMutant) => {
        let stub: Stub<unknown> | undefined;
        // FortiSOAR's stub answers what the guide says of the version checked (FORTISOAR_VERSION).
        const fortisoar = product === 'fortisoar' ? { version: config.fortisoar?.version } : undefined;
        if (variant === undefined) {
          stub = stubs.get(product) ?? createStub(product, undefined, fortisoar);
          stubs.set(product, stub);
        } else {
          if (variantStubs.id !== variant) variantStubs = { id: variant, stubs: new Map() };
          stub = variantStubs.stubs.get(product) ?? createStub(product, variant, fortisoar);
          variantStubs.stubs.set(product, stub);
        }
        if (!current.has(product)) {
          const answering = { handle: (req: Parameters<Stub<unknown>['handle']>[0]) => current.get(product)!.handle(req) } as Stub<unknown>;
          unmounts.push(mountStubs([{ url: STUB_URLS[product], stub: answering }]));
        }
        current.set(product, stub);
        return stub;
      });
      for (const unmount of unmounts) unmount();
    },
    { scope: 'worker' },
  ],

  clients: [
    async ({ config, redactor }, use, workerInfo) => {
      // The run's rate and concurrency limits are shared by the workers (src/client/limits.ts).
      const make = (product: ProductId, r: Redactor) => Promise.resolve(createClient(product, config, r, { workers: workerInfo.config.workers }));
      const clients = new Map<ProductId, Promise<ApiClient>>();
      // The clients of the one variant in use (tests/variants), with a redactor of their own: it
      // learns only the tokens that variant's stubs issue. One redactor for every variant would
      // learn a token per variant and product, hundreds, each matched in all its forms in every
      // text it redacts.
      let ofVariant = { id: '', redactor, clients: new Map<ProductId, Promise<ApiClient>>() };
      await use(async (product, variant) => {
        if (variant === undefined) {
          if (!clients.has(product)) clients.set(product, make(product, redactor));
          return clients.get(product)!;
        }
        if (ofVariant.id !== variant) {
          for (const client of ofVariant.clients.values()) (await client).close();
          ofVariant = { id: variant, redactor: new Redactor(config.secrets), clients: new Map() };
        }
        if (!ofVariant.clients.has(product)) ofVariant.clients.set(product, make(product, ofVariant.redactor));
        return ofVariant.clients.get(product)!;
      });
      for (const client of [...clients.values(), ...ofVariant.clients.values()]) (await client).close();
    },
    { scope: 'worker' },
  ],
});

/** The worker fixtures a case runs with. */
export type CaseFixtures = Pick<WorkerFixtures, 'config' | 'clients' | 'stubs' | 'redactor'>;

/**
 * Runs a case in the current test and attaches its exchanges (redacted) to the report. A plain
 * function over the worker fixtures rather than a test fixture: a test fixture's setup and
 * teardown are report steps whose stacks Playwright captures and source-maps for every test.
 */
export async function conformance(c: Case, fixtures: CaseFixtures, options: RunOptions = {}): Promise<void> {
  const { config: workerConfig, clients, stubs } = fixtures;
  /** The worker's redactor, then the client's (a variant's client has its own). */
  let redactor = fixtures.redactor;
  const testInfo = test.info();
  const cleanups: (() => Promise<unknown>)[] = [];
  /** In-process changes of the stub's state, each after the exchange of that index (-1: before any). */
  const stubChanges: { after: number; what: string }[] = [];
  let api: ApiClient | undefined;
  let outcome: { error?: unknown } = {};
  let skipping = false;
  const config = options.env ? loadConfig({ ...process.env, ...options.env }) : workerConfig;
  const skip = (reason: string): never => {
    if (options.skipIsFailure) throw new SkippedCase(`skipped: ${reason}`);
    skipping = true;
    test.skip(true, reason);
    throw new Error('unreachable');
  };
  try {
    // A real log collection or import can take minutes; their scenarios poll with their own deadline.
    if (config.target === 'live' && c.tags.includes('@async')) testInfo.setTimeout(15 * 60_000);
    const skipped = config.skipped[c.product];
    if (skipped) skip(skipped);
    // Live mode: the runner's preflight of the product failed (its own test reports why).
    if (config.target === 'live' && preflightOutcome(c.product) instanceof Error) skip(`not run: "${preflightTitle(c.product)}" failed`);
    const stub = stubs?.(c.product, options.variant);
    // An operation the stub does not implement yet skips its own tests, naming it (the stub never answers from the spec's examples).
    if (stub && !stub.implements(c.op.operationId)) skip(`the ${c.product} stub does not implement ${c.op.operationId} yet (src/stub/${c.product}/)`);
    api = await clients(c.product, options.variant);
    redactor = api.redactor;
    api.log = [];
    const location = { file: `${ROOT}/${c.where.file}`, line: c.where.line, column: c.where.column };
    const ctx = createCaseContext({
      case: c,
      config,
      spec: loadSpec(c.product),
      api,
      hooks: PRODUCT_CASES[c.product].hooks ?? {},
      // A step's location is its case's place in the spec: given, Playwright need not capture
      // and source-map a stack for every step (a few milliseconds each).
      step: (title, body) => test.step(title, body, { location }),
      skip,
      defer: (cleanup) => cleanups.push(cleanup),
      unique: (label) => suiteName(config.runId, testInfo.workerIndex, ++counter, label).name,
      redact: (s) => redactor.text(s),
      stubState: stub?.state,
      noteStubChange: (what) => stubChanges.push({ after: (api?.log.length ?? 0) - 1, what }),
    });
    try {
      await runCase(ctx);
    } catch (e) {
      if (e instanceof CredentialsError) throw new Error(e.message);
      // A server that kept throttling gave nothing to judge: the test is not judged, saying why.
      if (e instanceof ThrottledError) skip(redactor.text(e.message));
      if (e instanceof Error) e.message = redactor.text(e.message);
      throw e;
    }
  } catch (e) {
    // A skip is not a failure: Playwright's skip throws too, and the test ends skipped.
    if (!skipping) outcome = { error: e };
    throw e;
  } finally {
    // Remove what the test created, pass or fail; a failed cleanup is reported, never hidden.
    const problems: string[] = [];
    const lastOwnExchange = (api?.log.length ?? 0) - 1;
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((e: unknown) => problems.push((e as Error).message));
    }
    if (api)
      await attachExchanges(testInfo, api.log, redactor, lastOwnExchange, { config, stubMutant: options.variant ?? config.stubMutant, outcome, stubChanges });
    const throttled = api?.log.filter((e) => e.waitedOut).length ?? 0;
    if (throttled > 0) testInfo.annotations.push({ type: 'throttled', description: String(throttled) });
    if (problems.length) console.warn(redactor.text(`[cleanup] ${testInfo.title}: ${problems.join('; ')}`));
  }
}

/**
 * Declares a test so that its location is the place in the spec that declares the case
 * (`specs/fortisoar.yaml:412:15`), in the list output and every report: Playwright takes a test's
 * location from the frame that calls `test()`, so the call is made from a function compiled with
 * that file name and position.
 */
type Declarer = (t: typeof test, title: string, details: object, body: (f: CaseFixtures) => Promise<void>) => void;
const declarers = new Map<string, Declarer>();
function declareAt(where: SpecLocation, title: string, details: object, body: (f: CaseFixtures) => Promise<void>): void {
  const key = `${where.file}:${where.line}:${where.column}`;
  let declare = declarers.get(key);
  if (declare === undefined) {
    declare = runInThisContext(`(function (test, title, details, body) {\n${' '.repeat(Math.max(0, where.column - 1))}test(title, details, body);\n})`, {
      filename: `${ROOT}/${where.file}`,
      lineOffset: where.line - 2,
    }) as Declarer;
    declarers.set(key, declare);
  }
  declare(test, title, details, body);
}

/**
 * The order tests are declared in (and so run in): the spec's, or `CONFORMANCE_ORDER=reverse` or
 * `shuffle:<seed>`, so that `npm test` shows no test depends on what ran before it.
 */
function ordered<T>(items: readonly T[], order = loadConfig(process.env).order): T[] {
  if (order.kind === 'spec') return [...items];
  if (order.kind === 'reverse') return [...items].reverse();
  // mulberry32: a small seeded generator, the same order for the same seed.
  let a = order.seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Declares one test per case of the product's spec: title `<METHOD> <path> → <status> <behaviour>`.
 * The cases of operations that serve one request at a time (`x-one-at-a-time`) run one after
 * another in one worker (an untitled describe in default mode) and are declared first, so that they
 * wait on each other only and overlap the rest of the suite; so are the other asynchronous jobs
 * (@async: the import and export chains), which start early instead of ending the run.
 */
export function deriveSuite(product: ProductId): void {
  const cases = deriveCases(loadSpec(product)).filter((c) => c.op.auxiliary === undefined);
  // The runner loads every spec file before any worker does and stops the run on a bad case; the
  // workers (TEST_WORKER_INDEX set) skip the check, which compiles a validator per scenario (issue 14).
  if (process.env.TEST_WORKER_INDEX === undefined) checkCases(cases);
  const groups = new Map<string, Case[]>();
  for (const c of cases) if (c.op.oneAtATime) groups.set(c.op.oneAtATime, [...(groups.get(c.op.oneAtATime) ?? []), c]);
  for (const group of groups.values()) {
    test.describe(() => {
      test.describe.configure({ mode: 'default' });
      for (const c of ordered(group)) declareCase(c);
    });
  }
  const rest = cases.filter((c) => !c.op.oneAtATime);
  const first = (c: Case) => (c.tags.includes('@async') ? 0 : 1);
  for (const c of ordered(rest).sort((a, b) => first(a) - first(b))) declareCase(c);
}

function declareCase(c: Case): void {
  declareAt(
    c.where,
    c.title,
    {
      tag: [...c.tags],
      annotation: [
        { type: 'case', description: c.id },
        { type: 'document', description: `${c.doc.document} › ${c.doc.section}` },
        { type: 'spec', description: `${c.where.file}:${c.where.line}` },
        { type: 'safety', description: c.safety },
        ...(c.since ? [{ type: 'since', description: c.since }] : []),
        ...(c.kind === 'paging' ? [{ type: 'paging', description: c.mode }] : []),
        { type: 'runs', description: runLabel(c) },
      ],
    },
    async ({ config, clients, stubs, redactor }) => conformance(c, { config, clients, stubs, redactor }),
  );
}

export { expect };
