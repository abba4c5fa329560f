/**
 * Time to recover: the longest drawdown in sessions. A drawdown begins after a session that closes at a new
 * equity peak (the capital counts as the peak before the first session) and lasts while sessions close below
 * that peak; `sessions` counts those sessions, `recovered` says whether a later session closed at or above
 * the peak again (false: the run ended under water). Read from end-of-session equity, so a dip that
 * recovers within its session is not a drawdown here (max drawdown still sees it). Ties: the first.
 */
import type { SessionEquity } from './session-equity.js';

export interface DrawdownDuration {
  sessions: number;
  recovered: boolean;
  /** Session whose close set the peak; null when the peak is the starting capital. */
  peak_date: string | null;
  /** First session back at or above the peak; null when it never recovered. */
  recovery_date: string | null;
}

export function computeLongestDrawdown(sessions: readonly SessionEquity[], capital: number): DrawdownDuration {
  let best: DrawdownDuration = { sessions: 0, recovered: true, peak_date: null, recovery_date: null };
  let peak = capital;
  let peakDate: string | null = null;
  let under = 0;
  for (const s of sessions) {
    if (s.equity >= peak) {
      if (under > best.sessions) best = { sessions: under, recovered: true, peak_date: peakDate, recovery_date: s.date };
      peak = s.equity;
      peakDate = s.date;
      under = 0;
    } else {
      under++;
    }
  }
  if (under > best.sessions) best = { sessions: under, recovered: false, peak_date: peakDate, recovery_date: null };
  return best;
}
