/**
 * Trades in the total order of their signals (signal-order.ts), whatever order the workers finished in. Each
 * trade comes from exactly one signal, so there is nothing to de-duplicate.
 */
import type { Trade } from '../types.js';
import { compareTrades } from './signal-order.js';

export function mergeTrades(trades: readonly Trade[]): Trade[] {
  return [...trades].sort(compareTrades);
}
