/**
 * Read access to a market database (`ohlcv_data`). Opened read-only: barwise never writes to a source
 * database, and neither can a scanner. Each worker opens its own connection.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import Database from 'better-sqlite3';
import { BarwiseError } from '../errors.js';
import { OHLCV_COLUMNS } from './schema.js';
import { describeStoreError, LOCK_WAIT_MS } from './describe-store-error.js';

/**
 * A stored bar as read from the source, before barwise labels it: [timestamp, open, high, low, close, volume].
 * Arrays, not objects: better-sqlite3 builds a row object at about twice the cost of an array, and reading
 * bars is the largest cost of a run after the scanner itself.
 */
export type RawBar = [timestamp: number, open: number, high: number, low: number, close: number, volume: number];

export interface MarketStore {
  readonly path: string;
  readonly db: Database.Database;
  /** An index leads with `ticker`, so per-ticker lookups seek instead of scanning (checked once, at open). */
  readonly tickerIndexed: boolean;
  /** All tickers with bars of `timeframe`, sorted. */
  listTickers(timeframe: string): string[];
  /** True when the ticker has at least one bar of `timeframe` in [fromMs, toMs). */
  hasBars(ticker: string, timeframe: string, fromMs: number, toMs: number): boolean;
  /** First and last bar timestamps of `timeframe`, or null for none. */
  timeBounds(timeframe: string): { min: number; max: number } | null;
  /** The ticker's bars in [fromMs, toMs), oldest first. */
  readBars(ticker: string, timeframe: string, fromMs: number, toMs: number): RawBar[];
  /**
   * The ticker's bar timestamps in [fromMs, toMs), oldest first, repeats included: read from the index alone
   * (no row of the table is visited), for what needs only where a day's bars are.
   */
  readTimestamps(ticker: string, timeframe: string, fromMs: number, toMs: number): number[];
  /** The ticker's last `limit` bars before `beforeMs`, oldest first. */
  readBarsBefore(ticker: string, timeframe: string, beforeMs: number, limit: number): RawBar[];
  /** Timestamp of the ticker's first bar of `timeframe`, or null for none. */
  firstBarTime(ticker: string, timeframe: string): number | null;
  close(): void;
}

export function openMarketStore(path: string): MarketStore {
  if (!fs.existsSync(path)) {
    throw new BarwiseError(
      'DB_NOT_FOUND',
      `market database not found: ${path}`,
      'Pass --db with the path of an SQLite file holding ohlcv_data, or create one with `npm run import -- --csv FILE --db PATH`.',
    );
  }
  if (fs.statSync(path).isDirectory()) {
    const inside = fs.readdirSync(path).filter((f) => /\.(db|sqlite3?)$/i.test(f)).sort().slice(0, 5);
    throw new BarwiseError('DB_NOT_FOUND', `market database ${path} is a directory, not an SQLite file`,
      inside.length > 0
        ? `Pass --db with one of its files: ${inside.map((f) => nodePath.join(path, f)).join(', ')}.`
        : 'Pass --db with the path of an SQLite file holding ohlcv_data.');
  }
  let db: Database.Database;
  try {
    // A writer holding a lock (an import, a sync job) usually finishes within seconds: wait that long.
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: LOCK_WAIT_MS });
    db.pragma('query_only = ON');
  } catch (err) {
    throw describeStoreError(err, path);
  }
  try {
    checkSchema(db, path);
    return createStore(db, path);
  } catch (err) {
    db.close();
    throw describeStoreError(err, path);
  }
}

