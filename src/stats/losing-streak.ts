/**
 * Longest losing streak: the most consecutive losing trades (pnl < 0) in exit order. A winning or
 * break-even trade ends a streak.
 */
import type { Trade } from '../types.js';
import { sortByExit } from './equity-curve.js';

export function computeLongestLosingStreak(trades: readonly Pick<Trade, 'pnl' | 'exit_ts'>[]): number {
  let run = 0;
  let longest = 0;
  for (const t of sortByExit(trades)) {
    run = t.pnl < 0 ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}
