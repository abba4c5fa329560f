/**
 * One step of an SQL or module scanner in its own process, for --mode naive. Reads the legacy contract's
 * environment (DATABASE_PATH holds the bars so far), prints the scanner's result as a JSON array.
 */
import Database from 'better-sqlite3';
import { exchangeDayStartMs } from '../../data/exchange-time.js';
import { importScannerModule } from '../module-scanner.js';
import { bindSqlParams, readSqlScannerMeta } from '../sql-scanner.js';
import { makeReferenceBars } from '../reference-bars.js';
import { checkScannerStatement, wrapStatement } from '../../day-db/read-only-statement.js';
import type { Bar, DailyBar, ScanContext } from '../../types.js';

const env = process.env;
const file = env.BARWISE_SCANNER!;
const ticker = env.SCAN_TICKERS!;
const date = env.SCAN_DATE!;
const asOf = Number(env.SCAN_AS_OF);
const db = new Database(env.DATABASE_PATH!, { readonly: true, fileMustExist: true });

/** The run's parameter values, as the naive scanner passes them (BARWISE_PARAMS, JSON). */
function readParamsEnv(): Readonly<Record<string, number | string | boolean>> {
  return Object.freeze(JSON.parse(env.BARWISE_PARAMS ?? '{}') as Record<string, number | string | boolean>);
}

let result: unknown;
if (env.BARWISE_SCANNER_KIND === 'sql') {
  const meta = readSqlScannerMeta(file);
  const sql = meta.sql;
  const stmt = db.prepare(sql);
  checkScannerStatement(stmt, sql);
  result = stmt.all({ ...bindSqlParams(meta.params ?? [], readParamsEnv()), ticker, date, as_of: asOf, time: env.SCAN_TIME, day_start: exchangeDayStartMs(date) });
} else {
  const { module } = await importScannerModule(file);
  // The snapshot holds exactly what is visible (see day-fill.ts); today and the past are told apart by time.
  const dayStart = exchangeDayStartMs(date);
  // The snapshot holds daily bars as `1day` rows too (day-fill.ts): bars are read at the run's timeframe.
  const timeframe = env.BARWISE_TIMEFRAME!;
  const select = db.prepare(
    'SELECT ticker, timestamp, time_of_day, open, high, low, close, volume FROM ohlcv_data WHERE ticker = ? AND timeframe = ? AND timestamp >= ? AND timestamp < ? ORDER BY timestamp',
  );
  const read = (t: string, from: number, to: number) => (select.all(t, timeframe, from, to) as Bar[]).map((b) => Object.freeze(b));
  const selectDaily = db.prepare('SELECT ticker, date, timestamp, open, high, low, close, volume FROM daily_bars WHERE ticker = ? ORDER BY timestamp');
  const readDaily = (t: string) => (selectDaily.all(t) as DailyBar[]).map((d) => Object.freeze(d));
  const bars = read(ticker, dayStart, Number.MAX_SAFE_INTEGER);
  const references = (env.BARWISE_REFERENCES ?? '').split(',').filter(Boolean);
  const ctx: ScanContext = {
    ticker, date, bar: bars[bars.length - 1], bars, index: bars.length - 1,
    // The same guard as in a worker: the snapshot's connection itself would open any file (ATTACH).
    db: Object.freeze({ prepare: (sql: string) => {
      const s = db.prepare(sql);
      checkScannerStatement(s, sql);
      return wrapStatement(s);
    } }),
    refs: makeReferenceBars(references, {
      bars: (t) => read(t, dayStart, Number.MAX_SAFE_INTEGER),
      history: (t) => read(t, Number.MIN_SAFE_INTEGER, dayStart),
      daily: readDaily,
    }),
    history: read(ticker, Number.MIN_SAFE_INTEGER, dayStart),
    daily: readDaily(ticker),
    params: readParamsEnv(),
  };
  // Each naive step is its own process, so per-ticker-day state starts afresh at every step here.
  const state = typeof module.init === 'function' ? await module.init(Object.freeze(ctx)) : undefined;
  result = await module.scan(Object.freeze(ctx), state);
}
db.close();
const list = result === null || result === undefined ? [] : Array.isArray(result) ? result : [result];
process.stdout.write(JSON.stringify(list) + '\n');
