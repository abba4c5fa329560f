/**
 * Monthly and yearly returns: per calendar month (`YYYY-MM`) or year (`YYYY`) with sessions in the run, the
 * change of the end-of-session equity from the end of the previous period (the capital for the first), in
 * dollars and as % of that starting equity (null when it is ≤ 0: a ruined account has no return).
 */
import type { SessionEquity } from './session-equity.js';

export interface PeriodReturn {
  period: string;
  pnl: number;
  return_pct: number | null;
}

/** `length`: 7 for months, 4 for years (the prefix of the date). */
export function computePeriodReturns(sessions: readonly SessionEquity[], capital: number, length: 4 | 7): PeriodReturn[] {
  const out: PeriodReturn[] = [];
  let start = capital;
  let i = 0;
  while (i < sessions.length) {
    const period = sessions[i].date.slice(0, length);
    let end = start;
    while (i < sessions.length && sessions[i].date.slice(0, length) === period) end = sessions[i++].equity;
    out.push({ period, pnl: end - start, return_pct: start > 0 ? (100 * (end - start)) / start : null });
    start = end;
  }
  return out;
}
