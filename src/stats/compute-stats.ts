/**
 * Every statistic of a run's trades, in one plain object (the `stats` of the JSON output). Each figure comes
 * from its own function in this folder, where it is defined; docs/trades.md lists them together.
 */
import type { Trade } from '../types.js';
import { computeAverageWinLoss } from './average-win-loss.js';
import { computeBreakdown, signalHour, type BreakdownRow } from './breakdown.js';
import { computeDailyReturns } from './daily-returns.js';
import { buildEquityCurve } from './equity-curve.js';
import { computeExpectancy } from './expectancy.js';
import { computeExposure } from './exposure.js';
import { computeLongestLosingStreak } from './losing-streak.js';
import { computeMaxDrawdown } from './max-drawdown.js';
import { computeProfitFactor } from './profit-factor.js';
import { computeSharpe } from './sharpe.js';
import { computeSortino } from './sortino.js';
import { computeTotalReturn } from './total-return.js';
import { computeWinRate } from './win-rate.js';

export interface StatsInput {
  trades: readonly Trade[];
  /** Signals of the run (traded or not). */
  signals: number;
  /** Signals not traded, by reason. */
  untraded: Readonly<Record<string, number>>;
  /** The run's trading dates mapped to [first bar start, last bar end] over all tickers, epoch ms. */
  sessions: ReadonlyMap<string, readonly [number, number]>;
  capital: number;
}

export interface TradeStats {
  signals: number;
  trades: number;
  untraded: Record<string, number>;
  wins: number;
  losses: number;
  win_rate_pct: number | null;
  avg_win: number | null;
  avg_loss: number | null;
  avg_win_pct: number | null;
  avg_loss_pct: number | null;
  profit_factor: number | null;
  expectancy: number | null;
  expectancy_r: number | null;
  avg_return_pct: number | null;
  total_pnl: number;
  total_return_pct: number;
  capital: number;
  final_equity: number;
  max_drawdown_pct: number;
  max_drawdown_usd: number;
  trading_days: number;
  sharpe: number | null;
  sortino: number | null;
  exposure_pct: number | null;
  longest_losing_streak: number;
  by_hour: BreakdownRow[];
  by_ticker: BreakdownRow[];
}

export function computeStats(input: StatsInput): TradeStats {
  const { trades, capital } = input;
  const wl = computeAverageWinLoss(trades);
  const exp = computeExpectancy(trades);
  const total = computeTotalReturn(trades, capital);
  const dd = computeMaxDrawdown(buildEquityCurve(trades, capital).map((p) => p.equity));
  const daily = computeDailyReturns(trades, [...input.sessions.keys()], capital).map((d) => d.ret);
  const untraded: Record<string, number> = {};
  for (const k of Object.keys(input.untraded).sort()) untraded[k] = input.untraded[k];
  return roundNumbers({
    signals: input.signals,
    trades: trades.length,
    untraded,
    ...wl,
    win_rate_pct: computeWinRate(trades),
    profit_factor: computeProfitFactor(trades),
    expectancy: exp.usd,
    expectancy_r: exp.r,
    avg_return_pct: exp.pct,
    total_pnl: total.usd,
    total_return_pct: total.pct,
    capital,
    final_equity: capital + total.usd,
    max_drawdown_pct: dd.pct,
    max_drawdown_usd: dd.usd,
    trading_days: daily.length,
    sharpe: computeSharpe(daily),
    sortino: computeSortino(daily),
    exposure_pct: computeExposure(trades, input.sessions),
    longest_losing_streak: computeLongestLosingStreak(trades),
    by_hour: computeBreakdown(trades, signalHour),
    by_ticker: computeBreakdown(trades, (t) => t.ticker),
  });
}

/** Six decimals everywhere: the figures stay exact enough and the JSON free of float noise. */
function roundNumbers<T>(v: T): T {
  if (typeof v === 'number') return (Number.isFinite(v) ? Math.round(v * 1e6) / 1e6 || 0 : v) as T;
  if (Array.isArray(v)) return v.map(roundNumbers) as T;
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, roundNumbers(x)])) as T;
  return v;
}
