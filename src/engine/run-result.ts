/**
 * What runBacktest returns and reports while it runs. Plain data, ready for JSON.
 */
import type { Failure, Signal, Trade } from '../types.js';
import type { TradeRules } from '../config/trade-rules.js';
import type { TradeStats } from '../stats/compute-stats.js';
import type { BenchmarkSeries } from '../stats/benchmark.js';
import type { RunNotice } from '../notices/run-notice.js';
import type { EquityPoint } from '../stats/equity-curve.js';

/** completed: every ticker-day ran; partial: some failed; interrupted: stopped by the user; error: a fatal error. */
export type RunStatus = 'completed' | 'partial' | 'interrupted' | 'error';

export interface RunCounts {
  tasks: number;
  ticker_days: number;
  /** Days with fewer bars than the warmup. */
  ticker_days_skipped: number;
  ticker_days_failed: number;
  /** Bars of the longest ticker-day seen (tells a too-large warmup apart from missing data). */
  longest_day_bars: number;
  steps: number;
  signals: number;
  failures: number;
}

export interface RunInfo {
  id: number;
  status: RunStatus;
  scanner: { path: string; name: string; kind: string };
  db: string;
  from: string;
  to: string;
  tickers: string[];
  tickers_without_bars: string[];
  /** Threads asked for. */
  threads: number;
  /** Worker threads started: at most the tasks, and at most the cores for in-worker scanners. */
  workers: number;
  warmup: number;
  signals_mode: string;
  session: string;
  timeframe: string;
  mode: string;
  /** Script scanners: whether the persistent protocol was used. */
  persistent: boolean;
  max_signals: number | null;
  step_timeout_ms: number;
  /** Reference tickers each step also saw (bars so far). */
  references: string[];
  /** Previous trading days each day also saw. */
  lookback_days: number;
  /** Previous completed daily bars each day saw. */
  daily_bars: number;
  version: string;
  /** The run's identity: SHA-256 of its plan (runs.plan_json) without speed-only options. */
  plan_hash: string;
  results_db: string;
  /** Resolved trade rules, or null when the run did not trade. */
  trade: TradeRules | null;
  counts: RunCounts;
  timings: {
    started_at: string;
    finished_at: string;
    wall_ms: number;
    setup_ms: number;
    scan_ms: number;
    steps_per_s: number;
    /** Peak resident memory of the process so far (main thread and workers), MB. */
    peak_rss_mb: number;
  };
}

export interface RunResult {
  run: RunInfo;
  /** In the total order (date, time, ticker, sequence), de-duplicated, capped by max_signals. */
  signals: Signal[];
  failures: Failure[];
  /** With trade rules: the trades, in the order of their signals. */
  trades?: Trade[];
  /** With trade rules: the account's mark-to-market equity in time, from the portfolio pass (docs/trades.md). */
  equity?: EquityPoint[];
  /** With trade rules: the statistics of the trades (src/stats, docs/trades.md). */
  stats?: TradeStats;
  /** With trade rules and a benchmark: its prices over the run's sessions (the report's benchmark line). */
  benchmark?: BenchmarkSeries;
  /** What the run found that is probably not what was meant, though nothing failed (src/notices). */
  notices?: RunNotice[];
}

export interface Progress extends RunCounts {
  runId: number;
  tasksDone: number;
  tasksTotal: number;
  elapsedMs: number;
}

export interface RunHooks {
  onStart?(info: { runId: number; tasksTotal: number; tickers: number; threads: number; from: string; to: string }): void;
  onProgress?(progress: Progress): void;
  onFailure?(failure: Failure): void;
  /** Abort to stop the run: finished ticker-days are kept and the result has status "interrupted". */
  signal?: AbortSignal;
}
