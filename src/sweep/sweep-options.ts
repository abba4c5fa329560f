/**
 * What a sweep takes (the options of a backtest, plus the grid and how to rank it) and what it answers.
 */
import { BarwiseError } from '../errors.js';
import type { BacktestOptions } from '../config/backtest-options.js';
import { SWEEP_ROWS, checkOptionValue, findRow, nameOption, readDefault, type Caller } from '../config/options.js';
import { listStatistics } from '../stats/statistics.js';
import { findClosestWord } from '../batch/closest-word.js';
import type { RunResult, RunStatus } from '../engine/run-result.js';
import type { SweepValue } from './parse-param-spec.js';

export interface SweepOptions extends BacktestOptions {
  /**
   * The swept parameters, by name (a scanner parameter, or `trade.X` for trade rule X): their values, or the
   * CLI's text for them (`3,6,12`, `1.5..3:0.5`).
   */
  grid: Record<string, string | readonly SweepValue[]>;
  /** Random search: N distinct combinations of the grid, drawn with `seed`. Default: the whole grid. */
  samples?: number;
  seed?: number;
  /** Statistic key the ranking is by, highest first. Default profit_factor. */
  objective?: string;
  /** Combinations with fewer trades are ranked after the others. Default 0. */
  minTrades?: number;
}

export const SWEEP_KEYS = ['grid', 'samples', 'seed', 'objective', 'minTrades'] as const;

export interface CombinationResult {
  /** Position in the sweep, from 0. */
  index: number;
  values: Record<string, SweepValue>;
  /** The combination's run, as `backtest` of it alone would have answered (its run id in the results database). */
  result: RunResult;
  /** The objective's value; null when the run has none (no trades, or a ratio without losses). */
  objective: number | null;
  trades: number;
  /** Fewer trades than --min-trades: ranked apart. */
  belowMinTrades: boolean;
}

export interface SweepResult {
  sweepId: number;
  status: RunStatus;
  objective: string;
  minTrades: number;
  /** Every combination, in sweep order. */
  combinations: CombinationResult[];
  /** Combination indexes, best first: those with enough trades by objective (ties in sweep order), then the rest. */
  ranking: number[];
}

/** Statistics a sweep can rank by: those whose value is one number. */
export function listObjectives(): string[] {
  return listStatistics().filter((s) => ['count', 'usd', 'pct', 'ratio', 'r'].includes(s.unit)).map((s) => s.key);
}

export interface ResolvedSweepOptions {
  objective: string;
  minTrades: number;
  samples: number | null;
  seed: number;
}

/** Checks the sweep's own options against their rows, with messages naming them as `caller` spells them. */
export function resolveSweepOptions(o: SweepOptions, caller: Caller): ResolvedSweepOptions {
  for (const row of SWEEP_ROWS) {
    if (row.key === null || row.key === 'grid') continue;
    const v = (o as unknown as Record<string, unknown>)[row.key];
    if (v !== undefined) checkOptionValue(row, v, caller);
  }
  if (o.grid === null || typeof o.grid !== 'object' || Array.isArray(o.grid)) {
    throw new BarwiseError('USAGE', `${nameOption(findRow('sweep', 'grid'), caller)} must name the swept parameters and their values`,
      'E.g. --param vol_mult=1.5..3:0.5, or in the library grid: { vol_mult: "1.5..3:0.5", "trade.stopPct": [0.5, 1] }.');
  }
  const objective = o.objective ?? readDefault<string>('sweep', 'objective');
  const objectives = listObjectives();
  if (!objectives.includes(objective)) {
    const close = findClosestWord(objective, objectives);
    throw new BarwiseError('USAGE', `${nameOption(findRow('sweep', 'objective'), caller)} ${objective} is not a statistic a sweep can rank by${close ? `; did you mean ${close}?` : ''}`,
      `One of: ${objectives.join(', ')} (docs/trades.md).`);
  }
  return {
    objective,
    minTrades: o.minTrades ?? readDefault<number>('sweep', 'minTrades'),
    samples: o.samples ?? null,
    seed: o.seed ?? readDefault<number>('sweep', 'seed'),
  };
}
