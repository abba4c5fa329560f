/**
 * What went wrong opening or reading a market database, said in the user's terms: SQLite's own messages
 * ("database disk image is malformed", "unable to open database file") name neither the file nor a remedy,
 * and the same code means different things (a CSV, a half-copied file, a WAL file on a read-only disk).
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { BarwiseError } from '../errors.js';

export const LOCK_WAIT_MS = 3000;

const SQLITE_MAGIC = 'SQLite format 3\0';

export function describeStoreError(err: unknown, path: string): BarwiseError {
  if (err instanceof BarwiseError) return err;
  const code = String((err as { code?: unknown }).code ?? '');
  const message = (err as Error).message ?? String(err);
  if (code.startsWith('SQLITE_BUSY')) {
    return new BarwiseError('DB_LOCKED', `market database ${path} is locked by another process (waited ${LOCK_WAIT_MS / 1000} s)`,
      'Wait for the process writing to it (an import?) to finish and run again, or run on a copy of the file.');
  }
  const head = readHead(path);
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY')) {
    const dir = nodePath.dirname(nodePath.resolve(path));
    if (head && isWal(head) && !isWritable(dir)) {
      return new BarwiseError('DB_UNREADABLE',
        `cannot read market database ${path}: it is in WAL mode and its folder ${dir} is not writable (a read-only disk or permissions), so SQLite cannot create the ${nodePath.basename(path)}-shm file it needs to read it`,
        `Copy the file to a writable folder and pass the copy with --db, or switch it out of WAL mode once where it is writable: sqlite3 ${path} "PRAGMA journal_mode=DELETE".`);
    }
    return new BarwiseError('DB_UNREADABLE', `cannot open market database ${path}: ${message}`,
      'Check that you may read the file and that its folder is reachable.');
  }
  if (head && !head.subarray(0, 16).equals(Buffer.from(SQLITE_MAGIC, 'latin1'))) {
    return new BarwiseError('DB_UNREADABLE', `cannot read market database ${path}: it is not an SQLite database${looksLikeText(head) ? ' (it looks like a text file, e.g. a CSV)' : ''}`,
      'Pass --db with the SQLite file holding ohlcv_data; import CSV bars into one with `npm run import -- --csv FILE --db PATH`.');
  }
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB') || code === 'SQLITE_IOERR_SHORT_READ') {
    return new BarwiseError('DB_UNREADABLE', `cannot read market database ${path}: the file is damaged (${message})`,
      `The file is truncated or partly overwritten (a copy or download that did not finish?). Check it with sqlite3 ${path} "PRAGMA integrity_check"; restore it from a backup, copy it again, or rebuild it with \`npm run import\`.`);
  }
  return new BarwiseError('DB_UNREADABLE', `cannot read market database ${path}: ${message}`,
    'Check that the file is a complete SQLite database you may read.');
}

function readHead(path: string): Buffer | null {
  try {
    const fd = fs.openSync(path, 'r');
    try {
      const buf = Buffer.alloc(100);
      const n = fs.readSync(fd, buf, 0, 100, 0);
      return buf.subarray(0, n);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** Bytes 18 and 19 of the header (file format write and read versions) are 2 in WAL mode. */
function isWal(head: Buffer): boolean {
  return head.length >= 20 && head[18] === 2 && head[19] === 2;
}

function isWritable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function looksLikeText(head: Buffer): boolean {
  return head.length > 0 && head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128);
}
