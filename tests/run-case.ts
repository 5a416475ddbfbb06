/**
 * The body of every derived test (tests/playwright.extend.ts `conformance`): runs a case in the
 * current test, removes what it created, and attaches its exchanges (redacted) to the report.
 * Loaded by the workers on their first test, never by the runner: listing the tests needs the
 * specs and the derived cases only, not the client, the checks, the scenarios or the reports
 * (issue 14: the runner's loading is time before any worker starts).
 */
import { test } from '@playwright/test';
import type { Case } from '../src/cases/derive.ts';
import { createCaseContext } from '../src/cases/kit/context.ts';
import { PRODUCT_CASES } from '../src/cases/registry.ts';
import { runCase } from '../src/cases/run.ts';
import { type ApiClient, ThrottledError } from '../src/client/api.ts';
import { suiteName } from '../src/client/marker.ts';
import { preflightOutcome, preflightTitle } from '../src/client/preflight.ts';
import { CredentialsError } from '../src/client/products.ts';
import { loadConfig } from '../src/config/index.ts';
import { attachExchanges } from '../src/report/attachments.ts';
import { loadSpec, ROOT } from '../src/spec/load.ts';
import { type CaseFixtures, type RunOptions, SkippedCase } from './playwright.extend.ts';

let counter = 0;

/** Runs a case in the current test (see `conformance` in tests/playwright.extend.ts). */
export async function runConformance(c: Case, fixtures: CaseFixtures, options: RunOptions = {}): Promise<void> {
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
      // A step's location is its case's place in the spec, which the reports show for it.
      // (Playwright still captures a stack per step, about 0.4 ms each: decision 0014.)
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
