#!/usr/bin/env node
/**
 * `npm run conformance [-- <playwright options>]`: runs the conformance suite (against the
 * built-in stub unless CONFORMANCE_TARGET=live). Playwright options pass through unchanged
 * (`--project=fortisoar`, `-g "POST /api/3/insert"`, `--list`, `--shard=1/3`).
 * Exit codes: 0 conforming, 1 a test failed, 2 bad configuration.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cli = require.resolve('@playwright/test/cli');
const result = spawnSync(process.execPath, [cli, 'test', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
