/**
 * Daily returns: for every trading date of the run (dates with bars, traded or not, in order), the day's
 * net P&L (trades belong to their date: every trade closes the day it opened) divided by the equity at the
 * start of that day. Equity compounds: it starts at the capital and adds each day's P&L. A day without
 * trades returns 0, and it counts: leaving such days out would overstate Sharpe and Sortino.
 */
import type { Trade } from '../types.js';

export interface DailyReturn {
  date: string;
  pnl: number;
  /** Fraction, not %. */
  ret: number;
}

export function computeDailyReturns(trades: readonly Pick<Trade, 'date' | 'pnl'>[], dates: readonly string[], capital: number): DailyReturn[] {
  const byDate = new Map<string, number>();
  for (const t of trades) byDate.set(t.date, (byDate.get(t.date) ?? 0) + t.pnl);
  const all = [...new Set([...dates, ...byDate.keys()])].sort();
  let equity = capital;
  return all.map((date) => {
    const pnl = byDate.get(date) ?? 0;
    const ret = equity > 0 ? pnl / equity : 0;
    equity += pnl;
    return { date, pnl, ret };
  });
}
