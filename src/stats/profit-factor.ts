/**
 * Profit factor: gross profit (sum of P&L of winning trades) / gross loss (minus the sum of P&L of losing
 * trades). Null when there is no losing trade (the ratio is undefined, not "infinite" in JSON).
 */
import type { Trade } from '../types.js';

export function computeProfitFactor(trades: readonly Pick<Trade, 'pnl'>[]): number | null {
  let gain = 0;
  let loss = 0;
  for (const t of trades) {
    if (t.pnl > 0) gain += t.pnl;
    else loss -= t.pnl;
  }
  return loss > 0 ? gain / loss : null;
}
