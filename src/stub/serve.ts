/**
 * The stub as HTTP (or, with `tls`, HTTPS) servers on localhost, one port per product
 * (`npm run stub`), wrapping the same handlers as the nock mount. `delayMs` holds every answer
 * back (latency benchmark).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ProductId } from '../config/index.ts';
import { PRODUCTS } from '../config/index.ts';
import { loadSpec } from '../spec/load.ts';
import { fortisoarStubWith } from './fortisoar/index.ts';
import type { Behaviour } from './fortisoar/settings.ts';
import { createStub, findMutant, Stub } from './index.ts';
import { toStubRequest, wire } from './mount.ts';

export interface ServeOptions {
  readonly host?: string;
  /** First port; products take consecutive ports. 0 picks free ports. */
  readonly port?: number;
  readonly delayMs?: number;
  readonly mutant?: string;
  readonly products?: readonly ProductId[];
  /** Serve HTTPS with this certificate and key (PEM), e.g. from `generateSelfSignedCertificate` (tls.ts). */
  readonly tls?: { readonly cert: string; readonly key: string };
  /**
   * FortiSOAR: an API key the served stub accepts besides the well-known one
   * (`STUB_CREDENTIALS.fortisoar.apiKey`) and lists in `GET /api/3/api_keys`; serve-cli
   * generates one per start.
   */
  readonly apiKey?: string;
  /**
   * FortiSOAR: `documented` (default; what the conformance suite runs against) or `recorded`, the
   * answers of real 7.6.5 servers where they differ from the guide (fortisoar/settings.ts,
   * RECORDED_DIFFERENCES).
   */
  readonly behaviour?: Behaviour;
}

export interface RunningStubs {
  readonly urls: Readonly<Record<ProductId, string>>;
  readonly stubs: ReadonlyMap<ProductId, Stub<unknown>>;
  /** Requests answered so far, by product. */
  readonly requests: Record<ProductId, number>;
  close(): Promise<void>;
}

function serveOne(stub: Stub<unknown>, host: string, port: number, delayMs: number, count: () => void, tls: ServeOptions['tls']): Promise<Server> {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      count();
      const bytes = Buffer.concat(chunks);
      const request = toStubRequest(req.method ?? 'GET', req.url ?? '/', req.headers, bytes.toString('utf8'), bytes);
      const answer = stub.handle(request).then(wire, (e: unknown) => wire({ status: 500, body: { message: `stub fault: ${(e as Error).message}` } }));
      void answer.then((w) => {
        const send = () => {
          res.writeHead(w.status, { ...w.headers, 'content-length': String(w.body.length) });
          res.end(w.body);
        };
        if (delayMs > 0) setTimeout(send, delayMs);
        else send();
      });
    });
  };
  const server: Server = tls ? createTlsServer({ cert: tls.cert, key: tls.key }, listener) : createServer(listener);
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** A product's stub; FortiSOAR's with the options' settings, which its state keeps across a reset. */
function stubOf(product: ProductId, options: ServeOptions): Stub<unknown> {
  if (product !== 'fortisoar') return createStub(product, options.mutant);
  const mutant = options.mutant ? findMutant(options.mutant) : undefined;
  const definition = fortisoarStubWith({ behaviour: options.behaviour, apiKeys: options.apiKey ? [options.apiKey] : [] });
  return new Stub(definition, loadSpec('fortisoar'), mutant?.product === 'fortisoar' ? mutant : undefined) as Stub<unknown>;
}

export async function startStubServers(options: ServeOptions = {}): Promise<RunningStubs> {
  const host = options.host ?? '127.0.0.1';
  const products = options.products ?? PRODUCTS;
  const urls = {} as Record<ProductId, string>;
  const stubs = new Map<ProductId, Stub<unknown>>();
  const requests = { fortisoar: 0, forticasb: 0, fmbs: 0 } as Record<ProductId, number>;
  const servers: Server[] = [];
  for (const [i, product] of products.entries()) {
    const stub = stubOf(product, options);
    stubs.set(product, stub);
    const port = options.port ? options.port + i : 0;
    const server = await serveOne(stub, host, port, options.delayMs ?? 0, () => requests[product]++, options.tls);
    servers.push(server);
    const shown = host.includes(':') ? `[${host}]` : host;
    urls[product] = `${options.tls ? 'https' : 'http'}://${shown}:${(server.address() as AddressInfo).port}`;
  }
  return {
    urls,
    stubs,
    requests,
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      );
    },
  };
}
