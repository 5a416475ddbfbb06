#!/usr/bin/env node
/**
 * `node bench/cputime.mjs <out.json> <command> [args...]`: runs the command, then writes its wall
 * time and the CPU time (user + system) of it and every process it waited for (Playwright's runner
 * and its workers) to out.json, and exits with its status. CPU time hardly depends on what else
 * the machine is doing, so it shows where time goes even on a busy machine. Linux only (it reads
 * cutime and cstime from /proc/self/stat); elsewhere cpuMs is null.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [out, command, ...args] = process.argv.slice(2);
if (!out || !command) {
  console.error('usage: node bench/cputime.mjs <out.json> <command> [args...]');
  process.exit(2);
}
const started = performance.now();
const result = spawnSync(command, args, { stdio: 'inherit' });
const wallMs = performance.now() - started;

/** Clock ticks of children waited for, from /proc/self/stat (fields 16 and 17; 100 ticks a second on Linux). */
function childrenCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[13]) + Number(fields[14]);
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

writeFileSync(out, JSON.stringify({ wallMs, cpuMs: childrenCpuMs() }));
process.exit(result.status ?? 1);
