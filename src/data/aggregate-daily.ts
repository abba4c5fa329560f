/**
 * `barwise aggregate`: daily bars (`timeframe = '1day'` rows of ohlcv_data) made from a market database's own
 * regular-session intraday bars, for stores that hold 5-minute bars only. Per ticker and New York date, over the
 * bars starting in [09:30, 16:00): open of the first, high the highest, low the lowest, close of the last,
 * volume the sum. An early close is simply a shorter day; a DST change day is grouped by its New York date
 * like any other. `--daily-bars` then reads these rows (build-context.ts reads `1day` rows, whoever wrote them).
 *
 * Each bar is stamped at New York midnight of its date with time_of_day '00:00:00', as the day databases show
 * daily bars (day-fill.ts). Idempotent: an upsert on (ticker, timestamp, timeframe) that rewrites a row only
 * when its values changed, so a second run writes nothing and a run after importing more bars updates the
 * days they belong to. A date that already has a daily bar at another stamp (a vendor's, at the open or at UTC
 * midnight) is left as it is and counted: two bars of one date would both reach `--daily-bars`.
 *
 * One transaction for everything: an error or a lock leaves the database as it was. A run reading the database
 * while this commits notices it (watch-market-db.ts) and stops with DB_CHANGED rather than mix the two.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { BarwiseError } from '../errors.js';
import { checkImportTarget } from './check-import-target.js';
import { dailyBarDate } from './daily-bar-date.js';
import { exchangeDate, exchangeDayStartMs, exchangeSecondOfDay } from './exchange-time.js';
import { DAILY_TIME_OF_DAY, DAILY_TIMEFRAME, DEFAULT_TIMEFRAME } from './schema.js';
import { LOCK_WAIT_MS } from './describe-store-error.js';

const REGULAR_OPEN = 9 * 3600 + 30 * 60;
const REGULAR_CLOSE = 16 * 3600;

export interface AggregateOptions {
  dbPath: string;
  /** Timeframe of the intraday bars to aggregate. Default 5min. */
  sourceTimeframe?: string;
}

export interface AggregateReport {
  tickers: number;
  /** Ticker-days with regular-session bars. */
  days: number;
  /** Daily bars inserted or changed. */
  written: number;
  /** Daily bars already as computed. */
  unchanged: number;
  /** Ticker-dates left alone because a daily bar of that date is stored at another stamp, first few named. */
  keptOther: number;
  keptExamples: string[];
}

interface DailyRow { ticker: string; timestamp: number; open: number; high: number; low: number; close: number; volume: number }

export function aggregateDailyBars(options: AggregateOptions): AggregateReport {
  const source = options.sourceTimeframe ?? DEFAULT_TIMEFRAME;
  const file = options.dbPath;
  if (source === DAILY_TIMEFRAME) {
    throw new BarwiseError('USAGE', `--source-timeframe ${source}: daily bars are made from intraday bars, not from themselves`, 'Pass the intraday timeframe the database holds, e.g. 5min.');
  }
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    throw new BarwiseError('DB_NOT_FOUND', `market database not found: ${file}`, 'Pass --db with the SQLite file holding ohlcv_data (made by `barwise import`).');
  }
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true, timeout: LOCK_WAIT_MS });
  } catch (err) {
    throw describeAggregateError(err, file);
  }
  try {
    // The same requirements as an import: every column, the unique key the upsert needs, not a results database.
    checkImportTarget(db, file);
    const hasTable = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'ohlcv_data'").get() !== undefined;
    if (!hasTable) {
      throw new BarwiseError('DB_SCHEMA', `${file} has no table ohlcv_data`, 'Import 5-minute bars first (`barwise import --csv FILE --db PATH`); nothing was changed.');
    }
    return aggregateIn(db, file, source);
  } catch (err) {
    throw describeAggregateError(err, file);
  } finally {
    db.close();
  }
}

