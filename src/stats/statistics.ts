/**
 * The registry of trade statistics: every figure of a run's `stats`, in the order the JSON output writes them.
 * Each entry names its figure (`label`, `unit`) and computes it from its own file in this folder; every
 * renderer (the console table, the HTML report, the JSON output, `runs --compare`, the audit's tables) lists
 * statistics from here, so a new statistic is one file plus one line below.
 *
 * `compared` marks the headline figures that `runs --compare` and the lookahead audit set side by side.
 */
import type { Trade } from '../types.js';
import { computeAverageWinLoss, type WinLoss } from './average-win-loss.js';
import { computeBenchmark, type BenchmarkSeries, type BenchmarkStats } from './benchmark.js';
import { computeBreakdown, signalHour, type BreakdownRow } from './breakdown.js';
import { computeCagr } from './cagr.js';
import { computeCosts, type Costs } from './costs.js';
import { computeDailyReturns, type DailyReturn } from './daily-returns.js';
import { computeLongestDrawdown } from './drawdown-duration.js';
import { buildEquityCurve, type EquityPoint } from './equity-curve.js';
import { computeDistribution } from './excursions.js';
import { computeExpectancy } from './expectancy.js';
import { computeExposure } from './exposure.js';
import { computeLongestLosingStreak } from './losing-streak.js';
import { computeMaxDrawdown } from './max-drawdown.js';
import { computePerformanceSummary, SUMMARY_ROWS, type SummaryRow } from './performance-summary.js';
import { computePeriodReturns, type PeriodReturn } from './period-returns.js';
import { computeProfitFactor } from './profit-factor.js';
import { buildSessionEquity, type SessionEquity } from './session-equity.js';
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
  equity?: readonly EquityPoint[]; // mark-to-market equity in time from the portfolio pass
  /** The benchmark ticker's prices over the run's sessions; absent with `--benchmark none`. */
  benchmark?: BenchmarkSeries;
  /** When the portfolio pass found the account ruined (New York `YYYY-MM-DD HH:MM:SS`), or null. */
  ruinedAt?: string | null;
}

/**
 * How a figure reads: `count` a whole number, `usd` dollars, `pct` a percentage, `ratio` a plain number,
 * `r` R multiples, `reasons` counts by reason, `breakdown` one row per key (BreakdownRow), `by-side` the same
 * figures over all, LONG and SHORT trades (BySide<SideSummary>, laid out by `rows`), `periods` one return per
 * month or year (PeriodReturn), `duration` a drawdown's length (DrawdownDuration), `distribution` percentiles
 * (Distribution), `benchmark` the buy-and-hold comparison (BenchmarkStats), `text` a word or an instant as it
 * reads (null: none).
 */
export type StatUnit = 'count' | 'usd' | 'pct' | 'ratio' | 'r' | 'reasons' | 'breakdown' | 'by-side' | 'periods' | 'duration' | 'distribution' | 'benchmark' | 'text';

export interface Statistic<V = unknown> {
  label: string;
  unit: StatUnit;
  /** Said beside the label where there is room: 'New York', 'daily, annualised'. */
  note?: string;
  compute(c: StatsContext): V;
  /** A headline figure, set side by side by `runs --compare` and the audit. */
  compared?: true;
  /** Breakdowns only: the heading of their key column, and how a key reads. */
  column?: string;
  formatKey?: (key: string) => string;
  /** `by-side` only: the rows, in order. */
  rows?: readonly SummaryRow[];
}

export type StatisticRegistry = Readonly<Record<string, Statistic>>;

/** What statistics are computed from; figures several statistics share are computed once, on first use. */
export class StatsContext {
  private memo: { winLoss?: WinLoss; expectancy?: ReturnType<typeof computeExpectancy>; total?: { usd: number; pct: number };
    drawdown?: { pct: number; usd: number }; dailyReturns?: DailyReturn[]; sessionEquity?: SessionEquity[]; costs?: Costs } = {};

  constructor(readonly input: StatsInput) {}

  get trades(): readonly Trade[] {
    return this.input.trades;
  }

