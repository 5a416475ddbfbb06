/**
 * Every environment variable the suite reads: its name, what it means and its default. The one
 * list the README's "Settings", `.env.example` and the unknown-variable warning are checked
 * against (tests/self/settings.test.ts compares them with the names the code actually reads).
 *
 * - `setting`: set by a user (CI, `.env`); documented in `.env.example` and the README.
 * - `internal`: set by the suite's own scripts for the processes they start; documented in the
 *   README so that nobody wonders, never in `.env.example`.
 * - `external`: set by someone else (the CI system, Playwright, Node) and only read here.
 *
 * A variable whose name starts with one of `PREFIXES` and is not listed here is probably a typo
 * (`FORTISOAR_VERISON`): `unknownVariables` names the nearest known one.
 */

export type VariableKind = 'setting' | 'internal' | 'external';

export interface Variable {
  readonly name: string;
  readonly kind: VariableKind;
  /** What it means, in one sentence (the README and `.env.example` say it at more length). */
  readonly meaning: string;
  /** The value used when it is unset; absent when unset means "not configured". */
  readonly default?: string;
  /** Its value is a credential: never printed, redacted from every report. */
  readonly secret?: boolean;
}

/** The prefixes of the suite's own variables. */
export const PREFIXES = ['CONFORMANCE_', 'FORTISOAR_', 'FORTICASB_', 'FMBS_'] as const;

const setting = (name: string, meaning: string, extra: Partial<Variable> = {}): Variable => ({ name, kind: 'setting', meaning, ...extra });

export const VARIABLES: readonly Variable[] = [
  // --- the target ----------------------------------------------------------------------------
  setting('CONFORMANCE_TARGET', '`stub` runs against the built-in stub (in-process, no network); `live` against the product URLs below', {
    default: 'stub',
  }),

  // --- FortiSOAR -----------------------------------------------------------------------------
  setting('FORTISOAR_URL', 'base URL of the FortiSOAR instance (live mode); unset: FortiSOAR is skipped'),
  setting('FORTISOAR_USERNAME', 'FortiSOAR login; the suite takes a JWT from POST /auth/authenticate'),
  setting('FORTISOAR_PASSWORD', 'password of FORTISOAR_USERNAME', { secret: true }),
  setting('FORTISOAR_API_KEY', 'instead of username and password: an API key (`Authorization: API-KEY <key>`)', { secret: true }),
  setting('FORTISOAR_LICENSE_KEY', 'a licence key for the licence operations on a live target', { secret: true }),
  setting(
    'FORTISOAR_UNIQUE_FIELDS',
    'the unique fields of FORTISOAR_MODULE (Module Editor), comma-separated; unset: the upsert test discovers whether a second upsert updates, or skips',
    { default: 'unknown (stub: sourceId)' },
  ),
  setting('FORTISOAR_VERSION', 'FortiSOAR version whose documented behaviour is checked', { default: '7.0.2' }),
  setting('FORTISOAR_MODULE', 'module the record, bulk and paging tests write to', { default: 'alerts' }),
  setting('FORTISOAR_RELATION', '`<parent>/<related>` modules of the relationship tests', { default: 'incidents/assets' }),

  // --- FortiCASB -----------------------------------------------------------------------------
  setting('FORTICASB_URL', 'base URL of FortiCASB (live mode); unset: FortiCASB is skipped'),
  setting('FORTICASB_TOKEN', 'a ready FortiCASB access token (`Authorization: Bearer <token>`)', { secret: true }),
  setting('FORTICASB_CLIENT_ID', 'instead of FORTICASB_TOKEN: API client id the suite exchanges for a token'),
  setting('FORTICASB_CLIENT_SECRET', 'secret of FORTICASB_CLIENT_ID', { secret: true }),
  setting('FORTICASB_COMPANY_ID', 'the `companyId` request header: your company (tenant) id on FortiCASB'),
  setting('FORTICASB_BU_ID', 'the `buId` request header: the business unit whose alerts are read'),
  setting('FORTICASB_SERVICE', 'the `service` request header: the cloud service whose alerts are read (Salesforce, Office365, ...)'),

  // --- FortiMail Browser Security ------------------------------------------------------------
  setting('FMBS_URL', 'base URL of FortiMail Browser Security (live mode); unset: FMBS is skipped'),
  setting('FMBS_TOKEN', 'a ready FMBS access token (`Authorization: Bearer <token>`)', { secret: true }),
  setting('FMBS_CLIENT_ID', 'instead of FMBS_TOKEN: OAuth2 client id the suite exchanges for a token'),
  setting('FMBS_CLIENT_SECRET', 'secret of FMBS_CLIENT_ID', { secret: true }),
  setting('FMBS_TOKEN_URL', 'OAuth2 token URL for FMBS_CLIENT_ID', { default: '$FMBS_URL/oauth2/token' }),

  // --- safety, limits, run -------------------------------------------------------------------
  setting('CONFORMANCE_DESTRUCTIVE', '1 runs operations that change or delete data the suite did not create', { default: '0' }),
  setting('CONFORMANCE_MAX_PAGES', 'most pages one walk reads on a live target', { default: '50' }),
  setting('CONFORMANCE_TIMEOUT_MS', 'timeout of one request, in milliseconds', { default: '30000' }),
  setting('CONFORMANCE_INSECURE_TLS', '1 accepts certificates that cannot be verified (self-signed)', { default: '0' }),
  setting('CONFORMANCE_MAX_RESPONSE_MB', 'largest response body read, in MB after decompression; a larger one is a [body] failure', { default: '50' }),
  setting('CONFORMANCE_MAX_RPS', 'live mode: requests a second per product for the whole run, shared equally by the workers', { default: '20' }),
  setting('CONFORMANCE_MAX_CONCURRENCY', 'live mode: requests in flight per product for the whole run, shared by the workers (at least one each)', {
    default: '4',
  }),
  setting('CONFORMANCE_WORKERS', 'parallel Playwright workers', { default: '2 against the stub, 4 live' }),
  setting('CONFORMANCE_BASELINE', 'the baseline of accepted deviations', { default: './conformance-baseline.json' }),
  setting('CONFORMANCE_RUN_ID', 'marker of this run in the names of the records it creates', { default: 'generated per run' }),
  setting(
    'CONFORMANCE_STUB_MUTANT',
    'stub mode: answer from this variant of the stub (src/stub/variants/), broken or latitude, to see a failure or a freedom',
    { default: 'none' },
  ),
  setting('CONFORMANCE_VARIANTS', '`npm run variants`: comma-separated ids of the stub variants to run', { default: 'all' }),
  setting('CONFORMANCE_ORDER', 'the order tests run in: spec, reverse, or shuffle:<seed> (npm test shows no test depends on what ran before it)', {
    default: 'spec',
  }),

  // --- set by the suite's own scripts ---------------------------------------------------------
  { name: 'CONFORMANCE_UPDATE_BASELINE', kind: 'internal', meaning: 'set to 1 by `npm run conformance -- --update-baseline` for the reporter' },
  {
    name: 'CONFORMANCE_PROJECTS',
    kind: 'internal',
    meaning: 'set by playwright.config.ts for its workers: one project for every product (a stub run) or one per product',
  },
  {
    name: 'CONFORMANCE_PREFLIGHT',
    kind: 'internal',
    meaning: "set by the live run's global setup for its workers: which products' preflight failed, and why (redacted)",
  },
  {
    name: 'CONFORMANCE_ISSUED_TOKENS_FILE',
    kind: 'internal',
    meaning: 'set by `npm run conformance`: a private file where workers record the tokens they are issued, for the redaction and the artefact scan',
  },
  { name: 'CONFORMANCE_VARIANTS_REPORT', kind: 'internal', meaning: 'set by `npm run variants`: where the variants run writes its JSON report' },
  {
    name: 'CONFORMANCE_SETTINGS_CHECKED',
    kind: 'internal',
    meaning: 'set to 1 once the unknown-variable warning was printed, so that workers and child processes do not print it again',
  },

  // --- read, set by others ------------------------------------------------------------------
  { name: 'npm_lifecycle_event', kind: 'external', meaning: 'set by `npm run`: `npm run stub` then also watches npm, to stop with it' },
  { name: 'CI', kind: 'external', meaning: 'set by CI systems: `test.only` fails the run' },
  {
    name: 'FORCE_COLOR',
    kind: 'external',
    meaning: "read by Playwright: `npm run conformance` sets it for its child when the terminal shows colours, as the child's output goes through a pipe",
  },
  { name: 'TEST_WORKER_INDEX', kind: 'external', meaning: 'set by Playwright in its workers: the configuration prints its notes once, in the runner' },
  {
    name: 'PLAYWRIGHT_BLOB_OUTPUT_DIR',
    kind: 'external',
    meaning: "Playwright's blob report directory; `npm run conformance` sets it for a sharded run",
  },
];

