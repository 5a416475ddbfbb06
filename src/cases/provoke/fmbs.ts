import type { Scenario } from '../context.ts';

export const fmbs: Readonly<Record<string, Scenario>> = {};