  get winLoss(): WinLoss {
    return (this.memo.winLoss ??= computeAverageWinLoss(this.trades));
  }

  get expectancy(): ReturnType<typeof computeExpectancy> {
    return (this.memo.expectancy ??= computeExpectancy(this.trades));
  }

  get total(): { usd: number; pct: number } {
    return (this.memo.total ??= computeTotalReturn(this.trades, this.input.capital));
  }

  /** Of the mark-to-market equity when the run has it (intraday falls count), else of the equity after each exit. */
  get drawdown(): { pct: number; usd: number } {
    const curve = () => (this.input.equity?.length ? this.input.equity : buildEquityCurve(this.trades, this.input.capital));
    return (this.memo.drawdown ??= computeMaxDrawdown(curve().map((p) => p.equity)));
  }

  get costs(): Costs {
    return (this.memo.costs ??= computeCosts(this.trades));
  }

  /** Daily returns over every trading date of the run, days without trades included. */
  get dailyReturns(): DailyReturn[] {
    return (this.memo.dailyReturns ??= computeDailyReturns(this.trades, [...this.input.sessions.keys()], this.input.capital));
  }

  get daily(): number[] {
    return this.dailyReturns.map((d) => d.ret);
  }

  get sessionEquity(): SessionEquity[] {
    return (this.memo.sessionEquity ??= buildSessionEquity([...this.input.sessions.keys()], this.trades, this.input.capital, this.input.equity));
  }

  /** The last mark-to-market equity when the run has it, else the capital plus every trade's P&L. */
  get finalEquity(): number {
    const e = this.input.equity;
    return e?.length ? e[e.length - 1].equity : this.input.capital + this.total.usd;
  }
}

