/**
 * What a scenario (how a status is provoked) or a paging mode (how a walk is checked) gets to
 * work with. Scenarios are plain async functions of this context; they send requests through
 * `api`, check each answer with `expect` (status, content type, schema) and state the document's
 * sentences with `rule`.
 */
import type { ApiClient, ApiResponse } from '../client/api.ts';
import type { Config } from '../config/index.ts';
import type { Operation, ProductSpec } from '../spec/model.ts';
import type { Case } from './derive.ts';

export interface CaseContext {
  readonly case: Case;
  readonly config: Config;
  readonly spec: ProductSpec;
  readonly api: ApiClient;
  /** True against a real instance (CONFORMANCE_TARGET=live): read what is there, never assume seed data. */
  readonly live: boolean;
  /** The operation of this case, or another of the same product by operationId. */
  op(operationId?: string): Operation;
  /**
   * Checks a response against the documented response `status` (default: this case's) of an
   * operation (default: this case's) and returns the parsed body.
   */
  expect<T = any>(res: ApiResponse, status?: string | number, operationId?: string): T;
  /** A document sentence that must hold (default operation: this case's). */
  rule(holds: boolean, sentence: string, evidence?: () => string, operationId?: string): void;
  /** A named step of the test report. */
  step<T>(title: string, body: () => Promise<T>): Promise<T>;
  /** Skips the test with a reason (too little data on a live target, an operation not enabled, ...). */
  skip(reason: string): never;
  /** Runs after the test, pass or fail, in reverse order: removes what the test created. */
  defer(cleanup: () => Promise<unknown>): void;
  /** A recognisable, unique name for data the suite creates: `conformance-suite <run id> <n> <label>`. */
  unique(label: string): string;
  /** Stub mode only: the state of this product's stub in this worker, for seeding what the document lets a real server do on its own (new entries). */
  readonly stubState?: unknown;
}

export type Scenario = (ctx: CaseContext) => Promise<void>;

/** Prefix of every name the suite gives to data it creates; `npm run cleanup` looks for it. */
export const MARKER = 'conformance-suite';
