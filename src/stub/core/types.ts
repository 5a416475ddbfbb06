/**
 * The environment-free core of the stub: a request in, a response out. The nock mount
 * (`../mount.ts`) and the HTTP server (`../serve.ts`) are thin adapters around it.
 */
import type { ProductId } from '../../config/index.ts';

export interface StubRequest {
  readonly method: string;
  /** Path without the query string, repeated slashes collapsed. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly rawBody: string;
  /** The body's bytes, when the adapter has them (the HTTP server): multipart uploads are binary. */
  readonly bytes?: Buffer;
}

export interface StubResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON value (sent as application/json), a Buffer (sent as is) or undefined (no body). */
  readonly body?: unknown;
}

export interface HandlerContext<S> {
  readonly req: StubRequest;
  readonly params: Readonly<Record<string, string>>;
  readonly state: S;
  readonly operationId: string;
  /** The parsed JSON body; a malformed body was answered 400 before the handler ran. */
  readonly body: unknown;
  /** The authenticated principal, as the product's `authenticate` returned it. */
  readonly principal: string;
}

export type Handler<S> = (ctx: HandlerContext<S>) => StubResponse | Promise<StubResponse>;

/** A variant of a product's stub (broken or latitude, src/stub/variants/): wraps the handlers of some operations. */
export interface StubVariant<S = any> {
  readonly id: string;
  readonly product: ProductId;
  /** Operations whose handler it wraps; `*` for every route of the product (authentication faults, answer shapes). */
  readonly operations: readonly string[] | '*';
  readonly wrap: (ctx: HandlerContext<S>, next: (ctx?: HandlerContext<S>) => Promise<StubResponse>) => Promise<StubResponse>;
}

/**
 * A route real clients use that the documents do not describe (field notes). `public` routes are
 * answered without the product's `authenticate` (the token endpoints clients call before they
 * hold a token).
 */
export interface ExtraRoute<S> {
  readonly handler: Handler<S>;
  readonly public?: boolean;
}

export interface ProductStubDefinition<S> {
  readonly product: ProductId;
  /** Fresh state, seeded deterministically. */
  createState(): S;
  /**
   * Returns the principal for a request to an operation that requires credentials, or a refusal.
   * Operations whose spec says `security: []` skip it.
   */
  authenticate(req: StubRequest, state: S): string | StubResponse;
  readonly handlers: Readonly<Record<string, Handler<S>>>;
  /**
   * Routes real clients use that the documents do not describe (field notes), by
   * `METHOD /path/{template}`: a handler (authenticated like the documented routes) or an
   * ExtraRoute.
   */
  readonly extraRoutes?: Readonly<Record<string, Handler<S> | ExtraRoute<S>>>;
}
