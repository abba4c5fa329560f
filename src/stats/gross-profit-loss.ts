/**
 * Gross profit and gross loss: the summed net P&L of winning trades (pnl > 0) and of losing trades (pnl < 0,
 * so the loss is ≤ 0). Their sum is the net profit; break-even trades add to neither.
 */
import type { Trade } from '../types.js';

export function computeGrossProfitLoss(trades: readonly Pick<Trade, 'pnl'>[]): { gross_profit: number; gross_loss: number } {
  let gross_profit = 0;
  let gross_loss = 0;
  for (const t of trades) {
    if (t.pnl > 0) gross_profit += t.pnl;
    else if (t.pnl < 0) gross_loss += t.pnl;
  }
  return { gross_profit, gross_loss };
}