function createStore(db: Database.Database, path: string): MarketStore {
  const tickerLeadsIndex = hasIndexLeadingWith(db, 'ticker');
  const nextTicker = db.prepare('SELECT ticker FROM ohlcv_data WHERE ticker > ? AND timeframe = ? ORDER BY ticker LIMIT 1').pluck();
  // Rows without a ticker belong to no ticker-day; left out here, they cannot cut the index scan short.
  const firstTicker = db.prepare('SELECT ticker FROM ohlcv_data WHERE ticker IS NOT NULL AND timeframe = ? ORDER BY ticker LIMIT 1').pluck();
  const distinctTickers = db.prepare('SELECT DISTINCT ticker FROM ohlcv_data WHERE ticker IS NOT NULL AND timeframe = ? ORDER BY ticker').pluck();
  const anyBar = db.prepare(
    'SELECT 1 FROM ohlcv_data WHERE ticker = ? AND timestamp >= ? AND timestamp < ? AND timeframe = ? LIMIT 1',
  ).pluck();
  const bounds = db.prepare('SELECT MIN(timestamp) AS min, MAX(timestamp) AS max FROM ohlcv_data WHERE timeframe = ?');
  const tickerMin = db.prepare('SELECT MIN(timestamp) FROM ohlcv_data WHERE ticker = ? AND timeframe = ?').pluck();
  const tickerMax = db.prepare('SELECT MAX(timestamp) FROM ohlcv_data WHERE ticker = ? AND timeframe = ?').pluck();
  const bars = db.prepare(
    `SELECT timestamp, open, high, low, close, volume FROM ohlcv_data
     WHERE ticker = ? AND timestamp >= ? AND timestamp < ? AND timeframe = ? ORDER BY timestamp`,
  ).raw();
  const timestamps = db.prepare(
    'SELECT timestamp FROM ohlcv_data WHERE ticker = ? AND timestamp >= ? AND timestamp < ? AND timeframe = ? ORDER BY timestamp',
  ).pluck();
  const barsBefore = db.prepare(
    `SELECT timestamp, open, high, low, close, volume FROM ohlcv_data
     WHERE ticker = ? AND timestamp < ? AND timeframe = ? ORDER BY timestamp DESC LIMIT ?`,
  ).raw();

  const tickerLists = new Map<string, string[]>();
  const readTickers = (timeframe: string): string[] => {
    if (!tickerLeadsIndex) return checkTickersAreText(distinctTickers.all(timeframe), path);
    // Loose index scan: one index seek per distinct ticker instead of reading every row.
    const out: string[] = [];
    let t = firstTicker.get(timeframe) as string | undefined;
    while (t !== undefined) {
      out.push(t);
      t = nextTicker.get(t, timeframe) as string | undefined;
    }
    return checkTickersAreText(out, path);
  };

  return {
    path,
    db,
    tickerIndexed: tickerLeadsIndex,
    listTickers(timeframe) {
      // Asked several times while a run resolves its universe (tickers, bounds, references): read once.
      const known = tickerLists.get(timeframe);
      if (known) return [...known];
      const list = readTickers(timeframe);
      tickerLists.set(timeframe, list);
      return [...list];
    },
    hasBars(ticker, timeframe, fromMs, toMs) {
      return anyBar.get(ticker, fromMs, toMs, timeframe) !== undefined;
    },
    timeBounds(timeframe) {
      if (tickerLeadsIndex) {
        // Two index seeks per ticker instead of a scan of the whole table.
        let min = Infinity;
        let max = -Infinity;
        for (const t of this.listTickers(timeframe)) {
          min = Math.min(min, tickerMin.get(t, timeframe) as number);
          max = Math.max(max, tickerMax.get(t, timeframe) as number);
        }
        return min === Infinity ? null : { min, max };
      }
      const row = bounds.get(timeframe) as { min: number | null; max: number | null };
      return row.min === null || row.max === null ? null : { min: row.min, max: row.max };
    },
    readBars(ticker, timeframe, fromMs, toMs) {
      // A damaged page shows only when it is read, mid-run: name the file and what to do, as at open.
      try {
        return bars.all(ticker, fromMs, toMs, timeframe) as RawBar[];
      } catch (err) {
        throw describeStoreError(err, path);
      }
    },
    readTimestamps(ticker, timeframe, fromMs, toMs) {
      try {
        return timestamps.all(ticker, fromMs, toMs, timeframe) as number[];
      } catch (err) {
        throw describeStoreError(err, path);
      }
    },
    readBarsBefore(ticker, timeframe, beforeMs, limit) {
      try {
        return (barsBefore.all(ticker, beforeMs, timeframe, limit) as RawBar[]).reverse();
      } catch (err) {
        throw describeStoreError(err, path);
      }
    },
    firstBarTime(ticker, timeframe) {
      return (tickerMin.get(ticker, timeframe) as number | null) ?? null;
    },
    close() {
      db.close();
    },
  };
}

function checkSchema(db: Database.Database, path: string): void {
  let columns: string[];
  try {
    columns = (db.prepare("SELECT name FROM pragma_table_info('ohlcv_data')").pluck().all() as string[]);
  } catch (err) {
    throw describeStoreError(err, path);
  }
  if (columns.length === 0) {
    throw new BarwiseError('DB_SCHEMA', `${path} has no table ohlcv_data`,
      'barwise reads bars from a table ohlcv_data(ticker, timestamp, open, high, low, close, volume, timeframe, time_of_day); import CSV bars with `npm run import`.');
  }
  // time_of_day is never read (barwise derives it from timestamp), so only the others are required.
  const missing = OHLCV_COLUMNS.filter((c) => c !== 'time_of_day' && !columns.includes(c));
  if (missing.length > 0) {
    throw new BarwiseError('DB_SCHEMA', `${path}: table ohlcv_data lacks column(s) ${missing.join(', ')}`,
      'The table needs ticker, timestamp (epoch ms), open, high, low, close, volume and timeframe.');
  }
}

/**
 * Tickers are text. A column declared without a type keeps `7203` as a number, which no text lookup finds:
 * said once, with the fix, rather than as a ticker that has no bars.
 */
function checkTickersAreText(tickers: unknown[], path: string): string[] {
  const other = tickers.find((t) => typeof t !== 'string');
  if (other !== undefined) {
    throw new BarwiseError('DB_SCHEMA', `${path}: ohlcv_data.ticker holds ${typeof other === 'number' ? `a number (${other})` : 'a non-text value'}, not text`,
      'Store tickers as text: on a copy you own, UPDATE ohlcv_data SET ticker = CAST(ticker AS TEXT), or re-import the CSV with `npm run import`.');
  }
  return tickers as string[];
}

function hasIndexLeadingWith(db: Database.Database, column: string): boolean {
  const indexes = db.prepare("SELECT name FROM pragma_index_list('ohlcv_data')").pluck().all() as string[];
  return indexes.some((name) => {
    const first = db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno LIMIT 1').pluck().get(name);
    return first === column;
  });
}
