/**
 * State of the administration part of the FortiSOAR stub, kept beside the record state (one per
 * FortiSoarState, created lazily) so that resetting the stub resets it too. Asynchronous jobs
 * (log collection, import, export) advance by polls and with time: a job answers "still running"
 * (202, "In Progress") to its first POLLS_TO_COMPLETE status polls and completes at the next one,
 * or once `settings.jobSeconds` have passed since it started, whichever comes first. So running is
 * observable right after the trigger, completion follows deterministically for a client that
 * polls, and a job nobody polls ends by itself (issue 15). No timers: a job is settled when a
 * request looks at it.
 */
import {
  adminFaker,
  type ConfigurationSeed,
  type ConnectorSeed,
  type NodeSeed,
  seedConfigurations,
  seedConnectors,
  seedDevelopmentConnectors,
  seedNodes,
  seedWorkflows,
  type WorkflowSeed,
} from '../../../fixtures/fortisoar/admin.ts';
import type { FortiSoarSettings } from './settings.ts';
import type { FortiSoarState } from './state.ts';

/** Status polls a job answers "still running" before it completes. */
export const POLLS_TO_COMPLETE = 2;

/** A job that has not completed yet. */
export interface RunningJob {
  /** "Still running" answers given so far. */
  polls: number;
  /** When it started (settings.now, epoch ms). */
  readonly started: number;
}

/** Whether a running job has completed by now: POLLS_TO_COMPLETE running answers given, or its time is up. */
export function jobDone(job: RunningJob, settings: FortiSoarSettings): boolean {
  return job.polls >= POLLS_TO_COMPLETE || settings.now() - job.started >= settings.jobSeconds * 1000;
}

export const startJob = (settings: FortiSoarSettings): RunningJob => ({ polls: 0, started: settings.now() });

/** A status poll of a running job: whether it has completed by now (the caller completes it); a job still running counts the poll. */
export function polled(job: RunningJob, settings: FortiSoarSettings): boolean {
  if (jobDone(job, settings)) return true;
  job.polls++;
  return false;
}

export interface Configuration extends ConfigurationSeed {
  readonly connector_version: string;
}

export interface Workflow extends WorkflowSeed {}

export interface LogCollection extends RunningJob {
  readonly filename: string;
}

export class AdminState {
  readonly nodes: NodeSeed[];
  readonly connectors: ConnectorSeed[];
  readonly development: ConnectorSeed[];
  configurations: Configuration[];
  nextConfigurationId = 100;
  workflows: Workflow[];
  readonly licence = { key: 'stub-licence-key', deplStatus: 'finished', deplStart: '2020-12-23T12:23:30.771975', deployments: 0 };
  readonly audit = { automaticPurge: true, entries: [] as number[] };
  readonly loggedOut = new Set<string>();
  logCollection?: LogCollection;
  readonly logFiles = new Map<string, Buffer>();
  /** Import and export jobs (by uuid) that have not completed yet. */
  readonly jobs = new Map<string, RunningJob>();

  constructor() {
    const f = adminFaker();
    this.nodes = seedNodes(f);
    this.connectors = seedConnectors();
    this.development = seedDevelopmentConnectors();
    this.configurations = seedConfigurations(f).map((c) => ({ ...c, connector_version: this.connectors.find((x) => x.id === c.connector)!.version }));
    this.workflows = seedWorkflows(f);
    // One audit entry a day over 2020 (epoch seconds).
    for (let d = 0; d < 366; d++) this.audit.entries.push(Date.UTC(2020, 0, 1) / 1000 + d * 86_400);
  }

  /** The node "on which the API call is received". */
  get self(): NodeSeed {
    return this.nodes[0]!;
  }
}

const states = new WeakMap<FortiSoarState, AdminState>();

export function adminState(state: FortiSoarState): AdminState {
  let s = states.get(state);
  if (!s) {
    s = new AdminState();
    states.set(state, s);
  }
  return s;
}

/** Dotted versions compared numerically (one implementation, in the configuration module). */
export { compareVersions as compareVersion } from '../../config/index.ts';
