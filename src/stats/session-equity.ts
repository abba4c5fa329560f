/**
 * Equity at the end of each session of the run: the last point of the mark-to-market equity series on or
 * before that date when the run has one (the portfolio pass), else the capital plus the net P&L of the trades
 * of that date and before (every trade closes the day it opened). Monthly returns, the drawdown duration
 * and CAGR read it.
 */
import { exchangeDate } from '../data/exchange-time.js';
import type { Trade } from '../types.js';
import type { EquityPoint } from './equity-curve.js';

export interface SessionEquity {
  date: string;
  equity: number;
}

export function buildSessionEquity(
  dates: readonly string[], trades: readonly Pick<Trade, 'date' | 'pnl'>[], capital: number, equity?: readonly EquityPoint[],
): SessionEquity[] {
  const sorted = [...new Set(dates)].sort();
  if (equity && equity.length > 0) {
    const out: SessionEquity[] = [];
    let i = 0;
    let last = capital;
    for (const date of sorted) {
      while (i < equity.length && exchangeDate(equity[i].ts) <= date) last = equity[i++].equity;
      out.push({ date, equity: last });
    }
    return out;
  }
  const byDate = new Map<string, number>();
  for (const t of trades) byDate.set(t.date, (byDate.get(t.date) ?? 0) + t.pnl);
  let e = capital;
  return [...new Set([...sorted, ...byDate.keys()])].sort().map((date) => ({ date, equity: (e += byDate.get(date) ?? 0) }));
}
