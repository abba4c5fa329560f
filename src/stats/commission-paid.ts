/**
 * Commission paid: both fills' commission summed over the trades, dollars. `pnl` is already net of it, so
 * net profit + commission is what the trades made before costs (slippage is in the fill prices, not here).
 */
import type { Trade } from '../types.js';

export function computeCommissionPaid(trades: readonly Pick<Trade, 'commission'>[]): number {
  let sum = 0;
  for (const t of trades) sum += t.commission;
  return sum;
}
