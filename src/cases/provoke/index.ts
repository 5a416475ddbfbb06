/**
 * Scenario registry: how each documented status is provoked, by id. A spec response names its
 * scenario in `x-cases[].scenario`; one module per product (plus the shared ones).
 */
import type { Scenario } from '../context.ts';
import { common } from './common.ts';
import { fmbs } from './fmbs.ts';
import { forticasb } from './forticasb.ts';
import { fortisoar } from './fortisoar.ts';
import { fortisoarAdmin } from './fortisoar-admin.ts';

export const SCENARIOS: Readonly<Record<string, Scenario>> = { ...common, ...fortisoar, ...fortisoarAdmin, ...forticasb, ...fmbs };
