/**
 * How a FortiSOAR stub behaves where the guide and real 7.x servers differ, and how long its
 * asynchronous jobs run. `documented` (the default, what the conformance suite runs against)
 * answers what fortisoar-api-guide.txt says and, where it is silent, what the field notes say;
 * `recorded` answers what recordings of real FortiSOAR 7.6.5 servers show (the fortisoar-api-docs
 * project's live observations, pyfsr's captures). `RECORDED_DIFFERENCES` is the one list of what
 * the switch changes: `npm run stub -- --help` and the README print it.
 */
import { compareVersions } from '../../config/index.ts';

export const BEHAVIOURS = ['documented', 'recorded'] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

export interface FortiSoarSettings {
  readonly behaviour: Behaviour;
  /**
   * An asynchronous job (import, export, log collection) completes after POLLS_TO_COMPLETE
   * "still running" answers or this many seconds after it started, whichever comes first, so a
   * job nobody polls ends by itself (issue 15: an abandoned log collection blocked every later one).
   */
  readonly jobSeconds: number;
  /** The clock, epoch milliseconds (tests pass their own). */
  readonly now: () => number;
  /** API keys accepted besides the well-known one and listed in `GET /api/3/api_keys`. */
  readonly apiKeys: readonly string[];
  /**
   * The FortiSOAR version whose documented behaviour the stub answers where the guide says it
   * changed (FORTISOAR_VERSION in stub mode); unset, the newest the guide describes. Before
   * 7.0.0 collections carry the legacy paging keys without `$legacy_collection_view=true`
   * ("From version 7.0.0 onwards, the 'Pagination' response has changed").
   */
  readonly version?: string;
}

/** Before 7.0.0 the legacy paging keys were the default view of a collection. */
export const legacyViewByDefault = (s: FortiSoarSettings): boolean => s.version !== undefined && compareVersions(s.version, '7.0.0') < 0;

/** A few seconds: long enough that a client polling at once sees "still running", short enough that nothing waits on an abandoned job. */
export const JOB_SECONDS = 5;

export const DEFAULT_SETTINGS: FortiSoarSettings = { behaviour: 'documented', jobSeconds: JOB_SECONDS, now: Date.now, apiKeys: [] };

/** The version `GET /api/version` names: the newest the guide describes, or the one the recordings come from. */
export const STUB_VERSION: Readonly<Record<Behaviour, string>> = { documented: '7.0.2-0', recorded: '7.6.5-5662' };

/** What `recorded` changes, one line per difference: the documented answer → the recorded one. */
export const RECORDED_DIFFERENCES: readonly string[] = [
  'records: only the fields that were set → every field of the module (staging_model_metadatas), null where unset',
  'DELETE /api/3/comments/{uuid}: 204 without a body (as for every module) → 200 with the deleted comment, "isDeleted": true',
  'POST /api/3/upsert/{module}: 200 → 201, the record either way',
  'POST /api/3/bulkupsert/{module} when every row succeeds: 200 {"success", "failure": []} → 201 hydra:Collection of the records',
  'POST /api/3/insert/{module} when every row succeeds: 200 hydra:Collection ("@id": null) → 201 hydra:Collection with "@id" and hydra:totalItems',
  'POST /api/public/license get_status without nodeId: the receiving node\'s {"depl_status", "depl_info"} → {"depl_status", "depl_message": null}',
  'workflow executions (/api/wf/api/workflows/, the workflow log query): "tags" a list → one comma-separated string (field notes)',
  `GET /api/version: {"version": "${STUB_VERSION.documented}"} → {"version": "${STUB_VERSION.recorded}"}`,
];

export function settingsOf(partial: Partial<FortiSoarSettings> = {}): FortiSoarSettings {
  const given = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const s: FortiSoarSettings = { ...DEFAULT_SETTINGS, ...given };
  if (!BEHAVIOURS.includes(s.behaviour)) throw new Error(`[stub] behaviour must be ${BEHAVIOURS.join(' or ')}, got "${s.behaviour}"`);
  if (!(s.jobSeconds >= 0)) throw new Error(`[stub] jobSeconds must be a number of seconds, got ${s.jobSeconds}`);
  return s;
}
