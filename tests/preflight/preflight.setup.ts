/**
 * Live mode: the product is reachable and accepts the configured credentials. The product's
 * suite depends on this test (playwright.config.ts), so a wrong URL or credential is one failure,
 * and the conformance reporter reports the product NOT JUDGED with its cause (the `preflight`
 * annotation names the product), not NOT CONFORMING.
 */

import { preflight } from '../../src/client/preflight.ts';
import { PRODUCT_NAMES, PRODUCTS } from '../../src/config/index.ts';
import { test } from '../playwright.extend.ts';

for (const product of PRODUCTS) {
  test(`${PRODUCT_NAMES[product]} is reachable and accepts the configured credentials`, {
    tag: [`@${product}`],
    annotation: [{ type: 'preflight', description: product }],
  }, async ({ config, clients }) => {
    const skipped = config.skipped[product];
    test.skip(!!skipped, skipped);
    await preflight(product, await clients(product), config);
  });
}
