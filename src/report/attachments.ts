/**
 * Each test's exchanges, redacted, attached to the report (`exchanges.json`); a failed test also
 * gets `reproduce.sh` (reproduce.ts), which replays its own requests in order with credentials as
 * variables and says which answer deviated and how.
 */
import type { TestInfo } from '@playwright/test';
import type { Exchange } from '../client/api.ts';
import { type Config, loadConfig } from '../config/index.ts';
import type { Redactor } from './redact.ts';
import { reproduceScript } from './reproduce.ts';

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** One request as a `curl` command, credentials as variable references (a quick look; reproduce.sh is the replay). */
export function curlOf(e: Exchange, redactor: Redactor): string {
  const parts = ['curl', '-sS', '-X', e.method, quote(redactor.text(e.url))];
  for (const [k, v] of Object.entries(e.requestHeaders)) {
    if (k.toLowerCase() === 'authorization') {
      const scheme = /^API-KEY/i.test(v) ? 'API-KEY $FORTISOAR_API_KEY' : 'Bearer $TOKEN';
      parts.push('-H', `"Authorization: ${scheme}"`);
    } else parts.push('-H', quote(`${k}: ${redactor.text(v)}`));
  }
  if (e.requestBody !== undefined) parts.push('--data-raw', quote(redactor.text(redactBody(e.requestBody, redactor))));
  return parts.join(' ');
}

const redactBody = (body: string, redactor: Redactor): string => redactor.body(body);

export function redactExchange(e: Exchange, redactor: Redactor): Record<string, unknown> {
  return {
    request: {
      method: e.method,
      url: redactor.text(e.url),
      headers: redactor.headers(e.requestHeaders),
      body: e.requestBody === undefined ? undefined : redactBody(e.requestBody, redactor),
    },
    response: e.error
      ? { error: redactor.text(e.error) }
      : {
          status: e.status,
          headers: redactor.headers(e.responseHeaders ?? {}),
          body: e.responseBody === undefined ? undefined : redactBody(e.responseBody, redactor).slice(0, 20_000),
          ms: e.ms,
          ...(e.throttled ? { throttled: true, retryAfterMs: e.retryAfterMs } : {}),
        },
  };
}

export interface AttachOptions {
  /** The run's configuration (default: read from the environment, as the worker's fixture does). */
  readonly config?: Config;
  /** The variant of the stub that answered (default: CONFORMANCE_STUB_MUTANT). */
  readonly stubMutant?: string;
  /**
   * How the test ended, when it is attached from the test body (which has not ended yet, so
   * `testInfo.status` still says passed): `{ error }` if it failed, `{}` if it passed.
   */
  readonly outcome?: { readonly error?: unknown };
}

let fromEnvironment: Config | undefined;

/**
 * Attaches the test's exchanges; on failure also `reproduce.sh`, replaying the exchanges up to
 * `lastOwnExchange` (the test's own; the ones after it are its cleanup's, kept apart).
 */
export async function attachExchanges(
  testInfo: TestInfo,
  log: readonly Exchange[],
  redactor: Redactor,
  lastOwnExchange = log.length - 1,
  options: AttachOptions = {},
): Promise<void> {
  if (log.length === 0) return;
  await testInfo.attach('exchanges.json', {
    body: JSON.stringify(
      log.map((e) => redactExchange(e, redactor)),
      null,
      2,
    ),
    contentType: 'application/json',
  });
  const failed = options.outcome ? 'error' in options.outcome : testInfo.status !== testInfo.expectedStatus;
  if (!failed || lastOwnExchange < 0) return;
  const config = options.config ?? (fromEnvironment ??= loadConfig(process.env));
  const mutant = options.stubMutant ?? config.stubMutant;
  const thrown = options.outcome?.error;
  const error = options.outcome
    ? { message: thrown instanceof Error ? thrown.message : undefined, value: thrown instanceof Error ? undefined : String(thrown) }
    : testInfo.errors[0];
  const document = testInfo.annotations.find((a) => a.type === 'document')?.description;
  const script = reproduceScript({
    title: testInfo.title,
    document,
    error: error?.message ?? error?.value,
    log,
    lastOwn: Math.min(lastOwnExchange, log.length - 1),
    config,
    mutant: config.target === 'stub' ? mutant : undefined,
    redact: (s) => redactor.text(s),
    isSecret: (s) => redactor.text(s) !== s,
  });
  await testInfo.attach('reproduce.sh', { body: script, contentType: 'text/plain' });
}
