/**
 * The operation model: what the rest of the engine knows of an OpenAPI document.
 *
 * Our documents carry a few extensions, each tying an operation to the vendor document:
 * - `x-doc`: `{ document, section }`, the file in `../shared/docs/` and the section heading quoted;
 * - `x-safety`: `read-only` | `suite-data` (changes only what the suite creates) | `destructive`;
 * - `x-since`: the product version the document says introduced the operation;
 * - per response, `x-cases`: the behaviours tested for that status, each naming the scenario that
 *   provokes it (`src/cases/provoke/`) or the paging mode that walks it (`src/cases/paging/`);
 *   a response without `x-cases` gets one plain case that sends the documented example;
 * - per response, `x-accept-status`: other statuses a real server answers for the same behaviour
 *   (401 or 403 for a refused token), so the check does not pin one where the document is silent.
 */
import type { ProductId } from '../config/index.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Safety = 'read-only' | 'suite-data' | 'destructive';

export interface DocRef {
  readonly document: string;
  readonly section: string;
}

export interface CaseSpec {
  /** Present-tense behaviour, the end of the test title. */
  readonly behaviour: string;
  /** Scenario id in the provoke registry; absent for a paging case or the plain example case. */
  readonly scenario?: string;
  /** Paging mode id (`src/cases/paging/`), for a walk. */
  readonly paging?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  /** Overrides the operation's `x-since` for this behaviour. */
  readonly since?: string;
  /** Last version the behaviour holds for (the legacy default view before 7.0.0). */
  readonly until?: string;
  readonly safety?: Safety;
}

export interface ResponseSpec {
  readonly status: string;
  readonly description: string;
  /** Media type documented for the body; undefined means the response has no body. */
  readonly mediaType?: string;
  readonly schema?: object;
  readonly acceptStatus: readonly number[];
  readonly cases: readonly CaseSpec[];
}

export interface ParameterSpec {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly schema?: object;
  readonly example?: unknown;
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
  readonly security: boolean;
  readonly parameters: readonly ParameterSpec[];
  readonly requestBody?: { readonly schema?: object; readonly example?: unknown; readonly required: boolean };
  readonly responses: Readonly<Record<string, ResponseSpec>>;
}

export interface ProductSpec {
  readonly product: ProductId;
  readonly title: string;
  readonly version: string;
  readonly operations: readonly Operation[];
  readonly byId: ReadonlyMap<string, Operation>;
}
