/**
 * Just enough of a ZIP reader for the secret scan: Playwright's blob reports are zip files, and
 * its HTML report embeds its data as a base64 zip inside index.html, so a plain search of the
 * bytes would miss a secret in either. Stored and deflated entries; no ZIP64, no encryption
 * (an entry it cannot read is reported as such, never skipped silently).
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  readonly name: string;
  /** The entry's bytes, or why they could not be read. */
  readonly data: Buffer | { readonly unreadable: string };
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export const isZip = (b: Buffer): boolean => b.length >= 22 && b.readUInt32LE(0) === LOCAL;

/** The entries of a zip archive; throws when the archive itself cannot be read. */
export function readZip(b: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (b.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) throw new Error('no end of central directory');
  const count = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  if (p === 0xffffffff) throw new Error('ZIP64 archives are not supported');
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (b.readUInt32LE(p) !== CENTRAL) throw new Error(`bad central directory entry ${n}`);
    const method = b.readUInt16LE(p + 10);
    const size = b.readUInt32LE(p + 20);
    const nameLength = b.readUInt16LE(p + 28);
    const extraLength = b.readUInt16LE(p + 30);
    const commentLength = b.readUInt16LE(p + 32);
    const local = b.readUInt32LE(p + 42);
    const name = b.toString('utf8', p + 46, p + 46 + nameLength);
    p += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    const raw = b.subarray(start, start + size);
    let data: ZipEntry['data'];
    try {
      data = method === 0 ? raw : method === 8 ? inflateRawSync(raw) : { unreadable: `compression method ${method}` };
    } catch (e) {
      data = { unreadable: (e as Error).message };
    }
    entries.push({ name, data });
  }
  return entries;
}
