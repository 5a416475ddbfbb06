/**
 * What a scenario (how a status is provoked) or a paging mode (how a walk is checked) gets to
 * work with. Scenarios are plain async functions of this context: they call operations by their
 * operationId (the URL comes from the spec), check each answer against its operation with
 * `answer.expect()` (status, content type, schema), and state the document's sentences with
 * `rule`, which names the sentence's source and shows expected and received values.
 */

import type { Evidence, Source } from '../checks/response.ts';
import type { ApiClient, ApiResponse } from '../client/api.ts';
import type { CallRequest } from '../client/operation.ts';
import type { Config } from '../config/index.ts';
import type { Operation, ProductSpec } from '../spec/model.ts';
import type { Case } from './derive.ts';

export type { CallRequest };

/** An operation's answer, checked against that operation on demand. */
export interface Answer {
  readonly op: Operation;
  readonly res: ApiResponse;
  readonly status: number;
  readonly text: string;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Checks the answer against the documented response `status` of its operation (default: the
   * case's status for the case's own operation, else the operation's first documented success)
   * and returns the parsed body.
   */
  expect<T = any>(status?: string | number): T;
  /** Whether the status is one the documented response `status` (default as for `expect`) accepts. */
  accepted(status?: string | number): boolean;
}

export interface CaseContext {
  readonly case: Case;
  readonly config: Config;
  readonly spec: ProductSpec;
  /** True against a real instance (CONFORMANCE_TARGET=live): read what is there, never assume seed data. */
  readonly live: boolean;
  /** The operation of this case, or another of the same product by operationId. */
  op(operationId?: string): Operation;
  /** Sends a request to an operation of this product (default: this case's). */
  call(operationId: string, request?: CallRequest): Promise<Answer>;
  /**
   * The path parameters `iri` fills in an operation's template (`/api/3/alerts/<id>` for
   * `getRecord` gives `{ collection, uuid }`); a `[link]` finding when it fills none.
   */
  paramsOf(operationId: string, iri: string): Record<string, string>;
  /** A document sentence that must hold (default operation: this case's), with its source. */
  rule(holds: boolean, says: string, source: Source, evidence?: () => Evidence, operationId?: string): void;
  /** A named step of the test report. */
  step<T>(title: string, body: () => Promise<T>): Promise<T>;
  /** Skips the test with a reason (too little data on a live target, an operation not enabled, ...). */
  skip(reason: string): never;
  /** Runs after the test, pass or fail, in reverse order: removes what the test created. */
  defer(cleanup: () => Promise<unknown>): void;
  /** A recognisable, unique name for data the suite creates (marker, run id, counter, label). */
  unique(label: string): string;
  /** The HTTP client of this product: for what is not an operation of the spec (a token exchange). */
  readonly api: ApiClient;
  /** What the product's own scenarios provide to generic paging modes (src/cases/<product>/index.ts). */
  readonly hooks: ProductHooks;
  /** Stub mode only: the state of this product's stub in this worker, for seeding what the document lets a real server do on its own (new entries). */
  readonly stubState?: unknown;
  /**
   * Stub mode only: changes the stub's state in-process (`what` says how, "the log grows by 5
   * entries"). Recorded between the test's requests, so its reproduce.sh says where a replay over
   * HTTP cannot do the same. Change the state only through this.
   */
  changeStub<T>(what: string, change: (state: unknown) => T): T;
}

export type Scenario = (ctx: CaseContext) => Promise<void>;

/** Records a collection walk can select exactly: created by the test, removed after it. */
export interface SeededCollection {
  /** Path parameters of the collection's operation (`{ collection: 'alerts' }`). */
  readonly path: Readonly<Record<string, string>>;
  /** The query that selects exactly the records created (a field filter on their marked name). */
  readonly query: Readonly<Record<string, string>>;
  /** Their `@id`s. */
  readonly ids: ReadonlySet<string>;
}

export interface ProductHooks {
  /** Creates `count` records a collection walk can select with a query (FortiSOAR: Hydra collections). */
  readonly seedCollection?: (ctx: CaseContext, count: number) => Promise<SeededCollection>;
}

/**
 * A scenario or paging mode as the registry knows it: the function, and the JSON Schema of the
 * `x-cases[].params` it takes (validated when the suite is derived: an unknown or missing
 * parameter is a SpecError naming the place in the spec).
 */
export interface CaseRunner {
  readonly params?: ParamsSchema;
  readonly run: Scenario;
}

/** A JSON Schema for the params object (`additionalProperties: false` is added when absent). */
export interface ParamsSchema {
  readonly properties: Readonly<Record<string, object>>;
  readonly required?: readonly string[];
}

/** A runner without params. */
export const scenario = (run: Scenario): CaseRunner => ({ run });

/** A runner whose params are declared; `run` reads them from `ctx.case.params`, typed as `P`. */
export function withParams<P>(params: ParamsSchema, run: (ctx: CaseContext, params: P) => Promise<void>): CaseRunner {
  return { params, run: (ctx) => run(ctx, ctx.case.params as P) };
}
