/**
 * Runs one case: decides whether it may run here (version, safety, the product's own rules),
 * then hands its context to the runner the spec names.
 */
import { type Config, compareVersions, PRODUCT_NAMES } from '../config/index.ts';
import type { CaseContext } from './context.ts';
import type { Case } from './derive.ts';
import { PRODUCT_CASES, runnerOf } from './registry.ts';

/** The product version whose documented behaviour is checked, where the product has one (FORTISOAR_VERSION). */
const versionOf = (c: Case, config: Config): string | undefined => (config[c.product] as { version?: string } | undefined)?.version;

/** Why the case must not run against this target, or undefined. */
export function skipReason(c: Case, config: Config): string | undefined {
  const version = versionOf(c, config);
  if (version !== undefined) {
    const variable = `${c.product.toUpperCase()}_VERSION`;
    if (c.since && compareVersions(version, c.since) < 0)
      return `added in ${PRODUCT_NAMES[c.product]} ${c.since} (${c.doc.section}); ${variable} is ${version}`;
    if (c.until && compareVersions(version, c.until) > 0) return `holds up to ${PRODUCT_NAMES[c.product]} ${c.until}; ${variable} is ${version}`;
  }
  const own = PRODUCT_CASES[c.product].skipReason?.(c, config);
  if (own) return own;
  if (c.safety === 'destructive' && config.target === 'live' && !config.destructive) {
    return 'destructive: changes data the suite did not create; set CONFORMANCE_DESTRUCTIVE=1 to run it';
  }
  return undefined;
}

export async function runCase(ctx: CaseContext): Promise<void> {
  const reason = skipReason(ctx.case, ctx.config);
  if (reason) ctx.skip(reason);
  await runnerOf(ctx.case).run(ctx);
}
