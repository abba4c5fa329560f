/**
 * Fills a day database (in memory, a script's file, or a naive snapshot) with what is visible at a step:
 * the ticker's and each reference's history and daily bars (the past, whole), its own bars 0..index, and
 * each reference's bars with `timestamp <=` bar index's.
 *
 * Daily bars go into two tables: `daily_bars` (one row per bar, with its date) and `ohlcv_data` as
 * `timeframe = '1day'` rows, the way existing scripts read them. Those rows are stamped at New York midnight
 * of the bar's date with `time_of_day = '00:00:00'`, whatever stamp the market database used (session open,
 * New York or UTC midnight): the stamp lies before every intraday bar of that date and after every bar of
 * the day before, so `ORDER BY timestamp` interleaves them by date, `date(timestamp / 1000, 'unixepoch')` is
 * the bar's date, and a query on `timestamp >= :day_start` (today) never meets one. Queries on
 * `timeframe = '5min'` never see them. Appends only what is new since the last call, so a database that grows
 * step by step pays one insert per new row. One implementation for every kind of day database, so that
 * they cannot disagree about what is visible.
 */
import type Database from 'better-sqlite3';
import { exchangeDayStartMs } from '../data/exchange-time.js';
import { DAILY_TIME_OF_DAY, DAILY_TIMEFRAME, OHLCV_TABLE_SQL } from '../data/schema.js';
import type { Bar, DailyBar } from '../types.js';
import { countVisible, EMPTY_CONTEXT, type DayContext } from './day-context.js';

/** Previous completed daily bars; exists (empty) in every day database so scanners can always name it. */
export const DAILY_TABLE_SQL = `
CREATE TABLE IF NOT EXISTS daily_bars (
  ticker TEXT NOT NULL,
  date TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  open REAL NOT NULL,
  high REAL NOT NULL,
  low REAL NOT NULL,
  close REAL NOT NULL,
  volume INTEGER NOT NULL
)`;

/**
 * `ohlcv_data` as scanners see it in a day database: the market schema (its UNIQUE key, so that a script allowed
 * to write may upsert on it), plus one index that leads with that key and holds every other column. A scanner's
 * `WHERE ticker = :ticker AND timestamp ...` then reads its rows from that index alone, without a lookup of each
 * row in the table: the opening-range breakout's statement took 7.8–8.4 µs a step against 9.8–12.1 with the
 * market schema alone, an insert and its delete 2.7–2.9 µs a bar against 2.2–2.9 (3,000 78-bar days, one insert a
 * bar; without the UNIQUE key the inserts cost what they did, but upserts on it would fail). Rows come in the same
 * order, the index's key starting with the constraint's. The proof that a statement reads only its own ticker
 * (reference-row-use.ts) holds for every index that starts with ticker.
 */
export const DAY_OHLCV_TABLE_SQL = `${OHLCV_TABLE_SQL};
CREATE INDEX IF NOT EXISTS ohlcv_data_rows ON ohlcv_data (ticker, timestamp, timeframe, open, high, low, close, volume, time_of_day)`;

export function createDayTables(db: Database.Database): void {
  db.exec(DAY_OHLCV_TABLE_SQL);
  db.exec(DAILY_TABLE_SQL);
}

export class DayFill {
  private readonly insertBar: Database.Statement;
  private readonly insertDaily: Database.Statement;
  private bars: readonly Bar[] = [];
  private context: DayContext = EMPTY_CONTEXT;
  private timeframe = '5min';
  private pastDone = false;
  private refPastDone = false;
  /** How many of `bars` are in the table. */
  private inserted = 0;
  /** How many of each reference's bars are in the table. */
  private refInserted: number[] = [];

  constructor(db: Database.Database) {
    this.insertBar = db.prepare(
      'INSERT INTO ohlcv_data (ticker, timestamp, open, high, low, close, volume, timeframe, time_of_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertDaily = db.prepare('INSERT INTO daily_bars (ticker, date, timestamp, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  }

  /** Starts a ticker-day on tables that the caller has emptied. */
  begin(bars: readonly Bar[], context: DayContext, timeframe: string): void {
    this.bars = bars;
    this.context = context;
    this.timeframe = timeframe;
    this.pastDone = false;
    this.refPastDone = false;
    this.inserted = 0;
    this.refInserted = context.refs.map(() => 0);
  }

  /** True when the tables hold more than nothing (so the caller must empty them before the next day). */
  get dirty(): boolean {
    return this.pastDone || this.inserted > 0;
  }

  /**
   * Brings the tables up to bar `index` (never beyond). Without `withRefs`, reference tickers' rows are left
   * out (no statement on the database can read them: reference-row-use.ts); the order of the rows that are
   * inserted is the same either way.
   */
  syncTo(index: number, withRefs = true): void {
    if (index < 0) return;
    if (!this.pastDone) {
      this.pastDone = true;
      this.addPast(this.context.history, this.context.daily);
    }
    const refs = this.context.refs;
    if (withRefs && !this.refPastDone) {
      this.refPastDone = true;
      for (const r of refs) this.addPast(r.history, r.daily);
    }
    for (let i = this.inserted; i <= index; i++) this.add(this.bars[i]);
    this.inserted = Math.max(this.inserted, index + 1);
    if (refs.length === 0 || !withRefs) return;
    const asOf = this.bars[index].timestamp;
    for (let r = 0; r < refs.length; r++) {
      const rb = refs[r].bars;
      const upTo = countVisible(rb, asOf);
      for (let i = this.refInserted[r]; i < upTo; i++) this.add(rb[i]);
      if (upTo > this.refInserted[r]) this.refInserted[r] = upTo;
    }
  }

  private addPast(history: readonly Bar[], daily: readonly DailyBar[]): void {
    for (const b of history) this.add(b);
    for (const d of daily) this.insertDaily.run(d.ticker, d.date, d.timestamp, d.open, d.high, d.low, d.close, d.volume);
    // A run on daily bars has them as its own bars already (and the same key would collide).
    if (this.timeframe === DAILY_TIMEFRAME) return;
    for (const d of daily) {
      this.insertBar.run(d.ticker, exchangeDayStartMs(d.date), d.open, d.high, d.low, d.close, d.volume, DAILY_TIMEFRAME, DAILY_TIME_OF_DAY);
    }
  }

  private add(b: Bar): void {
    this.insertBar.run(b.ticker, b.timestamp, b.open, b.high, b.low, b.close, b.volume, this.timeframe, b.time_of_day);
  }
}