const BY_NAME = new Map(VARIABLES.map((v) => [v.name, v]));

/**
 * Optimal string alignment distance (Levenshtein with adjacent transpositions), so that
 * `VERISON` is one edit from `VERSION`.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known variable nearest to `name`, when it is near enough to be what was meant. */
export function nearestVariable(name: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const v of VARIABLES) {
    if (v.kind === 'external') continue;
    const distance = editDistance(name, v.name);
    if (!best || distance < best.distance) best = { name: v.name, distance };
  }
  // A third of the name may be wrong (a typo, a missing word), never more.
  return best && best.distance <= Math.max(2, Math.floor(name.length / 3)) ? best.name : undefined;
}

export interface UnknownVariable {
  readonly name: string;
  readonly suggestion?: string;
}

/** Variables of the environment with the suite's prefixes that the suite does not read. */
export function unknownVariables(env: Readonly<Record<string, string | undefined>>): UnknownVariable[] {
  return Object.keys(env)
    .filter((name) => PREFIXES.some((p) => name.startsWith(p)) && !BY_NAME.has(name))
    .sort()
    .map((name) => {
      const suggestion = nearestVariable(name);
      return suggestion ? { name, suggestion } : { name };
    });
}

/** One line per unknown variable, for the warning at the start of a run. */
export function describeUnknown(unknown: readonly UnknownVariable[]): string[] {
  return unknown.map(
    (u) =>
      `Warning: ${u.name} is set but is not a setting of this suite; ${u.suggestion ? `did you mean ${u.suggestion}?` : 'see the README, "Settings"'} (it is ignored)`,
  );
}
