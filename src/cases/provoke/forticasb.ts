import type { Scenario } from '../context.ts';

export const forticasb: Readonly<Record<string, Scenario>> = {};
