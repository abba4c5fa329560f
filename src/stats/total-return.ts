/**
 * Total return: summed net P&L of all trades as % of the starting capital (equity model: equity-curve.ts).
 */
import type { Trade } from '../types.js';

export function computeTotalReturn(trades: readonly Pick<Trade, 'pnl'>[], capital: number): { usd: number; pct: number } {
  const usd = trades.reduce((s, t) => s + t.pnl, 0);
  return { usd, pct: (100 * usd) / capital };
}
