/**
 * Annualised Sharpe ratio of daily returns: mean(r) / sd(r) × √252, with the sample standard deviation
 * (n − 1) and a risk-free rate of 0. Daily returns, not per-trade dollars: see daily-returns.ts. Null with
 * fewer than two days or no variation.
 */
import { mean } from './average-win-loss.js';

export const TRADING_DAYS_PER_YEAR = 252;

export function computeSharpe(returns: readonly number[]): number | null {
  if (returns.length < 2) return null;
  const m = mean(returns)!;
  let ss = 0;
  for (const r of returns) ss += (r - m) ** 2;
  const sd = Math.sqrt(ss / (returns.length - 1));
  return sd > 0 ? (m / sd) * Math.sqrt(TRADING_DAYS_PER_YEAR) : null;
}
