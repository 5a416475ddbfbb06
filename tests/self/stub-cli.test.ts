/**
 * `npm run stub` as a user meets it: a busy port is one line and exit code 2, and stopping it
 * through npm stops the servers.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = ['--import', 'tsx', 'src/stub/serve-cli.ts'];

const listening = async (): Promise<Server> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};

/** Resolves with the child's output once it printed `ready` (or exited). */
function untilReady(child: ChildProcess): Promise<string> {
  let out = '';
  return new Promise((resolve) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (/^ready$/m.test(out)) resolve(out);
    });
    child.on('exit', () => resolve(out));
  });
}

const refused = async (url: string): Promise<boolean> =>
  fetch(url).then(
    () => false,
    () => true,
  );

test.describe('npm run stub', () => {
  test('a busy port is one line naming --port 0, exit 2, no stack trace', async () => {
    const busy = await listening();
    const port = (busy.address() as { port: number }).port;
    try {
      const r = spawnSync(process.execPath, [...CLI, '--port', String(port)], { cwd: ROOT, encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^npm run stub: port 127\\.0\\.0\\.1:${port} is in use .*--port 0`))]);
      expect(r.stdout).toBe('');
    } finally {
      busy.close();
    }
  });

  test('a wrong option is one line pointing at --help, exit 2', () => {
    const r = spawnSync(process.execPath, [...CLI, '--prot', '0'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^npm run stub: Unknown option '--prot'.*\(npm run stub -- --help lists the options\)$/),
    ]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  test('--settings-file writes the suite settings a shell can source', async () => {
    const file = join(tmpdir(), `stub-settings-${process.pid}-${Date.now()}.env`);
    const child = spawn(process.execPath, [...CLI, '--port', '0', '--settings-file', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await untilReady(child);
      const text = readFileSync(file, 'utf8');
      expect(text).toMatch(/^CONFORMANCE_TARGET='live'\nFORTISOAR_URL='http:\/\/127\.0\.0\.1:\d+'\n/);
      const sourced = spawnSync('sh', ['-c', `. '${file}'; printf %s "$FMBS_URL"`], { encoding: 'utf8' });
      expect(sourced.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      child.kill('SIGTERM');
    }
  });

  test('--fortisoar-version answers as that version and puts it in the settings (a 6.x run replays against a 6.x stub)', async () => {
    const file = join(tmpdir(), `stub-settings-${process.pid}-${Date.now()}-v.env`);
    const child = spawn(process.execPath, [...CLI, '--port', '0', '--fortisoar-version', '6.4.4', '--settings-file', file], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await untilReady(child);
      const settings = Object.fromEntries(
        readFileSync(file, 'utf8')
          .trim()
          .split('\n')
          .map((l) =>
            l
              .split(/=(.*)/)
              .slice(0, 2)
              .map((v) => v.replace(/^'|'$/g, '')),
          ),
      ) as Record<string, string>;
      expect(settings.FORTISOAR_VERSION).toBe('6.4.4');
      const login = await fetch(`${settings.FORTISOAR_URL}/auth/authenticate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ credentials: { loginid: settings.FORTISOAR_USERNAME, password: settings.FORTISOAR_PASSWORD } }),
      });
      const { token } = (await login.json()) as { token: string };
      const page = (await (await fetch(`${settings.FORTISOAR_URL}/api/3/alerts?$limit=2`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<
        string,
        unknown
      >;
      // "From version 7.0.0 onwards, the 'Pagination' response has changed": before it, the legacy keys.
      expect(page).toHaveProperty('hydra:itemsPerPage');
    } finally {
      child.kill('SIGTERM');
    }
    const bad = spawnSync(process.execPath, [...CLI, '--fortisoar-version', 'seven'], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('npm run stub: --fortisoar-version must look like 7.0.2, got "seven"');
  });

  // SIGTERM to npm reaches the shell npm started, not the stub: the stub must notice.
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    test(`${signal} to npm stops the servers`, async () => {
      test.skip(process.platform !== 'linux', 'reads /proc');
      const npm = spawn('npm', ['run', 'stub', '--', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
      try {
        const out = await untilReady(npm);
        const url = /FortiSOAR stub: (http:\/\/\S+)/.exec(out)?.[1];
        expect(url, out).toBeTruthy();
        expect(await refused(url!)).toBe(false);
        npm.kill(signal);
        await expect.poll(() => refused(url!), { timeout: 5000 }).toBe(true);
      } finally {
        // Whatever is left of the process group this test started.
        try {
          process.kill(-npm.pid!, 'SIGKILL');
        } catch {}
      }
    });
  }

  test('Ctrl-C (SIGINT to the process group) stops the servers', async () => {
    const npm = spawn('npm', ['run', 'stub', '--', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    try {
      const out = await untilReady(npm);
      const url = /FortiSOAR stub: (http:\/\/\S+)/.exec(out)![1];
      process.kill(-npm.pid!, 'SIGINT');
      await expect.poll(() => refused(url), { timeout: 5000 }).toBe(true);
    } finally {
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {}
    }
  });
});
