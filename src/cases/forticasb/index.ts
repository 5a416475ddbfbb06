/** FortiCASB's scenarios, by id. */
import type { ProductCases } from '../registry.ts';
import { alerts } from './alerts.ts';
import { refusals } from './refusals.ts';

export const forticasbCases: ProductCases = { scenarios: { ...alerts, ...refusals } };
