/**
 * Runs one case: decides whether it may run here (version, safety), then hands its context to
 * the scenario or paging mode the spec names.
 */
import { compareVersions } from '../config/index.ts';
import type { CaseContext, Scenario } from './context.ts';
import type { Case } from './derive.ts';
import { PAGING } from './paging/index.ts';
import { SCENARIOS } from './provoke/index.ts';

export function scenarioOf(c: Case): Scenario {
  const scenario = c.scenario.startsWith('paging:') ? PAGING[c.scenario.slice('paging:'.length)] : SCENARIOS[c.scenario];
  if (!scenario) throw new Error(`[cases] "${c.title}" names ${c.scenario}, which no module of src/cases implements`);
  return scenario;
}

/** Why the case must not run against this target, or undefined. */
export function skipReason(c: Case, ctx: Pick<CaseContext, 'config' | 'live'>): string | undefined {
  const { config } = ctx;
  if (c.product === 'fortisoar' && config.fortisoar) {
    const version = config.fortisoar.version;
    if (c.since && compareVersions(version, c.since) < 0) return `added in FortiSOAR ${c.since} (${c.doc.section}); FORTISOAR_VERSION is ${version}`;
    if (c.until && compareVersions(version, c.until) > 0) return `holds up to FortiSOAR ${c.until}; FORTISOAR_VERSION is ${version}`;
    // Real servers accept API keys outside /api/auth only (field notes): those operations need a JWT.
    if (!config.fortisoar.username && /^\/(api\/)?auth\//.test(c.op.path))
      return 'FORTISOAR_API_KEY is used: real servers reserve /auth and /api/auth for a JWT login (set FORTISOAR_USERNAME/FORTISOAR_PASSWORD)';
  }
  if (c.safety === 'destructive' && ctx.live && !config.destructive) {
    return 'destructive: changes data the suite did not create; set CONFORMANCE_DESTRUCTIVE=1 to run it';
  }
  return undefined;
}

export async function runCase(ctx: CaseContext): Promise<void> {
  const reason = skipReason(ctx.case, ctx);
  if (reason) ctx.skip(reason);
  await scenarioOf(ctx.case)(ctx);
}
