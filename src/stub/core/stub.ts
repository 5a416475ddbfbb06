/**
 * A product's stub: routing taken from its OpenAPI document (operationId → handler), answers
 * written by hand from the document's sentences in `src/stub/<product>/`. An unknown route (or a
 * method a path does not take) is a loud 404 naming it; a malformed body is 400, never 500.
 */
import type { Operation, ProductSpec } from '../../spec/model.ts';
import { BadRequest, error, MAX_BODY_BYTES, parseBody } from './http.ts';
import type { Handler, HandlerContext, ProductStubDefinition, StubRequest, StubResponse, StubVariant } from './types.ts';

interface Route<S> {
  readonly method: string;
  readonly template: string;
  readonly regex: RegExp;
  readonly names: readonly string[];
  readonly literals: number;
  readonly operationId: string;
  readonly secured: boolean;
  readonly handler: Handler<S>;
}

/** `/a/{b}/` → regex; a trailing slash is optional on both sides (field notes: some routes need it, clients differ). */
function compile(template: string): { regex: RegExp; names: string[]; literals: number } {
  const names: string[] = [];
  let literals = 0;
  const body = normalise(template)
    .split('/')
    .map((seg) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (m) {
        names.push(m[1]!);
        return '([^/]+)';
      }
      if (seg) literals++;
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { regex: new RegExp(`^${body}$`), names, literals };
}

export const normalise = (path: string): string => {
  const p = path.replace(/\/{2,}/g, '/');
  return p.length > 1 ? p.replace(/\/$/, '') : p;
};

export class Stub<S> {
  state: S;
  private readonly routes: Route<S>[] = [];
  /** Operations of the spec without a handler yet (listed by `npm test`). */
  readonly unimplemented: string[] = [];

  constructor(
    readonly definition: ProductStubDefinition<S>,
    readonly spec: ProductSpec,
    readonly variant?: StubVariant<S>,
  ) {
    this.state = definition.createState();
    for (const op of spec.operations) {
      const handler = definition.handlers[op.operationId];
      if (handler) this.routes.push(this.route(op.method, op.path, op.operationId, op.security, handler));
      else {
        // An operation added to the spec before its handler: its own tests skip (tests/playwright.extend.ts); a call answers 501 naming it.
        this.unimplemented.push(op.operationId);
        this.routes.push(
          this.route(op.method, op.path, op.operationId, false, () =>
            error(501, `the ${spec.product} stub does not implement ${op.operationId} (${op.method} ${op.path}) yet`),
          ),
        );
      }
    }
    for (const [key, extra] of Object.entries(definition.extraRoutes ?? {})) {
      const [method, path] = key.split(' ') as [string, string];
      const { handler, public: open = false } = typeof extra === 'function' ? { handler: extra } : extra;
      this.routes.push(this.route(method, path, `extra:${key}`, !open, handler));
    }
    // Literal segments win over templates: /api/3/delete/{module} before /api/3/{collection}/{uuid}.
    this.routes.sort((a, b) => b.literals - a.literals || a.names.length - b.names.length);
  }

  private route(method: string, template: string, operationId: string, secured: boolean, handler: Handler<S>): Route<S> {
    return { method, template, operationId, secured, handler, ...compile(template) };
  }

  /** Whether the stub has a handler for the operation. */
  implements(operationId: string): boolean {
    return !this.unimplemented.includes(operationId);
  }

  reset(): void {
    this.state = this.definition.createState();
  }

  operations(): Operation[] {
    return [...this.spec.operations];
  }

  async handle(req: StubRequest): Promise<StubResponse> {
    const size = req.bytes?.length ?? Buffer.byteLength(req.rawBody);
    if (size > MAX_BODY_BYTES) return error(413, `the request body has ${size} bytes; the stub reads at most ${MAX_BODY_BYTES}`);
    const path = normalise(req.path);
    const elsewhere: string[] = [];
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      if (route.method !== req.method) {
        elsewhere.push(`${route.method} ${route.template}`);
        continue;
      }
      let params: Record<string, string>;
      try {
        params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      } catch {
        return error(400, `malformed percent-encoding in the path ${JSON.stringify(path.slice(0, 200))}`);
      }
      const parsed = parsedBody(req);
      // A malformed body is `undefined` here and answered 400 by run(), unless a variant answers first.
      const ctx: HandlerContext<S> = { req, params, state: this.state, operationId: route.operationId, body: parsed.body, principal: '' };
      const next = (c: HandlerContext<S> = ctx): Promise<StubResponse> => this.run(route, c, parsed);
      try {
        const applies = this.variant && (this.variant.operations === '*' || this.variant.operations.includes(route.operationId));
        return await (applies ? this.variant!.wrap(ctx, next) : next());
      } catch (e) {
        if (e instanceof BadRequest) return error(e.status, e.message);
        return error(500, `stub fault in ${route.operationId}: ${(e as Error).message}`);
      }
    }
    // A method the path does not take is a route outside the documents like any other: a 404
    // naming it (clients report "not found" clearly), with the methods the stub serves there.
    const served = elsewhere.length ? ` (on this path it serves ${[...new Set(elsewhere)].join(', ')})` : '';
    return error(404, `the ${this.spec.product} stub implements no ${req.method} ${path}${served}; see specs/${this.spec.product}.yaml for what it serves`);
  }

  /** `parsed`: the body as handle() parsed it, used unless the variant rewrote the request's body or content type. */
  private async run(route: Route<S>, ctx: HandlerContext<S>, parsed: ParsedBody): Promise<StubResponse> {
    let principal = '';
    if (route.secured) {
      const auth = this.definition.authenticate(ctx.req, this.state);
      if (typeof auth !== 'string') return auth;
      principal = auth;
    }
    const same = ctx.req.rawBody === parsed.rawBody && ctx.req.headers['content-type'] === parsed.contentType;
    const { body, fault } = same ? parsed : parsedBody(ctx.req);
    if (fault !== undefined) throw fault;
    return route.handler({ ...ctx, state: this.state, body, principal });
  }
}

/** A request's body parsed once (each parse also scans its nesting depth), or the BadRequest the parse threw. */
interface ParsedBody {
  readonly rawBody: string;
  readonly contentType: string | undefined;
  readonly body: unknown;
  readonly fault?: unknown;
}

function parsedBody(req: StubRequest): ParsedBody {
  const contentType = req.headers['content-type'];
  try {
    return { rawBody: req.rawBody, contentType, body: parseBody(req.rawBody, contentType) };
  } catch (fault) {
    return { rawBody: req.rawBody, contentType, body: undefined, fault };
  }
}
