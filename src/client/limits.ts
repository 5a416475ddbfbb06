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

/** A token bucket (rate, burst of one second's worth) and a semaphore (requests in flight). */
export class RequestLimiter {
  private tokens: number;
  private last = Date.now();
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly burst: number;
  private readonly slots: number;
  /** Chains rate waits so that requests leave in the order they asked. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    /** Requests a second; Infinity for none. */
    private readonly rps: number,
    /** Requests in flight; Infinity for none. */
    concurrency: number,
  ) {
    this.burst = Math.max(1, Number.isFinite(rps) ? rps : 1);
    this.tokens = this.burst;
    this.slots = Number.isFinite(concurrency) ? Math.max(1, Math.floor(concurrency)) : Number.POSITIVE_INFINITY;
  }

  /** Waits for a slot and a token; call `release` when the exchange is over. */
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
      const now = Date.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rps);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - this.tokens) / this.rps) * 1000));
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