function aggregateIn(db: Database.Database, file: string, source: string): AggregateReport {
  const tickers = db.prepare('SELECT DISTINCT ticker FROM ohlcv_data WHERE timeframe = ? AND ticker IS NOT NULL ORDER BY ticker').pluck().all(source) as string[];
  if (tickers.length === 0) {
    throw new BarwiseError('NO_BARS', `${file} holds no "${source}" bars to make daily bars from`, 'Import the intraday bars first, or pass --source-timeframe with the timeframe the database holds; nothing was changed.');
  }
  const readBars = db.prepare('SELECT timestamp, open, high, low, close, volume FROM ohlcv_data WHERE ticker = ? AND timeframe = ? ORDER BY timestamp').raw();
  const readDaily = db.prepare('SELECT timestamp FROM ohlcv_data WHERE ticker = ? AND timeframe = ?').pluck();
  // Rewrites only a row whose values differ: `changes` then counts what this run really changed.
  const upsert = db.prepare(`INSERT INTO ohlcv_data (ticker, timestamp, open, high, low, close, volume, timeframe, time_of_day)
    VALUES (@ticker, @timestamp, @open, @high, @low, @close, @volume, '${DAILY_TIMEFRAME}', '${DAILY_TIME_OF_DAY}')
    ON CONFLICT (ticker, timestamp, timeframe) DO UPDATE SET
      open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume, time_of_day = excluded.time_of_day
    WHERE open IS NOT excluded.open OR high IS NOT excluded.high OR low IS NOT excluded.low OR close IS NOT excluded.close
      OR volume IS NOT excluded.volume OR time_of_day IS NOT excluded.time_of_day`);
  const report: AggregateReport = { tickers: tickers.length, days: 0, written: 0, unchanged: 0, keptOther: 0, keptExamples: [] };
  // IMMEDIATE: take the write lock before reading, so the bars aggregated are those of the database committed to.
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const ticker of tickers) {
      const stampsByDate = new Map<string, number[]>();
      for (const ts of readDaily.all(ticker, DAILY_TIMEFRAME) as number[]) {
        const d = dailyBarDate(ts);
        stampsByDate.set(d, [...(stampsByDate.get(d) ?? []), ts]);
      }
      for (const [date, row] of aggregateTicker(ticker, readBars.all(ticker, source) as number[][])) {
        report.days++;
        const other = (stampsByDate.get(date) ?? []).filter((ts) => ts !== row.timestamp);
        if (other.length > 0) {
          report.keptOther++;
          if (report.keptExamples.length < 5) report.keptExamples.push(`${ticker} ${date}`);
          continue;
        }
        if (upsert.run(row).changes > 0) report.written++;
        else report.unchanged++;
      }
    }
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
  return report;
}

/** One daily bar per New York date, from `raw` (sorted by timestamp), regular-session bars only. */
export function aggregateTicker(ticker: string, raw: readonly number[][]): Map<string, DailyRow> {
  const out = new Map<string, DailyRow>();
  for (const [ts, open, high, low, close, volume] of raw) {
    const second = exchangeSecondOfDay(ts);
    if (second < REGULAR_OPEN || second >= REGULAR_CLOSE) continue;
    const date = exchangeDate(ts);
    const day = out.get(date);
    if (!day) {
      out.set(date, { ticker, timestamp: exchangeDayStartMs(date), open, high, low, close, volume });
      continue;
    }
    day.high = Math.max(day.high, high);
    day.low = Math.min(day.low, low);
    day.close = close;
    day.volume += volume;
  }
  return out;
}

function describeAggregateError(err: unknown, file: string): unknown {
  if (err instanceof BarwiseError || !(err instanceof Error)) return err;
  const code = String((err as { code?: unknown }).code ?? '');
  if (code.startsWith('SQLITE_BUSY')) {
    return new BarwiseError('DB_LOCKED', `cannot write daily bars to ${file}: it is locked by another process (waited ${LOCK_WAIT_MS / 1000} s)`,
      'Wait for the process writing to it (an import?) to finish and run `barwise aggregate` again; nothing was changed.');
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) {
    return new BarwiseError('DB_WRITE', `cannot write daily bars to ${file}: ${err.message}`,
      `${code === 'SQLITE_FULL' ? 'Free disk space' : 'Check that the file and its folder are writable'} and run again; nothing was changed.`);
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new BarwiseError('DB_UNREADABLE', `cannot read ${file} as a market database: ${err.message}`, 'Pass --db with the SQLite file holding ohlcv_data; nothing was changed.');
  }
  return err;
}
