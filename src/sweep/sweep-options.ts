/**
 * What a sweep takes (the options of a backtest, plus the grid and how to rank it) and what it answers.
 */
import { BarwiseError } from '../errors.js';
import type { BacktestOptions } from '../config/backtest-options.js';
import { SWEEP_ROWS, checkOptionValue, findRow, nameOption, readDefault, type Caller } from '../config/options.js';
import { listStatistics } from '../stats/statistics.js';
import { findClosestWord } from '../text/closest-word.js';
import type { RunResult, RunStatus } from '../engine/run-result.js';
import type { SweepValue } from './parse-param-spec.js';
import type { SweepOverfitting } from './assess-overfitting.js';
import type { WalkForwardShape } from './walk-forward-windows.js';
import { SWEEP_OBJECTIVES } from './objectives.js';

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
  /** Walk-forward selection over windows of `train` then `test` trading days (both required with it). */
  walkForward?: boolean;
  train?: number;
  test?: number;
  /** Every train window from the first day on (expanding), rather than rolling. */
  anchored?: boolean;
  /** Blocks the days are cut into for PBO: even, 2 to 20. Default 16. */
  pboBlocks?: number;
}

/**
 * Continuing recorded sweep `resume` of `resultsDb`: every option left out is the sweep's own (its grid,
 * sampling, ranking and run options); one given overrides it (a grid or run option that differs is refused).
 */
export type SweepResumeOptions = Partial<SweepOptions> & { resume: number };

export const SWEEP_KEYS = ['grid', 'samples', 'seed', 'objective', 'minTrades', 'walkForward', 'train', 'test', 'anchored', 'pboBlocks'] as const;

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
  /** Walk-forward, PBO and the deflated Sharpe ratio of the best combination, or why each was skipped. */
  overfitting: SweepOverfitting;
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
  /** Null without --walk-forward. */
  walkForward: WalkForwardShape | null;
  pboBlocks: number;
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
  if (o.walkForward === true && !(SWEEP_OBJECTIVES as readonly string[]).includes(objective)) {
    throw new BarwiseError('USAGE', `${nameOption(findRow('sweep', 'walkForward'), caller)} chooses on each window by an objective that is higher when better; ${nameOption(findRow('sweep', 'objective'), caller)} ${objective} is not one`,
      `One of: ${SWEEP_OBJECTIVES.join(', ')}.`);
  }
  return {
    objective,
    minTrades: o.minTrades ?? readDefault<number>('sweep', 'minTrades'),
    samples: o.samples ?? null,
    seed: o.seed ?? readDefault<number>('sweep', 'seed'),
    walkForward: resolveWalkForward(o, caller),
    pboBlocks: resolvePboBlocks(o, caller),
  };
}

/** --train and --test are required with --walk-forward, and mean nothing without it. */
function resolveWalkForward(o: SweepOptions, caller: Caller): WalkForwardShape | null {
  const name = (key: string) => nameOption(findRow('sweep', key), caller);
  if (o.walkForward !== true) {
    const stray = (['train', 'test', 'anchored'] as const).find((k) => o[k] !== undefined && o[k] !== false);
    if (stray) {
      throw new BarwiseError('USAGE', `${name(stray)} applies to walk-forward only`, `Add ${name('walkForward')}, or drop ${name(stray)}.`);
    }
    return null;
  }
  const missing = (['train', 'test'] as const).filter((k) => o[k] === undefined);
  if (missing.length > 0) {
    throw new BarwiseError('USAGE', `${name('walkForward')} needs ${missing.map(name).join(' and ')} (trading days)`,
      `For example ${caller.kind === 'cli' ? '--walk-forward --train 60 --test 20' : '{ walkForward: true, train: 60, test: 20 }'}.`);
  }
  return { train: o.train!, test: o.test!, anchored: o.anchored === true };
}

function resolvePboBlocks(o: SweepOptions, caller: Caller): number {
  const blocks = o.pboBlocks ?? readDefault<number>('sweep', 'pboBlocks');
  if (blocks % 2 !== 0) {
    throw new BarwiseError('USAGE', `${nameOption(findRow('sweep', 'pboBlocks'), caller)} must be even (half the blocks are in sample), got ${blocks}`,
      `The default is ${readDefault<number>('sweep', 'pboBlocks')}.`);
  }
  return blocks;
}
