/**
 * Polite live runs (issue 12): a rate and a concurrency limit per product, and the server's
 * `Retry-After` honoured within a bound.
 *
 * Workers are separate processes, so each takes an equal share of the run's limits
 * (CONFORMANCE_MAX_RPS / workers requests a second, CONFORMANCE_MAX_CONCURRENCY / workers in
 * flight, at least one): no coordination between processes, and the totals hold whatever the
 * workers do. A worker runs one test at a time, so its share of concurrency is rarely more than
 * one anyway; a limit below the worker count still lets each worker have one request in flight.
 */

/** One worker's share of a run-wide limit. */
export function share(limit: number, workers: number): number {
  if (!Number.isFinite(limit)) return Number.POSITIVE_INFINITY;
  return limit / Math.max(1, workers);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A sliding window (rate) and a semaphore (requests in flight). The rate is a promise about any
 * second of the run: at most `rps` requests leave in any window of one second (for a share below
 * one, one request in any 1/rps seconds). A token bucket holding a second's worth of tokens broke
 * it: a full bucket and a second's refill let twice the rate through in one second (a walkthrough
 * counted 7 requests in a second at CONFORMANCE_MAX_RPS=4 over two workers).
 */
export class RequestLimiter {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly slots: number;
  /** At most `perWindow` requests in any `windowMs`. */
  private readonly perWindow: number;
  private readonly windowMs: number;
  /** When the requests of the current window left, oldest first. */
  private readonly sent: number[] = [];
  /** Chains rate waits so that requests leave in the order they asked. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    /** Requests a second; Infinity for none. */
    private readonly rps: number,
    /** Requests in flight; Infinity for none. */
    concurrency: number,
  ) {
    this.perWindow = Number.isFinite(rps) && rps >= 1 ? Math.floor(rps) : 1;
    this.windowMs = Number.isFinite(rps) && rps < 1 ? 1000 / rps : 1000;
    this.slots = Number.isFinite(concurrency) ? Math.max(1, Math.floor(concurrency)) : Number.POSITIVE_INFINITY;
  }

  /** Waits for a slot and for the rate; call `release` when the exchange is over. */
  async acquire(): Promise<void> {
    if (this.inFlight >= this.slots) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
    if (!Number.isFinite(this.rps)) return;
    const turn = this.queue.then(() => this.take());
    this.queue = turn;
    await turn;
  }

  release(): void {
    this.inFlight--;
    const next = this.waiting.shift();
    if (next) next();
  }

  private async take(): Promise<void> {
    for (;;) {
      // A monotonic clock: a wall clock set back would reopen a window already spent.
      const now = performance.now();
      while (this.sent.length > 0 && this.sent[0]! <= now - this.windowMs) this.sent.shift();
      if (this.sent.length < this.perWindow) {
        this.sent.push(now);
        return;
      }
      await sleep(this.sent[0]! + this.windowMs - now + 1);
    }
  }
}

/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, in milliseconds from `now`;
 * undefined when absent or unreadable.
 */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
