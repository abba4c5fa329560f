/**
 * Expectancy: what one trade is worth on average. `usd`: mean net P&L per trade (= win rate × average win
 * + loss rate × average loss). `r`: mean R multiple over the trades that have one (a stop), else null.
 * `pct`: mean return % per trade (the "average return").
 */
import type { Trade } from '../types.js';
import { mean } from './average-win-loss.js';

export function computeExpectancy(trades: readonly Pick<Trade, 'pnl' | 'return_pct' | 'r_multiple'>[]) {
  const rs = trades.map((t) => t.r_multiple).filter((r): r is number => r !== null);
  return {
    usd: mean(trades.map((t) => t.pnl)),
    r: mean(rs),
    pct: mean(trades.map((t) => t.return_pct)),
  };
}
