/**
 * The stub as HTTP (or, with `tls`, HTTPS) servers on localhost, one port per product
 * (`npm run stub`), wrapping the same handlers as the nock mount. `delayMs` holds every answer
 * back (latency benchmark).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ProductId } from '../config/index.ts';
import { PRODUCTS } from '../config/index.ts';
import { error, MAX_BODY_BYTES } from './core/http.ts';
import { answer, toStubRequest, type Wire, wire } from './core/wire.ts';
import type { Behaviour } from './fortisoar/settings.ts';
import { createStub, type Stub } from './index.ts';

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
  /** FortiSOAR: the version whose documented behaviour it answers (before 7.0.0 the legacy collection view by default). */
  readonly fortisoarVersion?: string;
}

export interface RunningStubs {
  readonly urls: Readonly<Record<ProductId, string>>;
  readonly stubs: ReadonlyMap<ProductId, Stub<unknown>>;
  /** Requests answered so far, by product. */
  readonly requests: Record<ProductId, number>;
  close(): Promise<void>;
}

/**
 * One product's server. Nothing a client sends can end it (issue 15): a request line Node cannot
 * parse is answered 400 by the `clientError` handler, a target that is not a URL 400, a body
 * over MAX_BODY_BYTES 413 (reading stops there and the connection closes), and every answer is
 * made by `answer`, which never throws.
 */
function serveOne(stub: Stub<unknown>, host: string, port: number, delayMs: number, count: () => void, tls: ServeOptions['tls']): Promise<Server> {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    res.on('error', () => res.destroy());
    req.on('error', () => res.destroy());
    const send = (w: Wire, close = false): void => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(w.status, { ...w.headers, 'content-length': String(w.body.length), ...(close ? { connection: 'close' } : {}) });
      res.end(w.body);
    };
    const tooLarge = (): void => {
      refused = true;
      count();
      req.removeAllListeners('data');
      req.pause();
      send(wire(error(413, `the request body is larger than the ${MAX_BODY_BYTES} bytes the stub reads`)), true);
    };
    if (Number(req.headers['content-length']) > MAX_BODY_BYTES) return tooLarge();
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge();
      else chunks.push(c);
    });
    req.on('end', () => {
      if (refused) return;
      count();
      const bytes = Buffer.concat(chunks);
      void answer(stub, () => toStubRequest(req.method ?? 'GET', req.url ?? '/', req.headers, bytes.toString('utf8'), bytes)).then((w) => {
        if (delayMs > 0) setTimeout(() => send(w), delayMs);
        else send(w);
      });
    });
  };
  const server: Server = tls ? createTlsServer({ cert: tls.cert, key: tls.key }, listener) : createServer(listener);
  server.keepAliveTimeout = 30_000;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    // A request Node's parser refuses (a malformed request line or header): 400, or 431 for headers too large.
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const body = JSON.stringify({ type: 'Error', message: `the request could not be parsed: ${err.code ?? err.message}` });
    socket.end(
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
  // CONNECT (a proxy request): no such thing here; Node would drop the connection without a word.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

export async function startStubServers(options: ServeOptions = {}): Promise<RunningStubs> {
  const host = options.host ?? '127.0.0.1';
  const products = options.products ?? PRODUCTS;
  const urls = {} as Record<ProductId, string>;
  const stubs = new Map<ProductId, Stub<unknown>>();
  const requests = { fortisoar: 0, forticasb: 0, fmbs: 0 } as Record<ProductId, number>;
  const servers: Server[] = [];
  for (const [i, product] of products.entries()) {
    // FortiSOAR's with the options' settings, which its state keeps across a reset.
    const stub: Stub<unknown> = createStub(product, options.mutant, {
      behaviour: options.behaviour,
      apiKeys: options.apiKey ? [options.apiKey] : [],
      ...(options.fortisoarVersion ? { version: options.fortisoarVersion } : {}),
    });
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
