/**
 * Figures of repeated runs: the median with min and max, and the machine they ran on. Every
 * figure of the benchmark is a `Summary` of its runs, so the table and results.json read alike.
 */

import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: readonly number[];
}

export function summary(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('[bench] no runs to summarise');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, runs: values };
}

/** The summary of one field of each run. */
export const summarise = <T>(runs: readonly T[], pick: (run: T) => number): Summary => summary(runs.map(pick));

/** `12.3 s (11.9–13.0)`, or the median alone when every run agrees. */
export function show(s: Summary, unit: string, digits = 1, scale = 1): string {
  const f = (v: number): string => (v / scale).toFixed(digits);
  const range = s.min === s.max ? '' : ` (${f(s.min)}–${f(s.max)})`;
  return `${f(s.median)}${unit ? ` ${unit}` : ''}${range}`;
}

export interface Machine {
  readonly node: string;
  readonly playwright: string;
  readonly cores: number;
  readonly cpu: string;
  readonly memoryGB: number;
  readonly platform: string;
  /** 1-minute load average when the benchmark started and ended: other work on the machine skews every figure. */
  loadAverage: { start: number; end?: number };
}

export function machine(): Machine {
  const require = createRequire(import.meta.url);
  const { version } = require('@playwright/test/package.json') as { version: string };
  return {
    node: process.version,
    playwright: version,
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
    loadAverage: { start: loadavg()[0]! },
  };
}

export const currentLoad = (): number => loadavg()[0]!;
