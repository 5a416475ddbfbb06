/**
 * State of the administration part of the FortiSOAR stub, kept beside the record state (one per
 * FortiSoarState, created lazily) so that resetting the stub resets it too. Asynchronous jobs
 * (log collection, import, export) advance by polls: each documented status poll moves a job on,
 * so "still running" (202, "In Progress") is observable and completion follows deterministically,
 * without clocks or sleeps.
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
import type { FortiSoarState } from './state.ts';

/** Status polls a job answers "still running" before it completes. */
export const POLLS_TO_COMPLETE = 2;

export interface Configuration extends ConfigurationSeed {
  readonly connector_version: string;
}

export interface Workflow extends WorkflowSeed {}

export interface LogCollection {
  readonly filename: string;
  polls: number;
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
  /** Polls left before an import or export job (by uuid) completes. */
  readonly jobPolls = new Map<string, number>();

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
