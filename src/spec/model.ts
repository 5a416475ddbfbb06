/**
 * The operation model: what the rest of the engine knows of an OpenAPI document.
 *
 * Our documents carry a few extensions, each tying an operation to the vendor document:
 * - `x-doc`: `{ document, section }`, the file in `../shared/docs/` and the section heading quoted;
 * - `x-safety`: `read-only` | `suite-data` (changes only what the suite creates) | `destructive`;
 *   without it a GET is `read-only` and any other method `destructive`;
 * - `x-since`: the product version the document says introduced the operation;
 * - `x-auxiliary`: why an operation the documents do not describe is in the spec (a token route
 *   real clients use, field notes): the suite calls it, but derives no test from it;
 * - per response, `x-cases`: the behaviours tested for that status (CaseSpec);
 * - per response, `x-accept-status`: other statuses a real server answers for the same behaviour
 *   (401 or 403 for a refused token), so the check does not pin one where the document is silent;
 * - the operation's OpenAPI `tags` select report tags from a closed list (src/cases/derive.ts).
 */
import type { ProductId } from '../config/index.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Safety = 'read-only' | 'suite-data' | 'destructive';

export interface DocRef {
  readonly document: string;
  readonly section: string;
}

/** A place in a spec file, for messages and for each test's location (`specs/fortisoar.yaml:412:11`). */
export interface SpecLocation {
  /** Relative to the repository root. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

interface CaseSpecBase {
  /**
   * Distinguishes the cases of one status: required when a status has more than one case. The
   * case id is `<operationId>.<status>` plus `.<id>` when present (src/cases/derive.ts).
   */
  readonly id?: string;
  /** Present-tense behaviour, the end of the test title. */
  readonly behaviour: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Overrides the operation's `x-since` for this behaviour. */
  readonly since?: string;
  /** Last version the behaviour holds for (the legacy default view before 7.0.0). */
  readonly until?: string;
  readonly safety?: Safety;
  readonly where: SpecLocation;
}

/**
 * One `x-cases` entry, by kind: `scenario: <id>` (a scenario of `src/cases/`), `paging: <mode>`
 * (a walk of `src/cases/paging/`), or neither: the plain case that sends the documented examples.
 */
export type CaseSpec =
  | (CaseSpecBase & { readonly kind: 'example' })
  | (CaseSpecBase & { readonly kind: 'scenario'; readonly scenario: string })
  | (CaseSpecBase & { readonly kind: 'paging'; readonly mode: string });

export interface ResponseSpec {
  readonly status: string;
  readonly description: string;
  /** Media type documented for the body; undefined means the response has no body. */
  readonly mediaType?: string;
  readonly schema?: object;
  /** The documented example body, if any (checked against the schema by a self-test). */
  readonly example?: unknown;
  readonly acceptStatus: readonly number[];
  readonly cases: readonly CaseSpec[];
}

export interface ParameterSpec {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly schema?: object;
  readonly example?: unknown;
  readonly description?: string;
}

export interface Operation {
  readonly product: ProductId;
  readonly operationId: string;
  readonly method: HttpMethod;
  /** Path template as documented, e.g. `/api/3/insert/{module}`. */
  readonly path: string;
  readonly summary: string;
  readonly doc: DocRef;
  readonly safety: Safety;
  readonly since?: string;
  /** Why the suite calls an operation the documents do not describe; such an operation derives no test. */
  readonly auxiliary?: string;
  readonly security: boolean;
  /**
   * Operations sharing a resource the document says serves one request at a time (one log
   * collection runs at a time): their tests run one after another in one worker, so that they
   * wait on each other only, not on the other tests (`x-one-at-a-time`).
   */
  readonly oneAtATime?: string;
  /** The OpenAPI `tags` of the operation. */
  readonly tags: readonly string[];
  readonly parameters: readonly ParameterSpec[];
  readonly requestBody?: { readonly schema?: object; readonly example?: unknown; readonly required: boolean; readonly mediaType: string };
  readonly responses: Readonly<Record<string, ResponseSpec>>;
  readonly where: SpecLocation;
}

export interface ProductSpec {
  readonly product: ProductId;
  readonly title: string;
  readonly version: string;
  readonly file: string;
  readonly operations: readonly Operation[];
  readonly byId: ReadonlyMap<string, Operation>;
}
