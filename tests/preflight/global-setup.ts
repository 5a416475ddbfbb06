/**
 * Playwright's global setup in live mode: every configured product's preflight, in the runner,
 * before any worker starts (src/client/preflight.ts `preflightAll`). Each product's preflight
 * test reports the outcome; a product whose preflight failed has its other tests skipped.
 */
import { preflightAll } from '../../src/client/preflight.ts';
import { createClient } from '../../src/client/products.ts';
import { loadConfig } from '../../src/config/index.ts';
import { Redactor } from '../../src/report/redact.ts';

export default async function globalSetup(): Promise<void> {
  const config = loadConfig(process.env);
  if (config.target !== 'live') return;
  const redactor = new Redactor(config.secrets);
  await preflightAll(
    config,
    (product) => createClient(product, config, redactor, { workers: 1 }),
    (s) => redactor.text(s),
  );
}
