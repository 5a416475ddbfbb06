/**
 * Each test's exchanges, redacted, attached to the report (`exchanges.json`); a failed test also
 * gets `reproduce.sh` (reproduce.ts), which replays its own requests in order with credentials as
 * variables and says which answer deviated and how.
 */
import type { TestInfo } from '@playwright/test';
import type { Exchange } from '../client/api.ts';
import type { Config } from '../config/index.ts';
import type { Redactor } from './redact.ts';
import { reproduceScript } from './reproduce.ts';

export function redactExchange(e: Exchange, redactor: Redactor): Record<string, unknown> {
  return {
    request: {
      method: e.method,
      url: redactor.text(e.url),
      headers: redactor.headers(e.requestHeaders),
      body: e.requestBody === undefined ? undefined : redactor.body(e.requestBody),
    },
    response: e.error
      ? { error: redactor.text(e.error) }
      : {
          status: e.status,
          headers: redactor.headers(e.responseHeaders ?? {}),
          body: e.responseBody === undefined ? undefined : redactor.body(e.responseBody).slice(0, 20_000),
          ms: e.ms,
          ...(e.throttled ? { throttled: true, retryAfterMs: e.retryAfterMs } : {}),
        },
  };
}

export interface AttachOptions {
  /** The run's configuration. */
  readonly config: Config;
  /** The variant of the stub that answered (default: the configuration's CONFORMANCE_STUB_MUTANT). */
  readonly stubMutant?: string;
  /**
   * How the test ended; it is attached from the test body (which has not ended yet, so
   * `testInfo.status` still says passed): `{ error }` if it failed, `{}` if it passed.
   */
  readonly outcome: { readonly error?: unknown };
  /** What the test changed in the stub in-process, between its requests (reproduce.sh says where). */
  readonly stubChanges?: readonly { readonly after: number; readonly what: string }[];
}

/**
 * Attaches the test's exchanges; on failure also `reproduce.sh`, replaying the exchanges up to
 * `lastOwnExchange` (the test's own; the ones after it are its cleanup's, kept apart).
 */
export async function attachExchanges(
  testInfo: TestInfo,
  log: readonly Exchange[],
  redactor: Redactor,
  lastOwnExchange: number,
  options: AttachOptions,
): Promise<void> {
  if (log.length === 0) return;
  // Pushed to `testInfo.attachments` (Playwright's documented list, which sends it to the reporters
  // as attach() does) rather than attach(): attach() also makes a report step, whose stack
  // Playwright captures and source-maps, and creates the test's output folder, about 1 ms a
  // test for nothing a report shows (issue 14).
  testInfo.attachments.push({
    name: 'exchanges.json',
    body: Buffer.from(
      JSON.stringify(
        log.map((e) => redactExchange(e, redactor)),
        null,
        2,
      ),
    ),
    contentType: 'application/json',
  });
  if (!('error' in options.outcome) || lastOwnExchange < 0) return;
  const { config } = options;
  const mutant = options.stubMutant ?? config.stubMutant;
  const thrown = options.outcome.error;
  const document = testInfo.annotations.find((a) => a.type === 'document')?.description;
  const script = reproduceScript({
    title: testInfo.title,
    document,
    error: thrown instanceof Error ? thrown.message : String(thrown),
    log,
    lastOwn: Math.min(lastOwnExchange, log.length - 1),
    config,
    mutant: config.target === 'stub' ? mutant : undefined,
    stubChanges: options.stubChanges,
    redact: (s) => redactor.text(s),
    isSecret: (s) => redactor.text(s) !== s,
  });
  await testInfo.attach('reproduce.sh', { body: script, contentType: 'text/plain' });
}
