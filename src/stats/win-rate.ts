/**
 * Win rate: trades with a positive net P&L, as % of trades taken. The denominator is trades, never
 * signals: a signal that was not traded (last bar, already in a position, …) is neither a win nor a loss.
 * A trade of exactly 0 counts in the denominator but is not a win. Null without trades.
 */
import type { Trade } from '../types.js';

export function computeWinRate(trades: readonly Pick<Trade, 'pnl'>[]): number | null {
  if (trades.length === 0) return null;
  return (100 * trades.filter((t) => t.pnl > 0).length) / trades.length;
}
