/**
 * FortiSOAR administration, configuration, integration, workflow and log-collection handlers
 * (fortisoar-api-guide.txt: licensing, forced logout, bulk users, HA health, "Audit Log Purge
 * Operations", "Export and Import Configurations Operations", "Integration APIs", "Workflow
 * Execution", "Log Collection Operations"), by operationId. One module per section group.
 */
import type { Handler } from '../core/types.ts';
import { integrationHandlers } from './integration.ts';
import { jobHandlers } from './jobs.ts';
import { licensingHandlers } from './licensing.ts';
import type { FortiSoarState } from './state.ts';
import { workflowHandlers } from './workflows.ts';

export const adminHandlers: Record<string, Handler<FortiSoarState>> = {
  ...licensingHandlers,
  ...jobHandlers,
  ...integrationHandlers,
  ...workflowHandlers,
};
