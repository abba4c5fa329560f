/**
 * What the overfitting figures read from a sweep: every combination's trades over the same trading days.
 * A sweep's combination runs give it as they are (each run's trades and the run's trading dates), and the
 * daily returns of each combination follow from it exactly as a run's Sharpe ratio takes them
 * (stats/daily-returns.ts), so PBO and the deflated Sharpe ratio rank what the ranking table shows.
 */
import { BarwiseError } from '../errors.js';
import { computeDailyReturns } from '../stats/daily-returns.js';
import type { Trade } from '../types.js';

export interface SweepMatrix {
  /** The trading days of the sweep, sorted, each once: every combination ran over all of them. */
  days: readonly string[];
  /** The starting equity of every combination, dollars. */
  capital: number;
  /** Per combination, by its index in the sweep: its trades, each dated on one of `days`. */
  trades: readonly (readonly Trade[])[];
}

/** `returns[combination][day]`: each combination's daily return (a fraction) on each day of the sweep. */
export function computeReturnMatrix(m: SweepMatrix): number[][] {
  checkSweepMatrix(m);
  return m.trades.map((t) => computeDailyReturns(t, m.days, m.capital).map((d) => d.ret));
}

/** Days sorted and unique, and no trade dated off them (it would fall outside every window). */
export function checkSweepMatrix(m: SweepMatrix): void {
  for (let i = 1; i < m.days.length; i++) {
    if (!(m.days[i - 1] < m.days[i])) {
      throw new BarwiseError('INVALID_DATE', `the sweep's days must be sorted, each once: ${m.days[i - 1]} comes before ${m.days[i]}`);
    }
  }
  const days = new Set(m.days);
  m.trades.forEach((trades, c) => {
    const off = trades.find((t) => !days.has(t.date));
    if (off) {
      const what = `combination ${c} has a trade on ${off.date} (${off.ticker})`;
      throw new BarwiseError('INVALID_DATE', `${what}, not one of the sweep's ${m.days.length} trading days`,
        'Give every combination the same trading days: those of the sweep\'s date range in the store.');
    }
  });
}
