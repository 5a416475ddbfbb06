/**
 * FortiSOAR's scenarios, by id, and what the product adds to the generic engine: its version
 * and credential rules, and the records Hydra walks page through.
 */
import type { ProductCases } from '../registry.ts';
import { auth } from './auth.ts';
import { bulk } from './bulk.ts';
import { integration } from './integration.ts';
import { licensing } from './licensing.ts';
import { logCollection } from './log-collection.ts';
import { records, seedCollection } from './records.ts';
import { relationships } from './relationships.ts';
import { sessions } from './sessions.ts';
import { transfer } from './transfer.ts';
import { workflowCleanup } from './workflow-cleanup.ts';
import { workflowHistory } from './workflow-history.ts';
import { workflowLogs } from './workflow-logs.ts';

export const fortisoarCases: ProductCases = {
  scenarios: {
    ...auth,
    ...records,
    ...bulk,
    ...relationships,
    ...licensing,
    ...sessions,
    ...transfer,
    ...integration,
    ...workflowHistory,
    ...workflowLogs,
    ...workflowCleanup,
    ...logCollection,
  },
  hooks: { seedCollection },
  skipReason(c, config) {
    // Field notes: real servers accept `Authorization: API-KEY <key>` on /api/3/* but not on
    // /api/auth/*; the guide's /auth routes need a login too. Those operations need a JWT.
    if (config.fortisoar && !config.fortisoar.username && c.op.tags.includes('auth')) {
      return 'FORTISOAR_API_KEY is used: real servers reserve /auth and /api/auth for a JWT login (set FORTISOAR_USERNAME/FORTISOAR_PASSWORD)';
    }
    return undefined;
  },
};
