/**
 * The figures a sweep can choose combinations by, each the statistic of the same key in the registry
 * (stats/statistics.ts) and all "higher is better". On a subset of days (a walk-forward window) a figure is
 * what a backtest of the combination over just those days would report: the trades dated on those days, the
 * daily returns of those days with the equity starting again at the capital (days without trades count, as
 * 0), rounded to six decimals as the run's `stats` are (so two combinations that read the same are tied).
 * Null where the statistic is undefined: no trade, no losing trade for the profit factor, returns that never
 * vary for Sharpe.
 */
import { BarwiseError } from '../errors.js';
import { STATISTICS, StatsContext, type StatKey } from '../stats/statistics.js';
import type { Trade } from '../types.js';

export const SWEEP_OBJECTIVES = [
  'profit_factor', 'sharpe', 'sortino', 'total_return_pct', 'total_pnl', 'expectancy', 'expectancy_r', 'win_rate_pct',
] as const satisfies readonly StatKey[];

export type SweepObjective = (typeof SWEEP_OBJECTIVES)[number];

export function checkObjective(objective: string): SweepObjective {
  if (!(SWEEP_OBJECTIVES as readonly string[]).includes(objective)) {
    throw new BarwiseError('USAGE', `unknown objective "${objective}"`, `Choose one of: ${SWEEP_OBJECTIVES.join(', ')}.`);
  }
  return objective as SweepObjective;
}

/** The objective over `days` (sorted) from the trades dated on them. */
export function computeObjective(objective: SweepObjective, trades: readonly Trade[], days: readonly string[], capital: number): number | null {
  const sessions = new Map(days.map((d) => [d, [0, 0] as const]));
  const v = STATISTICS[objective].compute(new StatsContext({ trades, signals: trades.length, untraded: {}, sessions, capital }));
  return typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 1e6) / 1e6 || 0 : null;
}
