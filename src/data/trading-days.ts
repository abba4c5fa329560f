/**
 * Trading days as the market store knows them: a date is a trading day for a universe when at least one of
 * its tickers has a bar that day. Relative ranges (`last 10 trading days`) count these back from the last
 * bar in the store, so holidays and weekends never count and a store that is a day behind stays consistent.
 */
import { BarwiseError } from '../errors.js';
import { exchangeDate, exchangeDayStartMs, isValidDate, nextDate } from './exchange-time.js';
import { isPlausibleMs } from './timestamp-unit.js';
import type { MarketStore } from './market-store.js';

const DAY_MS = 86_400_000;

/** The last `n` trading days of `tickers` (all tickers when null), oldest first. */
export function listLastTradingDays(store: MarketStore, tickers: readonly string[] | null, timeframe: string, n: number): string[] {
  const universe = tickers ?? store.listTickers(timeframe);
  const bounds = store.timeBounds(timeframe);
  if (!bounds || universe.length === 0) {
    throw new BarwiseError('NO_BARS', `${store.path} holds no bars with timeframe "${timeframe}"`,
      'Import bars with `npm run import`, or pick the timeframe the database holds.');
  }
  const first = exchangeDate(bounds.min);
  const last = exchangeDate(bounds.max);
  // Bounds from timestamps in the wrong unit give dates the walk below could never reach: refuse them.
  if (!isValidDate(first) || !isValidDate(last) || !isPlausibleMs(bounds.min) || !isPlausibleMs(bounds.max)) {
    throw new BarwiseError('DB_SCHEMA', `${store.path}: ohlcv_data.timestamp is not epoch milliseconds of 1990–2100 (first ${bounds.min}, last ${bounds.max})`,
      'Re-import the bars with `barwise import`, which checks every row; `barwise backtest` on the database names the tickers at fault.');
  }
  const out: string[] = [];
  for (let d = last; out.length < n && d >= first; d = previousDate(d)) {
    const fromMs = exchangeDayStartMs(d);
    const toMs = exchangeDayStartMs(nextDate(d));
    if (universe.some((t) => store.hasBars(t, timeframe, fromMs, toMs))) out.push(d);
  }
  return out.reverse();
}

function previousDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}
