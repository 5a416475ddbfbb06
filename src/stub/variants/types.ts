/**
 * Variants of the stub: broken ones (a document sentence violated; the suite must fail the cases
 * each names) and latitude ones (a freedom the documents leave used; the suite must pass). The
 * self-test (tests/variants/) runs each variant's cases against a stub wrapped by it.
 */
import type { Source } from '../../checks/response.ts';
import type { HandlerContext, StubResponse, StubVariant } from '../core/types.ts';

export type Wrap<S> = (ctx: HandlerContext<S>, next: (ctx?: HandlerContext<S>) => Promise<StubResponse>) => Promise<StubResponse>;

/** A broken variant: the cases it names (case ids, `*` matching any characters) must each fail against it with a finding. */
export interface BrokenVariant<S = any> extends StubVariant<S> {
  readonly kind: 'broken';
  /** What is broken, in the words of the document sentence it violates. */
  readonly breaks: string;
  readonly cases: readonly string[];
}

/** A latitude variant: every case of its product (or of `cases`) must pass against it, or skip with a reason. */
export interface LatitudeVariant<S = any> extends StubVariant<S> {
  readonly kind: 'latitude';
  /**
   * Only these cases (ids, `*` as a wildcard), where the freedom leaves others too little data to
   * choose from in the stub (a live target would skip them, and the stub must not).
   */
  readonly cases?: readonly string[];
  /** The freedom it uses. */
  readonly uses: string;
  /** Where the documents leave that freedom (a sentence, or the field note that records it). */
  readonly source: Source;
  /** Settings the suite runs with against it (FORTISOAR_VERSION for an older server). */
  readonly env?: Readonly<Record<string, string>>;
}

export type Variant = BrokenVariant | LatitudeVariant;

/** A broken variant, declared the one way every product declares them. */
export const broken = <S>(v: Omit<BrokenVariant<S>, 'kind'>): BrokenVariant<S> => ({ kind: 'broken', ...v });

/** A latitude variant. */
export const latitude = <S>(v: Omit<LatitudeVariant<S>, 'kind'>): LatitudeVariant<S> => ({ kind: 'latitude', ...v });
