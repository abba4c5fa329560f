/**
 * The day database as a file, for scanners that run in another process (legacy scripts). One file per
 * ticker-day, a bar appended per step and committed at once, in WAL mode with synchronous OFF so the
 * script's own connection sees every committed bar without an fsync per bar.
 *
 * Each worker's files live in a directory of their own inside the run's temp directory: the directory of
 * `DATABASE_PATH` then holds this ticker-day's file only, never another worker's file of another ticker
 * growing ahead in time (a script that globs `*.db` next to its database would read it).
 *
 * Writes by the script: `PRAGMA data_version` changes when another connection commits, never for this one's own
 * inserts, so a step that wrote is known at once. By default that fails the ticker-day (SCANNER_WRITE), naming
 * what was written (describe-day-writes.ts). With `allowWrites` (--allow-scanner-writes) the file is the
 * script's scratch: before the next step it is rebuilt in place (everything in it dropped, the day refilled up to
 * that step), so a write reaches neither a later step nor another ticker-day. In place, not a new file: a
 * persistent script keeps its connection open on this path. The market database is never opened for writing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BarwiseError } from '../errors.js';
import type { Bar } from '../types.js';
import { EMPTY_CONTEXT, type DayContext } from './day-context.js';
import { createDayTables, DayFill } from './day-fill.js';
import { describeDayWrites } from './describe-day-writes.js';

export class FileDayDb {
  private db: Database.Database | null = null;
  private fill: DayFill | null = null;
  private dataVersion: Database.Statement | null = null;
  private version = 0;
  /** Inode of the file this connection writes: a script that deletes or replaces DATABASE_PATH changes it. */
  private inode = 0;
  path = '';
  /** This worker's own directory, made at the first day. */
  private own = '';
  /** The day as begun, to rebuild the file or to name what a script wrote. */
  private day: { bars: readonly Bar[]; timeframe: string; context: DayContext } | null = null;
  /** Last bar index filled (-1: none yet). */
  private filled = -1;
  /** What the script did since the last fill (allowed): the file is rebuilt, or made anew, before the next step. */
  private written: 'no' | 'rows' | 'file' = 'no';

  constructor(private readonly dir: string, private readonly allowWrites = false) {}

  /** Starts the ticker-day's file (removing the previous day's). */
  beginDay(ticker: string, date: string, bars: readonly Bar[], timeframe: string, context: DayContext = EMPTY_CONTEXT): void {
    this.endDay();
    this.own ||= fs.mkdtempSync(path.join(this.dir, 'days-'));
    this.path = path.join(this.own, `${safe(ticker)}-${date}.db`);
    this.day = { bars, timeframe, context };
    this.filled = -1;
    this.written = 'no';
    this.openFile();
  }

  /**
   * After a step: did another process (the script) commit to the file, or delete or replace it? Without
   * `allowWrites` that throws SCANNER_WRITE naming what was written; with it, the file is rebuilt before the next step.
   */
  assertUntouched(): void {
    if (!this.dataVersion) return;
    const ino = fs.statSync(this.path, { throwIfNoEntry: false })?.ino ?? -1;
    if (ino !== this.inode) {
      if (this.allowWrites) {
        this.written = 'file';
        return;
      }
      throw scannerWriteError(this.path, ino === -1 ? 'deleted' : 'replaced');
    }
    if (this.dataVersion.get() === this.version) return;
    if (this.allowWrites) {
      this.written = 'rows';
      return;
    }
    throw scannerWriteError(this.path, describeDayWrites(this.db!, this.day!.bars, this.filled, this.day!.timeframe, this.day!.context));
  }

  /** Appends what is visible at bar `index`, in one transaction (committed before the script reads). */
  syncTo(index: number): void {
    if (this.written === 'file') {
      // Ours is a connection to a file no longer at the path: start a new one there, with the day so far.
      this.closeFile();
      this.openFile();
      this.written = 'no';
    }
    try {
      if (this.written === 'rows') this.rebuild(index);
      else this.db!.transaction(() => this.fill!.syncTo(index))();
      this.filled = Math.max(this.filled, index);
    } catch (err) {
      throw describeTempWriteError(err, this.path);
    }
  }

  endDay(): void {
    this.closeFile();
    this.day = null;
  }

  /** Ends the day and removes this worker's directory (the run's temp directory is removed by the engine anyway). */
  close(): void {
    this.endDay();
    if (this.own) fs.rmSync(this.own, { recursive: true, force: true });
    this.own = '';
  }

  /** A new file at `path` with the day's tables, nothing filled yet. */
  private openFile(): void {
    const { bars, timeframe, context } = this.day!;
    removeDbFiles(this.path);
    let db: Database.Database | null = null;
    try {
      db = new Database(this.path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = OFF');
      createDayTables(db);
      this.fill = new DayFill(db);
      this.fill.begin(bars, context, timeframe);
      this.inode = fs.statSync(this.path).ino;
    } catch (err) {
      db?.close();
      this.fill = null;
      removeDbFiles(this.path);
      throw describeTempWriteError(err, this.path);
    }
    this.db = db;
    // data_version changes when another connection commits, never for this one's own inserts.
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.version = this.dataVersion.get() as number;
  }

  private closeFile(): void {
    if (!this.db) return;
    this.db.close();
    this.db = null;
    this.fill = null;
    this.dataVersion = null;
    removeDbFiles(this.path);
  }

  /** Drops everything in the file (the script's tables, views, triggers, and the day's rows) and refills it up to `index`. */
  private rebuild(index: number): void {
    const db = this.db!;
    const { bars, timeframe, context } = this.day!;
    // The script may have left the file in another journal mode; WAL is what lets it read each commit.
    db.pragma('journal_mode = WAL');
    db.transaction(() => {
      const objects = db.prepare("SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").all() as { type: string; name: string }[];
      // Triggers and views first: a trigger on ohlcv_data would fire on the refill, a view would outlive its table.
      for (const type of ['trigger', 'view', 'table']) {
        for (const o of objects) if (o.type === type) db.exec(`DROP ${type.toUpperCase()} IF EXISTS "${o.name.replace(/"/g, '""')}"`);
      }
      // Header fields a script could count steps in.
      db.pragma('user_version = 0');
      db.pragma('application_id = 0');
      createDayTables(db);
      this.fill = new DayFill(db);
      this.fill.begin(bars, context, timeframe);
      this.fill.syncTo(index);
    })();
    this.version = this.dataVersion!.get() as number;
    this.written = 'no';
  }
}

