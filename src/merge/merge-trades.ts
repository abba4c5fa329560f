/**
 * Trades in the total order of their signals (date, signal time, ticker, sequence), whatever order the
 * workers finished in. Each trade comes from exactly one signal, so there is nothing to de-duplicate.
 */
import type { Trade } from '../types.js';

export function compareTrades(a: Trade, b: Trade): number {
  return cmp(a.date, b.date) || a.signal_ts - b.signal_ts || cmp(a.ticker, b.ticker) || a.seq - b.seq;
}

export function mergeTrades(trades: readonly Trade[]): Trade[] {
  return [...trades].sort(compareTrades);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
