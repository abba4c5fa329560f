/**
 * A scanner as a shard job carries it: the scanner file and every file it imports locally (found as the
 * scanner's hash finds them, src/plan/hash-scanner.ts), each by its path relative to the folder that holds
 * them all, with its bytes. A worker writes them under a directory of its own and loads the scanner from
 * there, so the scanner's relative imports resolve to the coordinator's files as sent, never to a file of the
 * same path on the worker's disk; it first checks that the files it was sent make the plan's scanner hash.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { BarwiseError } from '../errors.js';
import { hashScannerFiles, readScannerFiles } from '../plan/hash-scanner.js';

export interface PackedScanner {
  /** The scanner file, relative to the folder holding all the files, `/`-separated. */
  entry: string;
  /** Sorted by path. */
  files: { path: string; base64: string }[];
  /** The scanner's content hash (the run plan's `scanner.sha256`). */
  sha256: string;
}

/**
 * What one shard job may carry of scanner code: every job carries it (a job is self-contained), and Redis
 * holds every job in flight, so a scanner folder the size of a project is refused rather than copied 64 times.
 */
export const PACK_LIMIT_BYTES = 4 * 1024 * 1024;

export function packScanner(scannerPath: string): PackedScanner {
  const files = readScannerFiles(scannerPath);
  const bytes = files.reduce((n, f) => n + f.bytes.length, 0);
  if (bytes > PACK_LIMIT_BYTES) {
    throw new BarwiseError('USAGE', `${path.basename(scannerPath)} and the files it imports are ${(bytes / 1024 / 1024).toFixed(1)} MB: more than the ${PACK_LIMIT_BYTES / 1024 / 1024} MB a scanner sent over the queue may be`,
      `Every shard carries the scanner's files; import large data from the market database or a package instead, or run without --queue.`);
  }
  // The folder holding them all: a helper in ../lib keeps its place beside the scanner's folder.
  let root = path.dirname(path.resolve(scannerPath));
  while (!files.every((f) => !path.relative(root, f.file).startsWith('..'))) root = path.dirname(root);
  const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
  return {
    entry: rel(path.resolve(scannerPath)),
    files: files.map((f) => ({ path: rel(f.file), base64: f.bytes.toString('base64') })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    sha256: hashScannerFiles(files),
  };
}

/** Writes the files under `dir` and returns the scanner's path there; refuses a pack that is not what its hash says. */
export function unpackScanner(packed: PackedScanner, dir: string): string {
  const bad = (why: string) => new BarwiseError('WORKER_REFUSED', `the shard's scanner files ${why}`);
  if (!packed || !Array.isArray(packed.files) || typeof packed.entry !== 'string') throw bad('are missing');
  const safe = (p: string) => typeof p === 'string' && p !== '' && !path.posix.isAbsolute(p) && !p.split('/').includes('..') && !p.includes('\\');
  if (!packed.files.every((f) => safe(f.path)) || !packed.files.some((f) => f.path === packed.entry)) throw bad('name paths outside the scanner\'s folder, or lack the scanner');
  const base = path.posix.dirname(packed.entry);
  const decoded = packed.files.map((f) => ({ path: f.path, bytes: Buffer.from(f.base64, 'base64') }));
  const sha256 = hashScannerFiles(decoded.map((f) => ({ relative: path.posix.relative(base, f.path), sha256: createHash('sha256').update(f.bytes).digest('hex') })));
  if (sha256 !== packed.sha256) throw bad(`do not make the scanner hash ${packed.sha256.slice(0, 12)} (they make ${sha256.slice(0, 12)})`);
  for (const f of decoded) {
    const target = path.join(dir, ...f.path.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.bytes);
  }
  return path.join(dir, ...packed.entry.split('/'));
}
