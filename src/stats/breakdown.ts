/**
 * Trades grouped by a key (the hour of the signal, the ticker): per group the trade count, win rate,
 * total net P&L and average return %, groups sorted by key.
 */
import type { Trade } from '../types.js';
import { mean } from './average-win-loss.js';
import { computeWinRate } from './win-rate.js';

export interface BreakdownRow {
  key: string;
  trades: number;
  win_rate_pct: number | null;
  pnl: number;
  avg_return_pct: number | null;
}

export function computeBreakdown<T extends Pick<Trade, 'pnl' | 'return_pct'>>(trades: readonly T[], keyOf: (t: T) => string): BreakdownRow[] {
  const groups = new Map<string, T[]>();
  for (const t of trades) {
    const k = keyOf(t);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(t);
  }
  return [...groups.keys()].sort().map((key) => {
    const g = groups.get(key)!;
    return {
      key,
      trades: g.length,
      win_rate_pct: computeWinRate(g),
      pnl: g.reduce((s, t) => s + t.pnl, 0),
      avg_return_pct: mean(g.map((t) => t.return_pct)),
    };
  });
}

/** `HH` of the signal time: the signal's hour in New York time. */
export function signalHour(t: Pick<Trade, 'signal_time'>): string {
  return t.signal_time.slice(0, 2);
}
