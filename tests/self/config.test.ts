import { expect, test } from '@playwright/test';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { Redactor } from '../../src/report/redact.ts';

const live = { CONFORMANCE_TARGET: 'live' };

test.describe('configuration', () => {
  test('defaults to the stub, with every product configured', () => {
    const c = loadConfig({});
    expect(c.target).toBe('stub');
    expect(c.fortisoar?.url).toContain('.invalid');
    expect(c.forticasb?.url).toContain('.invalid');
    expect(c.fmbs?.url).toContain('.invalid');
    expect(c.destructive).toBe(false);
    expect(Object.isFrozen(c)).toBe(true);
  });

  const bad: [string, Record<string, string>, string][] = [
    ['an unknown target', { CONFORMANCE_TARGET: 'prod' }, 'CONFORMANCE_TARGET'],
    ['live with no product URL', live, 'CONFORMANCE_TARGET'],
    ['a FortiSOAR URL without a username', { ...live, FORTISOAR_URL: 'https://soar.example' }, 'FORTISOAR_USERNAME'],
    ['a FortiSOAR URL without a password', { ...live, FORTISOAR_URL: 'https://soar.example', FORTISOAR_USERNAME: 'u' }, 'FORTISOAR_PASSWORD'],
    ['a FortiCASB URL without a token', { ...live, FORTICASB_URL: 'https://casb.example' }, 'FORTICASB_TOKEN'],
    ['an FMBS URL without a token', { ...live, FMBS_URL: 'https://fmbs.example' }, 'FMBS_TOKEN'],
    ['a URL that is not one', { ...live, FMBS_URL: 'fmbs.example', FMBS_TOKEN: 't' }, 'FMBS_URL'],
    ['a destructive flag that is not 0 or 1', { CONFORMANCE_DESTRUCTIVE: 'yes' }, 'CONFORMANCE_DESTRUCTIVE'],
    ['a page bound that is not a number', { CONFORMANCE_MAX_PAGES: 'many' }, 'CONFORMANCE_MAX_PAGES'],
    ['a version that is not one', { FORTISOAR_VERSION: 'seven' }, 'FORTISOAR_VERSION'],
    ['a response limit that is not a positive number', { CONFORMANCE_MAX_RESPONSE_MB: '0' }, 'CONFORMANCE_MAX_RESPONSE_MB'],
    ['a rate that is not a positive number', { CONFORMANCE_MAX_RPS: 'fast' }, 'CONFORMANCE_MAX_RPS'],
    ['a concurrency that is not a positive integer', { CONFORMANCE_MAX_CONCURRENCY: '1.5' }, 'CONFORMANCE_MAX_CONCURRENCY'],
    ['a run id that the slug form would change', { CONFORMANCE_RUN_ID: 'Build_7' }, 'CONFORMANCE_RUN_ID'],
  ];
  for (const [what, env, variable] of bad) {
    test(`stops on ${what}, naming ${variable}`, () => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable}:`));
    });
  }

  test('limits live runs politely by default, and not the in-process stub', () => {
    const live = loadConfig({ CONFORMANCE_TARGET: 'live', FMBS_URL: 'https://fmbs.example', FMBS_TOKEN: 'secret-token' });
    expect([live.maxRps, live.maxConcurrency, live.maxResponseBytes]).toEqual([20, 4, 50 * 1024 * 1024]);
    const stub = loadConfig({});
    expect([stub.maxRps, stub.maxConcurrency]).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
    const set = loadConfig({ CONFORMANCE_MAX_RPS: '2.5', CONFORMANCE_MAX_CONCURRENCY: '2', CONFORMANCE_MAX_RESPONSE_MB: '0.5' });
    expect([set.maxRps, set.maxConcurrency, set.maxResponseBytes]).toEqual([2.5, 2, 512 * 1024]);
  });

  test('in live mode skips a product whose URL is unset, saying which variable to set', () => {
    const c = loadConfig({ ...live, FMBS_URL: 'https://fmbs.example', FMBS_TOKEN: 'secret-token' });
    expect(c.fortisoar).toBeUndefined();
    expect(c.skipped.fortisoar).toContain('FORTISOAR_URL');
    expect(c.skipped.forticasb).toContain('FORTICASB_URL');
    expect(c.secrets).toContain('secret-token');
  });

  test("a password in a URL's user information is a secret, and the redactor hides it wherever the URL is shown", () => {
    const c = loadConfig({ ...live, FMBS_URL: 'https://admin:S3cret%21pw@fmbs.example', FMBS_TOKEN: 'secret-token' });
    expect(c.secrets).toContain('S3cret!pw');
    const shown = new Redactor(c.secrets).text(`[network] GET ${c.fmbs!.url}/api/x failed`);
    expect(shown).not.toContain('S3cret');
  });
});
