/**
 * The day database as a file, for scanners that run in another process (legacy scripts). One file per
 * ticker-day, a bar appended per step and committed at once, in WAL mode with synchronous OFF so the
 * script's own connection sees every committed bar without an fsync per bar.
 *
 * Each worker's files live in a directory of their own inside the run's temp directory: the directory of
 * `DATABASE_PATH` then holds this ticker-day's file only, never another worker's file of another ticker
 * growing ahead in time (a script that globs `*.db` next to its database would read it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BarwiseError } from '../errors.js';
import type { Bar } from '../types.js';
import { EMPTY_CONTEXT, type DayContext } from './day-context.js';
import { createDayTables, DayFill } from './day-fill.js';

export class FileDayDb {
  private db: Database.Database | null = null;
  private fill: DayFill | null = null;
  private dataVersion: Database.Statement | null = null;
  private version = 0;
  path = '';
  /** This worker's own directory, made at the first day. */
  private own = '';

  constructor(private readonly dir: string) {}

  /** Starts the ticker-day's file (removing the previous day's). */
  beginDay(ticker: string, date: string, bars: readonly Bar[], timeframe: string, context: DayContext = EMPTY_CONTEXT): void {
    this.endDay();
    this.own ||= fs.mkdtempSync(path.join(this.dir, 'days-'));
    this.path = path.join(this.own, `${safe(ticker)}-${date}.db`);
    removeDbFiles(this.path);
    let db: Database.Database | null = null;
    try {
      db = new Database(this.path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = OFF');
      createDayTables(db);
      this.fill = new DayFill(db);
      this.fill.begin(bars, context, timeframe);
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

  /** Throws SCANNER_WRITE if another process (the script) changed the file since the day began. */
  assertUntouched(): void {
    if (!this.dataVersion || this.dataVersion.get() === this.version) return;
    throw new BarwiseError('SCANNER_WRITE', `the script wrote to the day database (DATABASE_PATH ${path.basename(this.path)})`,
      'Scanners may only read DATABASE_PATH; keep state in the script (a persistent script keeps it between steps).');
  }

  /** Appends what is visible at bar `index`, in one transaction (committed before the script reads). */
  syncTo(index: number): void {
    const fill = this.fill!;
    try {
      this.db!.transaction(() => fill.syncTo(index))();
    } catch (err) {
      throw describeTempWriteError(err, this.path);
    }
  }

  endDay(): void {
    if (this.db) {
      this.db.close();
      this.db = null;
      this.fill = null;
      this.dataVersion = null;
      removeDbFiles(this.path);
    }
  }

  /** Ends the day and removes this worker's directory (the run's temp directory is removed by the engine anyway). */
  close(): void {
    this.endDay();
    if (this.own) fs.rmSync(this.own, { recursive: true, force: true });
    this.own = '';
  }
}

/**
 * Writes what is visible at bar `index` of a day (its bars 0..index and the day's context) into a fresh
 * database file with SQLite's defaults, as the seed did for every bar.
 */
export function writeSnapshotDb(file: string, bars: readonly Bar[], index: number, timeframe: string, context: DayContext = EMPTY_CONTEXT): void {
  removeDbFiles(file);
  let db: Database.Database | null = null;
  try {
    db = new Database(file);
    createDayTables(db);
    db.exec('CREATE INDEX IF NOT EXISTS idx_ticker_time ON ohlcv_data(ticker, timestamp)');
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
