/**
 * Each test's exchanges, redacted, attached to the report; a failed test also gets a `curl`
 * command reproducing its last request, credentials as environment variable references.
 */
import type { TestInfo } from '@playwright/test';
import type { Exchange } from '../client/api.ts';
import type { Redactor } from './redact.ts';

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

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
        },
  };
}

/**
 * Attaches the test's exchanges; on failure also a curl command for `failing`, the last exchange
 * the test itself made (the exchanges after it are the cleanup's).
 */
export async function attachExchanges(testInfo: TestInfo, log: readonly Exchange[], redactor: Redactor, failing = log.length - 1): Promise<void> {
  if (log.length === 0) return;
  await testInfo.attach('exchanges.json', {
    body: JSON.stringify(
      log.map((e) => redactExchange(e, redactor)),
      null,
      2,
    ),
    contentType: 'application/json',
  });
  if (testInfo.status !== testInfo.expectedStatus && log[failing]) {
    const last = log[failing];
    const note = `# TOKEN: a FortiSOAR token from POST /auth/authenticate, or FORTICASB_TOKEN / FMBS_TOKEN\n${curlOf(last, redactor)}\n`;
    await testInfo.attach('reproduce.sh', { body: note, contentType: 'text/plain' });
  }
}
