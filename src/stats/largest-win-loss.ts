/**
 * Largest win and largest loss: the highest net P&L of a winning trade and the lowest of a losing trade
 * (negative). Null when there is no winning (losing) trade.
 */
import type { Trade } from '../types.js';

export function computeLargestWinLoss(trades: readonly Pick<Trade, 'pnl'>[]): { largest_win: number | null; largest_loss: number | null } {
  let largest_win: number | null = null;
  let largest_loss: number | null = null;
  for (const t of trades) {
    if (t.pnl > 0 && (largest_win === null || t.pnl > largest_win)) largest_win = t.pnl;
    if (t.pnl < 0 && (largest_loss === null || t.pnl < largest_loss)) largest_loss = t.pnl;
  }
  return { largest_win, largest_loss };
}
