/**
 * What an import wrote, for the summary a user checks before backtesting: tickers, trading days, bars and
 * the date range, read from the import's own record of the bars it took (temp.import_seen), so bars the
 * database held before are not counted as imported.
 */
import type Database from 'better-sqlite3';
import { exchangeDate } from './exchange-time.js';

export interface ImportSummary {
  tickers: number;
  /** Distinct trading dates (New York) with at least one bar. */
  days: number;
  /** Distinct (ticker, trading date) pairs. */
  tickerDays: number;
  bars: number;
  /** First and last trading date, YYYY-MM-DD. */
  from: string;
  to: string;
}

export function summarizeImport(db: Database.Database): ImportSummary | null {
  // Trading dates are New York dates (exchange-time.ts), which SQLite cannot compute itself.
  db.function('barwise_exchange_date', { deterministic: true }, (ts: unknown) => exchangeDate(Number(ts)));
  const row = db.prepare(`SELECT COUNT(*) AS bars, COUNT(DISTINCT ticker) AS tickers, MIN(timestamp) AS first, MAX(timestamp) AS last
    FROM temp.import_seen`).get() as { bars: number; tickers: number; first: number | null; last: number | null };
  if (row.bars === 0 || row.first === null || row.last === null) return null;
  const days = db.prepare(`SELECT COUNT(DISTINCT d) AS days, COUNT(*) AS ticker_days FROM
    (SELECT DISTINCT ticker, barwise_exchange_date(timestamp) AS d FROM temp.import_seen)`).get() as { days: number; ticker_days: number };
  return { tickers: row.tickers, days: days.days, tickerDays: days.ticker_days, bars: row.bars, from: exchangeDate(row.first), to: exchangeDate(row.last) };
}