export const STATISTICS = {
  signals: { label: 'Signals', unit: 'count', compute: (c) => c.input.signals },
  trades: { label: 'Trades', unit: 'count', compute: (c) => c.trades.length, compared: true },
  untraded: { label: 'Not traded', unit: 'reasons', compute: (c) => sortKeys(c.input.untraded) },
  wins: { label: 'Wins', unit: 'count', compute: (c) => c.winLoss.wins },
  losses: { label: 'Losses', unit: 'count', compute: (c) => c.winLoss.losses },
  avg_win: { label: 'Average win', unit: 'usd', compute: (c) => c.winLoss.avg_win },
  avg_loss: { label: 'Average loss', unit: 'usd', compute: (c) => c.winLoss.avg_loss },
  avg_win_pct: { label: 'Average win', unit: 'pct', compute: (c) => c.winLoss.avg_win_pct },
  avg_loss_pct: { label: 'Average loss', unit: 'pct', compute: (c) => c.winLoss.avg_loss_pct },
  win_rate_pct: { label: 'Win rate', unit: 'pct', compute: (c) => computeWinRate(c.trades), compared: true },
  profit_factor: { label: 'Profit factor', unit: 'ratio', compute: (c) => computeProfitFactor(c.trades), compared: true },
  expectancy: { label: 'Expectancy', unit: 'usd', compute: (c) => c.expectancy.usd, compared: true },
  expectancy_r: { label: 'Expectancy', unit: 'r', compute: (c) => c.expectancy.r },
  avg_return_pct: { label: 'Average return', unit: 'pct', compute: (c) => c.expectancy.pct },
  total_pnl: { label: 'Total P&L', unit: 'usd', note: 'net of costs', compute: (c) => c.total.usd },
  gross_pnl: { label: 'Gross P&L', unit: 'usd', note: 'before commission and slippage', compute: (c) => c.costs.gross },
  total_commission: { label: 'Commission', unit: 'usd', compute: (c) => c.costs.commission },
  total_slippage: { label: 'Slippage cost', unit: 'usd', compute: (c) => c.costs.slippage },
  total_return_pct: { label: 'Total return', unit: 'pct', compute: (c) => c.total.pct, compared: true },
  capital: { label: 'Capital', unit: 'usd', compute: (c) => c.input.capital },
  final_equity: { label: 'Final equity', unit: 'usd', compute: (c) => c.input.capital + c.total.usd },
  ruined_at: { label: 'Ruined at', unit: 'text', note: 'equity reached zero; no trade after', compute: (c): string | null => c.input.ruinedAt ?? null },
  max_drawdown_pct: { label: 'Max drawdown', unit: 'pct', compute: (c) => c.drawdown.pct, compared: true },
  max_drawdown_usd: { label: 'Max drawdown', unit: 'usd', compute: (c) => c.drawdown.usd },
  trading_days: { label: 'Trading days', unit: 'count', compute: (c) => c.daily.length },
  sharpe: { label: 'Sharpe', unit: 'ratio', note: 'daily, annualised', compute: (c) => computeSharpe(c.daily), compared: true },
  sortino: { label: 'Sortino', unit: 'ratio', note: 'daily, annualised', compute: (c) => computeSortino(c.daily) },
  exposure_pct: { label: 'Exposure', unit: 'pct', note: 'time in the market', compute: (c) => computeExposure(c.trades, c.input.sessions) },
  longest_losing_streak: { label: 'Longest losing streak', unit: 'count', compute: (c) => computeLongestLosingStreak(c.trades) },
  summary: {
    label: 'Performance summary', unit: 'by-side', note: 'all, long and short trades', rows: SUMMARY_ROWS,
    compute: (c) => computePerformanceSummary(c.trades),
  },
  cagr_pct: { label: 'CAGR', unit: 'pct', note: 'from 252 sessions on', compute: (c) => computeCagr(c.input.capital, c.finalEquity, c.sessionEquity.length) },
  longest_drawdown: { label: 'Time to recover', unit: 'duration', note: 'longest drawdown, sessions',
    compute: (c) => computeLongestDrawdown(c.sessionEquity, c.input.capital) },
  mae_distribution: { label: 'MAE', unit: 'distribution', note: '% of entry, per trade', compute: (c) => computeDistribution(c.trades.map((t) => t.mae_pct)) },
  mfe_distribution: { label: 'MFE', unit: 'distribution', note: '% of entry, per trade', compute: (c) => computeDistribution(c.trades.map((t) => t.mfe_pct)) },
  benchmark: {
    label: 'Benchmark', unit: 'benchmark', note: 'buy and hold over the sessions',
    compute: (c): BenchmarkStats | null => (c.input.benchmark
      ? computeBenchmark(c.input.benchmark, new Map(c.dailyReturns.map((d) => [d.date, d.ret])), (100 * (c.finalEquity - c.input.capital)) / c.input.capital)
      : null),
  },
  monthly_returns: { label: 'Monthly returns', unit: 'periods', column: 'month', compute: (c): PeriodReturn[] => computePeriodReturns(c.sessionEquity, c.input.capital, 7) },
  yearly_returns: { label: 'Yearly returns', unit: 'periods', column: 'year', compute: (c): PeriodReturn[] => computePeriodReturns(c.sessionEquity, c.input.capital, 4) },
  by_hour: {
    label: 'By hour of signal', unit: 'breakdown', note: 'New York', column: 'hour', formatKey: (k) => `${k}:00`,
    compute: (c): BreakdownRow[] => computeBreakdown(c.trades, signalHour),
  },
  by_ticker: { label: 'By ticker', unit: 'breakdown', column: 'ticker', compute: (c): BreakdownRow[] => computeBreakdown(c.trades, (t) => t.ticker) },
} satisfies StatisticRegistry;

export type StatKey = keyof typeof STATISTICS;

/** The `stats` of a run with trade rules: one field per statistic of the registry. */
export type TradeStats = { [K in StatKey]: ReturnType<(typeof STATISTICS)[K]['compute']> };

/** The registry's entries in order, each with its key. */
export function listStatistics<R extends StatisticRegistry = typeof STATISTICS>(registry: R = STATISTICS as unknown as R): (Statistic & { key: keyof R & string })[] {
  return Object.entries(registry).map(([key, s]) => ({ ...s, key: key as keyof R & string }));
}

function sortKeys(r: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k];
  return out;
}
