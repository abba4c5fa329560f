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
  /** Ticker-days the run covers: the dates with bars of each ticker in range (see plan/count-ticker-days.ts). */
  ticker_days_planned: number;
  /** Ticker-days finished (with or without signals, failed or too short). */
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
  /** Run-once scripts: whether they ran warm (one runner per worker) rather than a process per step. */
  warm: boolean;
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
  /** The scanner's parameter values (every declared one, defaults filled); absent when it declares none. */
  params?: Readonly<Record<string, number | string | boolean>>;
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
  /**
   * The ticker-days the run finished (done or skipped; failed ones are in `failures`), in (ticker, date) order.
   * An interrupted run finished only some: the audit compares only days both of its runs finished. Not part of
   * the JSON output (`run.counts` has the numbers).
   */
  finishedDays?: { ticker: string; date: string }[];
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
  /** Time since this session's tasks started. */
  elapsedMs: number;
  /** Ticker-days and steps done so far, with those of tasks still running (the counts have answered tasks only). */
  tickerDaysDone: number;
  stepsDone: number;
  /** Ticker-days and steps kept from the run this one resumes: done before this session, not in its speed. */
  tickerDaysKept: number;
  stepsKept: number;
  /** Steps the whole run is expected to take (PlannedWork.steps): sizes the bar before any ticker-day is done. */
  stepsPlanned: number;
}

/** What a run is about to do, known before anything is recorded. */
export interface PlannedWork {
  tickerDays: number;
  /** Scanner calls expected: per ticker-day, its bars less the warmup. */
  steps: number;
  /** Worker threads the run starts. */
  workers: number;
  /** The scanner starts a process for every step (a legacy script without the persistent protocol). */
  processPerStep: boolean;
}

export interface RunStartInfo {
  runId: number;
  tasksTotal: number;
  tickers: number;
  threads: number;
  from: string;
  to: string;
  tickerDaysTotal: number;
  /** The run resumed, and the ticker-days it keeps (0 for a new run). */
  resumed: boolean;
  tickerDaysKept: number;
}

export interface RunHooks {
  /**
   * The work is known and nothing is recorded yet: throwing refuses the run (nothing is written; a fresh run's
   * workers may have begun scanning beside the fingerprint, and what they answered is dropped).
   */
  onPlan?(work: PlannedWork): void | Promise<void>;
  onStart?(info: RunStartInfo): void;
  onProgress?(progress: Progress): void;
  onFailure?(failure: Failure): void;
  /** Something to know before the run starts, one line (e.g. why a script does not run warm). */
  onNotice?(message: string): void;
  /** Abort to stop the run: finished ticker-days are kept and the result has status "interrupted". */
  signal?: AbortSignal;
}