/**
 * SCANNER_WRITE for a script that wrote to its day file (`what` it wrote) or deleted or replaced it. The remedy
 * is in the message itself: only the message crosses the thread and reaches the run's summary.
 */
function scannerWriteError(file: string, what: string): BarwiseError {
  const name = path.basename(file);
  if (what === 'deleted' || what === 'replaced') {
    return new BarwiseError('SCANNER_WRITE', `the script ${what} its day database file (DATABASE_PATH ${name}); `
      + 'pass --allow-scanner-writes to let it use that file as scratch (made anew before the next step; the market database is never written)');
  }
  return new BarwiseError('SCANNER_WRITE', `the script wrote to the day database (DATABASE_PATH ${name}): ${what}; `
    + 'pass --allow-scanner-writes to let it use that file as scratch (rebuilt before the next step; the market database is never written)');
}

/** The index a naive snapshot has beside the day's tables (as a per-bar database file of the reference flow has). */
export const SNAPSHOT_INDEX_SQL = 'CREATE INDEX IF NOT EXISTS idx_ticker_time ON ohlcv_data(ticker, timestamp)';

/** What identifies a snapshot's bytes as written: inode, size and modification time (a reader changes none). */
export function stampSnapshot(file: string): string {
  const st = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
  const wal = fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  return st ? `${st.ino}:${st.size}:${st.mtimeNs}:${wal}` : 'gone';
}

/**
 * After a naive step: throws SCANNER_WRITE, as a realtime step would, if the script wrote to its snapshot
 * (`stamp` is stampSnapshot's from before the step). Each snapshot serves one step only, so a write could not
 * reach another; the check keeps naive mode's results those of realtime mode.
 */
export function checkSnapshotUntouched(file: string, stamp: string, bars: readonly Bar[], index: number, timeframe: string, context: DayContext): void {
  const now = stampSnapshot(file);
  if (now === stamp) return;
  if (now === 'gone') throw scannerWriteError(file, 'deleted');
  if (now.split(':')[0] !== stamp.split(':')[0]) throw scannerWriteError(file, 'replaced');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    throw scannerWriteError(file, describeDayWrites(db, bars, index, timeframe, context, SNAPSHOT_INDEX_SQL));
  } finally {
    db.close();
  }
}

/**
 * Writes what is visible at bar `index` of a day (its bars 0..index and the day's context) into a fresh
 * database file with SQLite's defaults, as the slow reference flow does for every bar.
 */
export function writeSnapshotDb(file: string, bars: readonly Bar[], index: number, timeframe: string, context: DayContext = EMPTY_CONTEXT): void {
  removeDbFiles(file);
  let db: Database.Database | null = null;
  try {
    db = new Database(file);
    createDayTables(db);
    db.exec(SNAPSHOT_INDEX_SQL);
    const fill = new DayFill(db);
    fill.begin(bars, context, timeframe);
    db.transaction(() => fill.syncTo(index))();
  } catch (err) {
    db?.close();
    db = null;
    removeDbFiles(file);
    throw describeTempWriteError(err, file);
  } finally {
    db?.close();
  }
}

/**
 * The day files live in the run's temp directory (under TMPDIR): a disk that fills there is no fault of the
 * scanner's, and its remedy is elsewhere. Said in the message itself, the only part that crosses threads.
 */
function describeTempWriteError(err: unknown, file: string): unknown {
  if (err instanceof BarwiseError) return err;
  const code = String((err as { code?: unknown }).code ?? '');
  // The run's temp directory is made under TMPDIR (os.tmpdir()), in the environment the workers share.
  const dir = os.tmpdir();
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code.startsWith('SQLITE_IOERR_WRITE')) {
    return new BarwiseError('TEMP_WRITE',
      `cannot write the day database ${path.basename(file)} to the temp directory ${dir}: the disk is full (${(err as Error).message}); free space there, or set TMPDIR to a folder with room`,
      'Script and naive-mode scanners read the day from a small SQLite file in TMPDIR, written as the run goes.');
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EROFS') {
    return new BarwiseError('TEMP_WRITE',
      `cannot write the day database ${path.basename(file)} to the temp directory ${dir} (${(err as Error).message}); set TMPDIR to a folder you may write to`,
      'Script and naive-mode scanners read the day from a small SQLite file in TMPDIR, written as the run goes.');
  }
  return err;
}

export function removeDbFiles(file: string): void {
  if (!file) return;
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}

function safe(ticker: string): string {
  return ticker.replace(/[^A-Za-z0-9._-]/g, '_');
}
