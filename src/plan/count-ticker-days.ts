/**
 * How many ticker-days (and bars) a run covers, for the progress bar's `done/total` and the up-front time
 * estimate: tasks are planned over calendar dates (plan-tasks.ts), so only the store knows which of those
 * dates have bars. One aggregate over the index; no bar crosses into JavaScript.
 *
 * The day of a bar is its UTC time less 4.5 hours: New York is 4 or 5 hours behind UTC, so that day changes
 * at 23:30 or 00:30 New York time, when nothing trades, and equals the exchange date of every bar from 00:30
 * to 23:30. A date whose only bars fall outside the regular session is counted for a regular-session run
 * (which has no ticker-day there), so the total is an upper bound in that rare case.
 */
import { describeStoreError } from '../data/describe-store-error.js';
import { exchangeDayStartMs, nextDate } from '../data/exchange-time.js';
import type { MarketStore } from '../data/market-store.js';

const SHIFT_MS = 4.5 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

const COUNT_SQL = `SELECT COUNT(*) AS days, COALESCE(SUM(bars), 0) AS bars FROM (
  SELECT ticker, (timestamp - ${SHIFT_MS}) / ${DAY_MS} AS day, COUNT(*) AS bars
  FROM ohlcv_data
  WHERE timeframe = ? AND timestamp >= ? AND timestamp < ? AND ticker IN (SELECT value FROM json_each(?))
  GROUP BY ticker, day)`;

export interface TickerDayCount {
  tickerDays: number;
  /** Bars of those days, whatever the session. */
  bars: number;
}

export function countTickerDays(
  store: MarketStore,
  run: { tickers: readonly string[]; from: string; to: string; timeframe: string },
): TickerDayCount {
  try {
    const row = store.db.prepare(COUNT_SQL).get(
      run.timeframe, exchangeDayStartMs(run.from), exchangeDayStartMs(nextDate(run.to)), JSON.stringify(run.tickers),
    ) as { days: number; bars: number };
    return { tickerDays: row.days, bars: row.bars };
  } catch (err) {
    throw describeStoreError(err, store.path);
  }
}
