/**
 * The equity curve by exit: starting capital, then the equity after each trade's exit, in exit order (exit
 * time, then the trades' own total order). It moves only when a trade closes; the portfolio pass's
 * mark-to-market series (src/portfolio, `StatsInput.equity`) is the account's equity in time, and this curve
 * is what statistics fall back to without it (a run recorded before the pass). EquityPoint is the one shape
 * of both.
 */
import type { Trade } from '../types.js';

export interface EquityPoint {
  /** Epoch ms of the instant (here: the exit that produced the point; the first point, the capital, takes the first entry). */
  ts: number;
  equity: number;
}

export function sortByExit<T extends Pick<Trade, 'exit_ts'>>(trades: readonly T[]): T[] {
  // Array.prototype.sort is stable: equal exit times keep the trade order.
  return [...trades].sort((a, b) => a.exit_ts - b.exit_ts);
}

export function buildEquityCurve(trades: readonly Pick<Trade, 'pnl' | 'exit_ts' | 'entry_ts'>[], capital: number): EquityPoint[] {
  const sorted = sortByExit(trades);
  const start = trades.length ? Math.min(...trades.map((t) => t.entry_ts)) : 0;
  const points: EquityPoint[] = [{ ts: start, equity: capital }];
  let equity = capital;
  for (const t of sorted) {
    equity += t.pnl;
    points.push({ ts: t.exit_ts, equity });
  }
  return points;
}
