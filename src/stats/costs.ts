/**
 * What trading cost: total commission and total slippage (dollars, both fills of every trade), and the gross
 * P&L the trades would have made at the quoted prices without either. Net P&L (`total_pnl`) = gross − costs.
 * A trade recorded before slippage was kept per trade counts 0 slippage.
 */
import type { Trade } from '../types.js';

export interface Costs {
  commission: number;
  slippage: number;
  gross: number;
}

export function computeCosts(trades: readonly Pick<Trade, 'pnl' | 'commission' | 'slippage'>[]): Costs {
  let commission = 0;
  let slippage = 0;
  let net = 0;
  for (const t of trades) {
    commission += t.commission;
    slippage += t.slippage ?? 0;
    net += t.pnl;
  }
  return { commission, slippage, gross: net + commission + slippage };
}
