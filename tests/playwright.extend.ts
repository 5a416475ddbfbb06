/**
 * The one place that defines `test`, `expect` and the fixtures, and derives a product's suite
 * from its spec. Worker fixtures: the configuration, the redactor, the stubs (stub mode: mounted
 * once per worker with nock), one request context and client per product. Test fixture:
 * `conformance`, which runs a case and attaches its exchanges (redacted) to the report.
 */
import { test as base, expect } from '@playwright/test';
import type { CaseContext } from '../src/cases/context.ts';
import { type Case, deriveCases } from '../src/cases/derive.ts';
import { runCase } from '../src/cases/run.ts';
import { checkResponse, rule } from '../src/checks/response.ts';
import type { ApiClient } from '../src/client/api.ts';
import { suiteName } from '../src/client/marker.ts';
import { CredentialsError, createClient } from '../src/client/products.ts';
import { type Config, loadConfig, type ProductId } from '../src/config/index.ts';
import { attachExchanges } from '../src/report/attachments.ts';
import { Redactor } from '../src/report/redact.ts';
import { loadSpec } from '../src/spec/load.ts';
import { STUB_URLS } from '../src/stub/credentials.ts';
import type { Stub } from '../src/stub/index.ts';

interface WorkerFixtures {
  /** The broken variant of the stub this project mounts (mutation self-test: playwright.mutants.config.ts). */
  stubMutant: string | undefined;
  config: Config;
  redactor: Redactor;
  /** Stub mode: the product's stub in this worker, created and mounted on first use. */
  stubs: ((product: ProductId) => Stub<unknown>) | undefined;
  clients: (product: ProductId) => Promise<ApiClient>;
}

interface TestFixtures {
  conformance: (c: Case) => Promise<void>;
}

let counter = 0;

export const test = base.extend<TestFixtures, WorkerFixtures>({
  stubMutant: [undefined, { scope: 'worker', option: true }],

  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies by destructuring
  config: [async ({}, use) => use(loadConfig(process.env)), { scope: 'worker' }],

  redactor: [async ({ config }, use) => use(new Redactor(config.secrets)), { scope: 'worker' }],

  stubs: [
    async ({ config, stubMutant }, use) => {
      if (config.target !== 'stub') return use(undefined);
      // Loaded only in stub mode: live runs need neither the stub, its seed data nor nock.
      const [{ createStub }, { mountStubs }] = await Promise.all([import('../src/stub/index.ts'), import('../src/stub/mount.ts')]);
      const stubs = new Map<ProductId, Stub<unknown>>();
      const unmounts: (() => void)[] = [];
      await use((product) => {
        let stub = stubs.get(product);
        if (!stub) {
          stub = createStub(product, stubMutant ?? config.stubMutant);
          stubs.set(product, stub);
          unmounts.push(mountStubs([{ url: STUB_URLS[product], stub }]));
        }
        return stub;
      });
      for (const unmount of unmounts) unmount();
    },
    { scope: 'worker' },
  ],

  clients: [
    async ({ config, redactor, stubs }, use, workerInfo) => {
      const clients = new Map<ProductId, Promise<ApiClient>>();
      await use((product) => {
        let client = clients.get(product);
        if (!client) {
          stubs?.(product);
          // The run's rate and concurrency limits are shared by the workers (src/client/limits.ts).
          client = Promise.resolve(createClient(product, config, redactor, { workers: workerInfo.config.workers }));
          clients.set(product, client);
        }
        return client;
      });
      for (const client of clients.values()) (await client).close();
    },
    { scope: 'worker' },
  ],

  conformance: async ({ config, clients, stubs, redactor }, use, testInfo) => {
    const cleanups: (() => Promise<unknown>)[] = [];
    let api: ApiClient | undefined;
    await use(async (c) => {
      // A real log collection or import can take minutes; their scenarios poll with their own deadline.
      if (config.target === 'live' && c.tags.includes('@async')) testInfo.setTimeout(15 * 60_000);
      const skipped = config.skipped[c.product];
      if (skipped) test.skip(true, skipped);
      api = await clients(c.product);
      api.log = [];
      const spec = loadSpec(c.product);
      const opOf = (id?: string) => (id ? (spec.byId.get(id) ?? fail(`no operation ${id} in specs/${c.product}.yaml`)) : c.op);
      const ctx: CaseContext = {
        case: c,
        config,
        spec,
        api,
        live: config.target === 'live',
        op: opOf,
        // Every failure message goes through the redactor: bodies, evidence and schema errors may quote a token.
        expect: (res, status, operationId) => redacted(() => checkResponse(opOf(operationId), status ?? c.status, res, (s) => redactor.body(s))),
        rule: (holds, sentence, evidence, operationId) => redacted(() => rule(opOf(operationId), holds, sentence, () => (evidence ? evidence() : ''))),
        step: (title, body) => test.step(title, body),
        skip: (reason) => {
          test.skip(true, reason);
          throw new Error('unreachable');
        },
        defer: (cleanup) => cleanups.push(cleanup),
        unique: (label) => suiteName(config.runId, testInfo.workerIndex, ++counter, label).name,
        stubState: stubs?.(c.product).state,
      };
      function redacted<T>(check: () => T): T {
        try {
          return check();
        } catch (e) {
          if (e instanceof Error) e.message = redactor.text(e.message);
          throw e;
        }
      }
      try {
        await runCase(ctx);
      } catch (e) {
        if (e instanceof CredentialsError) throw new Error(e.message);
        if (e instanceof Error) e.message = redactor.text(e.message);
        throw e;
      }
    });
    // Remove what the test created, pass or fail; a failed cleanup is reported, never hidden.
    const problems: string[] = [];
    const lastOwnExchange = (api?.log.length ?? 0) - 1;
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((e: unknown) => problems.push((e as Error).message));
    }
    if (api) await attachExchanges(testInfo, api.log, redactor, lastOwnExchange);
    if (problems.length) console.warn(redactor.text(`[cleanup] ${testInfo.title}: ${problems.join('; ')}`));
  },
});

function fail(message: string): never {
  throw new Error(`[spec] ${message}`);
}

/** Declares one test per case of the product's spec: title `<METHOD> <path> → <status> <behaviour>`. */
export function deriveSuite(product: ProductId): void {
  for (const c of deriveCases(loadSpec(product))) {
    test(
      c.title,
      {
        tag: [...c.tags],
        annotation: [
          { type: 'document', description: `${c.doc.document} › ${c.doc.section}` },
          { type: 'safety', description: c.safety },
          ...(c.since ? [{ type: 'since', description: c.since }] : []),
          ...(c.scenario.startsWith('paging:') ? [{ type: 'paging', description: c.scenario.slice('paging:'.length) }] : []),
        ],
      },
      async ({ conformance }) => conformance(c),
    );
  }
}

export { expect };
