/**
 * The column cache: a task window's stored rows (six numbers a row, as toColumns packs them) kept in a binary
 * file, so a repeated run over the same store reads ~40 KB per ticker instead of one indexed SQLite row per
 * bar (~0.6-0.9 µs a bar, 50-60% of a module scanner's worker time on the bench universe, profiled).
 *
 * Disposable, never the truth: a file is named by the market-data fingerprint of the ticker (the run plan's,
 * src/plan/fingerprint-market.ts) with the window and timeframe, so changed data has another name and is read
 * from SQLite again. A file is written only when the worker, in the same read transaction as its rows, finds
 * the ticker's fingerprint equal to the plan's: rows read after another process committed (a run that then
 * fails with DB_CHANGED) never land under the old name. A file that cannot be read or has the wrong size is a
 * miss; a write that fails is skipped. The folder can be deleted at any time.
 *
 * Opt-in: `$BARWISE_COLUMN_CACHE` names a folder, or says `on` for `$XDG_DATA_HOME/barwise/column-cache` (else
 * `~/.local/share/barwise/column-cache`, beside the default results database). Unset or `off`, nothing is cached:
 * the first run over a window reads it twice to fill the cache, and nothing prunes the folder, so a user who
 * repeats runs over the same store (parameter iterations, sweeps of a fixed range) chooses it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { locateDataHome } from '../results/default-results-db.js';

export const COLUMN_CACHE_ENV = 'BARWISE_COLUMN_CACHE';
/** Changes whenever the file layout or what a row holds changes: older files are then never opened. */
const FORMAT = `barwise-columns-1-${os.endianness()}`;
const MAGIC = Buffer.from('BWCOLS01');
const ROW_BYTES = 6 * 8;

/** What names a task window's rows: the ticker's fingerprint entry, over the plan's range. */
export interface ColumnCacheKey {
  ticker: string;
  timeframe: string;
  /** The task window, [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  /** The plan's market fingerprint of the ticker: [bars, first timestamp, last timestamp, checksum]. */
  entry: readonly [number, number, number, string];
}

/** The cache folder, or null when the cache is off. */
export function locateColumnCache(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string | null {
  const fromEnv = env[COLUMN_CACHE_ENV];
  if (!fromEnv || fromEnv === 'off') return null;
  if (fromEnv === 'on') return path.join(locateDataHome(env, home), 'column-cache');
  return path.resolve(fromEnv);
}

export function columnCacheFile(dir: string, key: ColumnCacheKey): string {
  const name = createHash('sha256').update(JSON.stringify([FORMAT, key.ticker, key.timeframe, key.fromMs, key.toMs, key.entry])).digest('hex');
  return path.join(dir, `${name.slice(0, 40)}.bin`);
}

/** The rows kept for `key`, or null (no file, or one that is not a whole column file). */
export function readColumnCache(dir: string, key: ColumnCacheKey): Float64Array | null {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(columnCacheFile(dir, key));
  } catch {
    return null;
  }
  if (buf.length < MAGIC.length || (buf.length - MAGIC.length) % ROW_BYTES !== 0 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  // A copy: the file's buffer need not be aligned for a Float64Array view.
  const rows = new Float64Array((buf.length - MAGIC.length) / 8);
  new Uint8Array(rows.buffer).set(buf.subarray(MAGIC.length));
  return rows;
}

/** Keeps `rows` for `key`; a failure (full disk, read-only folder) only means the next run reads SQLite again. */
export function writeColumnCache(dir: string, key: ColumnCacheKey, rows: Float64Array): void {
  const file = columnCacheFile(dir, key);
  // Written aside, then renamed: a reader never sees half a file, and two workers writing the same name agree.
  const tmp = `${file}.${process.pid}-${threadId}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(tmp, Buffer.concat([MAGIC, new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength)]));
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing more to do: the cache is optional
    }
  }
}
