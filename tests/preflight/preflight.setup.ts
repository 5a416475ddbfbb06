/**
 * Live mode: the product is reachable and accepts the configured credentials. The runner checks
 * it before any worker starts (tests/preflight/global-setup.ts); this test reports the outcome,
 * and the product's other tests are skipped when it failed, so a wrong URL or credential is one
 * failure, and the conformance reporter reports the product NOT JUDGED with its cause (the
 * `preflight` annotation names the product), not NOT CONFORMING.
 */

import { preflight, preflightOutcome, preflightTitle } from '../../src/client/preflight.ts';
import { PRODUCTS } from '../../src/config/index.ts';
import { test } from '../playwright.extend.ts';

for (const product of PRODUCTS) {
  test(preflightTitle(product), {
    tag: [`@${product}`],
    annotation: [{ type: 'preflight', description: product }],
  }, async ({ config, clients }) => {
    const skipped = config.skipped[product];
    test.skip(!!skipped, skipped);
    const outcome = preflightOutcome(product);
    if (outcome === 'not-run') await preflight(product, await clients(product), config);
    else if (outcome !== 'passed') throw outcome;
  });
}
