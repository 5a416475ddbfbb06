/**
 * The one place that defines `test`, `expect` and the fixtures, and derives a product's suite
 * from its spec. Worker fixtures: the configuration, the redactor, the stubs (stub mode: mounted
 * once per worker with nock), one client per product. `conformance()` runs a case in a test and
 * attaches its exchanges (redacted) to the report.
 */
import { runInThisContext } from 'node:vm';
import * as playwright from '@playwright/test';
import { expect, type TestType } from '@playwright/test';
import { type Case, runLabel, suiteCases } from '../src/cases/derive.ts';
import type { ApiClient } from '../src/client/api.ts';
import { type Config, loadConfig, type ProductId } from '../src/config/index.ts';
import type { Redactor } from '../src/report/redact.ts';
import { ROOT } from '../src/spec/load.ts';
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

/**
 * The suite's tests are API tests: they start from Playwright's root test type (`_baseTest`,
 * exported and typed by @playwright/test), not from `test`, whose browser fixtures include about
 * thirty test-scoped context options that an automatic fixture sets up and tears down around every
 * test, each a report step with a captured stack: 9 to 10 ms a test on the benchmark's machine,
 * more than the suite's own work (issue 14, decision 0014). Should a Playwright release drop
 * `_baseTest`, the suite falls back to `test`, slower and otherwise the same.
 */
// biome-ignore lint/complexity/noBannedTypes: Playwright's own type for a test type without fixtures
const base: TestType<{}, {}> = (playwright as { _baseTest?: TestType<{}, {}> })._baseTest ?? (playwright.test as unknown as TestType<{}, {}>);

export const test = base.extend<Record<never, never>, WorkerFixtures>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies by destructuring
  config: [async ({}, use) => use(loadConfig(process.env)), { scope: 'worker' }],

  redactor: [
    async ({ config }, use) => {
      const { Redactor } = await import('../src/report/redact.ts');
      await use(new Redactor(config.secrets));
    },
    { scope: 'worker' },
  ],

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
      const [{ createClient }, { Redactor }] = await Promise.all([import('../src/client/products.ts'), import('../src/report/redact.ts')]);
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
 * Runs a case in the current test and attaches its exchanges (redacted) to the report
 * (tests/run-case.ts, loaded on a worker's first test). A plain function over the worker fixtures
 * rather than a test fixture: a test fixture's setup and teardown are report steps whose stacks
 * Playwright captures and source-maps for every test.
 */
export async function conformance(c: Case, fixtures: CaseFixtures, options: RunOptions = {}): Promise<void> {
  const { runConformance } = await import('./run-case.ts');
  return runConformance(c, fixtures, options);
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
  // A bad case (an unknown scenario, params that do not fit it) stops the run in the runner's
  // global setup (tests/check-cases.setup.ts), before any worker starts.
  const cases = suiteCases(product);
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
