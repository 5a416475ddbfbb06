/**
 * One HTTP exchange over Node's own `http`/`https`, with the bounds a hostile or broken target
 * must not be able to break (issue 15): the body is read as a stream and decompressed here
 * (gzip, deflate, br), and reading stops once the decompressed body passes `maxBytes`, so a
 * gzip bomb or a 300 MB answer costs at most that much memory; one deadline covers connecting,
 * sending and reading; redirects are never followed (a 3xx is returned as it came).
 *
 * Playwright's APIRequestContext, used before, reads whole bodies into memory and decompresses
 * without a bound. nock (stub mode) intercepts `http.request`, so the stub answers here too.
 */
import http, { Agent as HttpAgent, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https, { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

export interface WireRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** Whole exchange: connect, send, read. */
  readonly timeoutMs: number;
  /** Most bytes of the decompressed body read. */
  readonly maxBytes: number;
  readonly agents: Agents;
}

export interface WireResponse {
  readonly status: number;
  /** Names in lower case; repeated headers joined with ", " (Set-Cookie with "\n"). */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** No HTTP answer: the connection failed, was dropped, or the deadline passed. */
export class TransportError extends Error {
  override name = 'TransportError';
  constructor(
    message: string,
    /** Node's error code (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT, ETIMEDOUT, ...). */
    readonly code: string | undefined,
    /**
     * False only when the request certainly did not reach the server (the connection was never
     * established: refused, DNS, connect timeout, TLS handshake); then any request may be sent
     * again without risk of doing its work twice.
     */
    readonly sent: boolean,
  ) {
    super(message);
  }
}

/** The answer came, but its body could not be read within the bounds: a `[body]` finding. */
export class BodyError extends Error {
  override name = 'BodyError';
  constructor(
    message: string,
    readonly status: number,
    readonly headers: Record<string, string>,
    /** What was read before stopping (at most `maxBytes`). */
    readonly partial: Buffer,
  ) {
    super(message);
  }
}

export interface Agents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
  destroy(): void;
}

/**
 * Keep-alive agents for one client. A socket idle for 4 s is closed (before the 5 s keep-alive
 * of common servers ends it under a request; Node also honours a shorter `Keep-Alive: timeout`).
 * `insecureTls` (CONFORMANCE_INSECURE_TLS) accepts any certificate; NODE_EXTRA_CA_CERTS is read
 * by Node itself.
 */
export function createAgents(options: { insecureTls?: boolean } = {}): Agents {
  const common = { keepAlive: true, timeout: 4_000 };
  const http = new HttpAgent(common);
  const https = new HttpsAgent({ ...common, rejectUnauthorized: !options.insecureTls });
  return {
    http,
    https,
    destroy: () => {
      http.destroy();
      https.destroy();
    },
  };
}

const flattenHeaders = (h: IncomingHttpHeaders): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(k === 'set-cookie' ? '\n' : ', ') : v;
  return out;
};

/**
 * HTTP "deflate" is meant to be a zlib stream, but servers also send raw deflate: the first two
 * bytes tell (RFC 1950 header: CM = 8 and a check multiple of 31), as browsers decide.
 */
class Inflate extends Transform {
  private inner?: Transform;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (!this.inner) {
      const zlibHeader = chunk.length >= 2 && (chunk[0]! & 0x0f) === 8 && ((chunk[0]! << 8) | chunk[1]!) % 31 === 0;
      const options = { finishFlush: constants.Z_SYNC_FLUSH };
      this.inner = zlibHeader ? createInflate(options) : createInflateRaw(options);
      this.inner.on('data', (d: Buffer) => this.push(d));
      this.inner.on('error', (e) => this.destroy(e));
    }
    this.inner.write(chunk, () => done());
  }
  override _flush(done: TransformCallback): void {
    if (!this.inner) {
      done();
      return;
    }
    this.inner.once('end', () => done());
    this.inner.end();
  }
  override _destroy(e: Error | null, done: (e: Error | null) => void): void {
    this.inner?.destroy();
    done(e);
  }
}

