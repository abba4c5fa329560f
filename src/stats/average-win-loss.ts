/**
 * Average win and average loss: the mean net P&L (dollars) and mean return % of winning trades (pnl > 0)
 * and of losing trades (pnl < 0). Averages over none are null. The loss figures are negative.
 */
import type { Trade } from '../types.js';

export interface WinLoss {
  wins: number;
  losses: number;
  avg_win: number | null;
  avg_loss: number | null;
  avg_win_pct: number | null;
  avg_loss_pct: number | null;
}

export function computeAverageWinLoss(trades: readonly Pick<Trade, 'pnl' | 'return_pct'>[]): WinLoss {
  const wins = trades.filter((t) => t.pnl > 0);
  const losses = trades.filter((t) => t.pnl < 0);
  return {
    wins: wins.length,
    losses: losses.length,
    avg_win: mean(wins.map((t) => t.pnl)),
    avg_loss: mean(losses.map((t) => t.pnl)),
    avg_win_pct: mean(wins.map((t) => t.return_pct)),
    avg_loss_pct: mean(losses.map((t) => t.return_pct)),
  };
}

export function mean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
