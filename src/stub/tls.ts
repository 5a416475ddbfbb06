/**
 * A self-signed certificate for `npm run stub -- --tls` (some clients accept only https:// URLs;
 * pyfsr, for one, prefixes `https://` to every base URL). Node 20 has no X.509 generator, so the
 * certificate comes from the `openssl` command (OpenSSL 1.1.1 or later, for `-addext`), run once
 * at start into a fresh temporary directory; no package and no network needed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsFiles {
  readonly certPath: string;
  readonly keyPath: string;
  readonly cert: string;
  readonly key: string;
}

/** Subject alternative names: localhost, the loopback addresses, and `host` when it is something else. */
function altNames(host: string): string {
  const names = new Set(['DNS:localhost', 'IP:127.0.0.1', 'IP:::1']);
  if (host !== '0.0.0.0' && host !== '::') names.add(isIP(host) ? `IP:${host}` : `DNS:${host}`);
  return [...names].join(',');
}

/** Generates a key and a self-signed certificate valid 30 days for `host`; throws, naming the fix, when openssl is missing or fails. */
export function generateSelfSignedCertificate(host = '127.0.0.1'): TlsFiles {
  const dir = mkdtempSync(join(tmpdir(), 'fortinet-stub-tls-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const args = [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-days',
    '30',
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-subj',
    '/CN=fortinet-api-stub',
    '-addext',
    `subjectAltName=${altNames(host)}`,
  ];
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(
      '--tls generates a self-signed certificate with the openssl command, which is not on PATH: install OpenSSL, or pass your own with --tls-cert <cert.pem> --tls-key <key.pem>',
    );
  }
  if (r.status !== 0)
    throw new Error(`openssl could not generate the self-signed certificate (exit ${r.status}): ${(r.stderr || String(r.error ?? '')).trim()}`);
  return { certPath, keyPath, cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}

/** Reads a certificate and key the user supplies. */
export function readCertificate(certPath: string, keyPath: string): TlsFiles {
  return { certPath, keyPath, cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}
