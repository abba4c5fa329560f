/**
 * The day database as a file, for scanners that run in another process (legacy scripts). One file per
 * ticker-day in the run's temp directory, a bar appended per step and committed at once, in WAL mode with
 * synchronous OFF so the script's own connection sees every committed bar without an fsync per bar.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { OHLCV_TABLE_SQL } from '../data/schema.js';
import { BarwiseError } from '../errors.js';
import type { Bar } from '../types.js';

export class FileDayDb {
  private db: Database.Database | null = null;
  private insert: Database.Statement | null = null;
  private bars: readonly Bar[] = [];
  private inserted = 0;
  private timeframe = '5min';
  private dataVersion: Database.Statement | null = null;
  private version = 0;
  path = '';

  constructor(private readonly dir: string) {}

  /** Starts the ticker-day's file (removing the previous day's). */
  beginDay(ticker: string, date: string, bars: readonly Bar[], timeframe: string): void {
    this.endDay();
    this.path = path.join(this.dir, `${safe(ticker)}-${date}.db`);
    removeDbFiles(this.path);
    const db = new Database(this.path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.exec(OHLCV_TABLE_SQL);
    this.db = db;
    this.insert = db.prepare(
      'INSERT INTO ohlcv_data (ticker, timestamp, open, high, low, close, volume, timeframe, time_of_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.bars = bars;
    this.inserted = 0;
    this.timeframe = timeframe;
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

  /** Appends bars up to `index` (each committed as it is inserted). */
  syncTo(index: number): void {
    for (let i = this.inserted; i <= index; i++) {
      const b = this.bars[i];
      this.insert!.run(b.ticker, b.timestamp, b.open, b.high, b.low, b.close, b.volume, this.timeframe, b.time_of_day);
    }
    this.inserted = Math.max(this.inserted, index + 1);
  }

  endDay(): void {
    if (this.db) {
      this.dataVersion = null;
      this.db.close();
      this.db = null;
      removeDbFiles(this.path);
    }
  }
}

/** Writes bars into a fresh database file with SQLite's defaults, as the seed did for every bar. */
export function writeSnapshotDb(file: string, bars: readonly Bar[], timeframe: string): void {
  removeDbFiles(file);
  const db = new Database(file);
  try {
    db.exec(OHLCV_TABLE_SQL);
    db.exec('CREATE INDEX IF NOT EXISTS idx_ticker_time ON ohlcv_data(ticker, timestamp)');
    const ins = db.prepare(
      'INSERT INTO ohlcv_data (ticker, timestamp, open, high, low, close, volume, timeframe, time_of_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (const b of bars) ins.run(b.ticker, b.timestamp, b.open, b.high, b.low, b.close, b.volume, timeframe, b.time_of_day);
    })();
  } finally {
    db.close();
  }
}

export function removeDbFiles(file: string): void {
  if (!file) return;
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}

function safe(ticker: string): string {
  return ticker.replace(/[^A-Za-z0-9._-]/g, '_');
}
