/**
 * Builds the CaseContext a scenario runs with: calls by operationId checked against their
 * operation, rules with their source, steps, skips, deferred cleanup. The test fixture
 * (tests/playwright.extend.ts) only supplies the environment.
 */

import { ConformanceError, checkResponse, rule } from '../../checks/response.ts';
import type { ApiClient, ApiResponse } from '../../client/api.ts';
import { callOperation } from '../../client/operation.ts';
import type { Config } from '../../config/index.ts';
import type { Operation, ProductSpec } from '../../spec/model.ts';
import { paramsOf } from '../../spec/url.ts';
import type { Answer, CaseContext, ProductHooks } from '../context.ts';
import type { Case } from '../derive.ts';
import { refuseForeignRecords } from './ownership.ts';

export interface ContextDeps {
  readonly case: Case;
  readonly config: Config;
  readonly spec: ProductSpec;
  readonly api: ApiClient;
  readonly step: <T>(title: string, body: () => Promise<T>) => Promise<T>;
  readonly skip: (reason: string) => never;
  readonly defer: (cleanup: () => Promise<unknown>) => void;
  readonly unique: (label: string) => string;
  /** Redacts what a failure message shows (bodies, URLs, evidence may quote a token). */
  readonly redact: (s: string) => string;
  readonly hooks: ProductHooks;
  readonly stubState?: unknown;
  /** Records an in-process change of the stub's state, between the test's requests. */
  readonly noteStubChange?: (what: string) => void;
}

/** The status an answer is checked against when the scenario names none. */
function defaultStatus(c: Case, op: Operation): string {
  if (op === c.op) return c.status;
  const documented = Object.keys(op.responses);
  return documented.find((s) => s.startsWith('2')) ?? documented[0]!;
}

/** Runs a check; a failure's message goes through the redactor before anything shows it. */
function redacted<T>(redact: (s: string) => string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof Error) e.message = redact(e.message);
    throw e;
  }
}

export function createCaseContext(d: ContextDeps): CaseContext {
  /** Records found to be this run's before a write (ownership.ts), not read again. */
  const ours = new Set<string>();
  const op = (id?: string): Operation => {
    if (id === undefined) return d.case.op;
    const found = d.spec.byId.get(id);
    if (!found) throw new Error(`[cases] no operation ${id} in ${d.spec.file}`);
    return found;
  };
  const answerOf = (o: Operation, res: ApiResponse): Answer => ({
    op: o,
    res,
    status: res.status,
    text: res.text,
    headers: res.headers,
    expect: (status) => redacted(d.redact, () => checkResponse(o, status ?? defaultStatus(d.case, o), res, d.redact)),
    accepted: (status) => o.responses[String(status ?? defaultStatus(d.case, o))]?.acceptStatus.includes(res.status) ?? false,
  });
  return {
    case: d.case,
    config: d.config,
    spec: d.spec,
    live: d.config.target === 'live',
    api: d.api,
    stubState: d.stubState,
    changeStub: (what, change) => {
      if (d.stubState === undefined) throw new Error(`[cases] changeStub(${JSON.stringify(what)}) outside stub mode`);
      d.noteStubChange?.(what);
      return change(d.stubState);
    },
    hooks: d.hooks,
    op,
    call: async (operationId, request) => {
      const o = op(operationId);
      // Live: a record is changed or deleted only when it is one this run created (ownership.ts).
      if (d.config.target === 'live') await refuseForeignRecords(d.api, d.spec, o, request ?? {}, d.config.runId, ours);
      return answerOf(o, await callOperation(d.api, o, request));
    },
    paramsOf: (operationId, iri) => {
      const o = op(operationId);
      const params = paramsOf(o, iri);
      if (!params)
        throw new ConformanceError(d.redact(`[link] ${JSON.stringify(iri)} is not a path of ${o.method} ${o.path} (${o.doc.document} › ${o.doc.section})`));
      return params;
    },
    rule: (holds, says, source, evidence, operationId) => redacted(d.redact, () => rule(op(operationId), holds, says, source, evidence)),
    step: d.step,
    skip: d.skip,
    defer: d.defer,
    unique: d.unique,
  };
}
