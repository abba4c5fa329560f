/**
 * Compound annual growth rate, %: (final equity / capital)^(1 / years) − 1, with years = sessions / 252 (the
 * trading days the run covered, the same year Sharpe annualises with). Null for a run of fewer than 252
 * sessions: raising a few weeks' return to a yearly power extrapolates luck, so it is not shown. A ruined
 * account (final equity ≤ 0) is −100%.
 */
import { TRADING_DAYS_PER_YEAR } from './sharpe.js';

export function computeCagr(capital: number, finalEquity: number, sessions: number): number | null {
  if (sessions < TRADING_DAYS_PER_YEAR || capital <= 0) return null;
  if (finalEquity <= 0) return -100;
  return 100 * ((finalEquity / capital) ** (TRADING_DAYS_PER_YEAR / sessions) - 1);
}
