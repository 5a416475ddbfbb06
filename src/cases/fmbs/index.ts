/** FortiMail Browser Security's scenarios, by id. */
import type { ProductCases } from '../registry.ts';
import { auditLog } from './audit-log.ts';

export const fmbsCases: ProductCases = { scenarios: auditLog };
