/**
 * Average bars held: the mean `bars_held` of all trades, of winning trades (pnl > 0) and of losing trades
 * (pnl < 0). Null over none.
 */
import type { Trade } from '../types.js';
import { mean } from './average-win-loss.js';

export function computeAverageBarsHeld(trades: readonly Pick<Trade, 'pnl' | 'bars_held'>[]): { all: number | null; wins: number | null; losses: number | null } {
  return {
    all: mean(trades.map((t) => t.bars_held)),
    wins: mean(trades.filter((t) => t.pnl > 0).map((t) => t.bars_held)),
    losses: mean(trades.filter((t) => t.pnl < 0).map((t) => t.bars_held)),
  };
}
