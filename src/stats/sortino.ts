/**
 * Annualised Sortino ratio of daily returns: mean(r) / DD × √252, where the downside deviation
 * DD = √(Σ min(r, 0)² / n) over all n days (target return 0; days above it count as 0, not left out).
 * Null with fewer than two days or no losing day.
 */
import { mean } from './average-win-loss.js';
import { TRADING_DAYS_PER_YEAR } from './sharpe.js';

export function computeSortino(returns: readonly number[]): number | null {
  if (returns.length < 2) return null;
  let ss = 0;
  for (const r of returns) if (r < 0) ss += r * r;
  const dd = Math.sqrt(ss / returns.length);
  return dd > 0 ? (mean(returns)! / dd) * Math.sqrt(TRADING_DAYS_PER_YEAR) : null;
}