/** Decoders for a Content-Encoding list, in the order to apply them (the last coding applied first); undefined for one we do not know. */
function decoders(encoding: string | undefined): Transform[] | undefined {
  const codings = (encoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  const out: Transform[] = [];
  // Truncated streams are read as far as they go, as curl and browsers do.
  const lenient = { finishFlush: constants.Z_SYNC_FLUSH };
  for (const c of codings.reverse()) {
    if (c === 'gzip' || c === 'x-gzip') out.push(createGunzip(lenient));
    else if (c === 'deflate') out.push(new Inflate());
    else if (c === 'br') out.push(createBrotliDecompress({ finishFlush: constants.BROTLI_OPERATION_FLUSH }));
    else return undefined;
  }
  return out;
}

const codeOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
};

/** Sends one request; resolves with the whole (decompressed, bounded) answer. */
export function exchange(req: WireRequest): Promise<WireResponse> {
  const { url } = req;
  const tls = url.protocol === 'https:';
  return new Promise<WireResponse>((resolve, reject) => {
    let settled = false;
    /** The connection was established (or an open one reused): from then on the server may have the request. */
    let connected = false;
    let response: IncomingMessage | undefined;
    const chain: Transform[] = [];
    const finish = (e: Error | undefined, value?: WireResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (e) {
        for (const d of chain) d.destroy();
        response?.destroy();
        outgoing.destroy();
        reject(e);
      } else resolve(value!);
    };
    const fail = (e: unknown): void => {
      const code = codeOf(e);
      const message = (e as Error).message || String(e);
      finish(new TransportError(code && !message.includes(code) ? `${message} (${code})` : message, code, connected));
    };

    // Looked up at each call, not bound at import: nock (stub mode) replaces `http.request`.
    const outgoing = (tls ? https : http).request(url, {
      method: req.method,
      headers: req.body ? { ...req.headers, 'content-length': String(req.body.length) } : req.headers,
      agent: tls ? req.agents.https : req.agents.http,
    });
    const timer = setTimeout(() => {
      const e = Object.assign(new Error(`no complete answer within ${req.timeoutMs} ms (CONFORMANCE_TIMEOUT_MS)`), { code: 'ETIMEDOUT' });
      fail(e);
    }, req.timeoutMs);

    outgoing.on('socket', (socket: Socket) => {
      const pending = (socket as Socket & { connecting?: boolean }).connecting;
      if (!pending) connected = true;
      else socket.once(tls ? 'secureConnect' : 'connect', () => (connected = true));
    });
    outgoing.on('error', fail);
    outgoing.on('response', (res) => {
      response = res;
      // The answer came: whatever happens next, the server had the request.
      connected = true;
      const status = res.statusCode ?? 0;
      const headers = flattenHeaders(res.headers);
      const chunks: Buffer[] = [];
      let size = 0;
      const stop = (message: string): void => finish(new BodyError(message, status, headers, Buffer.concat(chunks)));
      const codec = decoders(headers['content-encoding']);
      // An unknown coding is kept as it came (the check shows what it is); known ones are undone here.
      chain.push(...(codec ?? []));
      const undecodable = (e: Error): void => stop(`the ${headers['content-encoding']} body could not be decoded: ${e.message}`);
      res.on('error', fail);
      res.on('close', () => {
        if (!res.complete) fail(Object.assign(new Error('the connection closed before the whole body arrived'), { code: 'ECONNRESET' }));
      });
      let source: NodeJS.ReadableStream = res;
      for (const d of chain) {
        d.on('error', undecodable);
        source = source.pipe(d);
      }
      source.on('data', (chunk: Buffer) => {
        if (settled) return;
        size += chunk.length;
        if (size > req.maxBytes) {
          const after = chain.length ? ` after decompression (content-encoding ${headers['content-encoding']})` : '';
          stop(`the body exceeds ${(req.maxBytes / 1024 / 1024).toFixed(1)} MB${after} (CONFORMANCE_MAX_RESPONSE_MB); reading stopped there`);
          return;
        }
        chunks.push(chunk);
      });
      source.on('end', () => finish(undefined, { status, headers, body: Buffer.concat(chunks, size) }));
    });
    if (req.body) outgoing.end(req.body);
    else outgoing.end();
  });
}
