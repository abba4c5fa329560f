/**
 * What crosses the thread boundary: a task in, a result out. Plain data only.
 */
import type { ErrorData } from '../errors.js';
import type { SessionKind, Signal, SignalMode } from '../types.js';
import type { CandidateRecord } from '../portfolio/candidate.js';
import type { TradeRules } from '../config/trade-rules.js';
import type { ScannerSource } from '../scanners/scanner-source.js';
import type { ScannerParams } from '../scanners/scanner-params.js';
import type { ReportedTimeZone } from './resolve-reported-bar.js';
import type { SweepWorkerPlan } from '../sweep/sweep-worker-plan.js';
import type { MessagePort } from 'node:worker_threads';

/** Resolved once on the main thread and handed to every worker as workerData. */
export interface WorkerConfig {
  dbPath: string;
  scanner: ScannerSource;
  warmup: number;
  signals: SignalMode;
  session: SessionKind;
  timeframe: string;
  mode: 'realtime' | 'naive' | 'full-day';
  /** The run's temp directory: day files of scripts, naive snapshots. Removed by the main thread. */
  tempDir: string;
  stepTimeoutMs: number;
  /** Use the persistent protocol for script scanners. */
  persistent: boolean;
  /** Script scanners may write to their day file (rebuilt before the next step); absent: a write fails the day. */
  allowScannerWrites?: boolean;
  /** Re-run run-once scripts in one runner process per worker (see warm-script.ts). */
  warm?: boolean;
  /** Shared table of child process ids (see child-registry.ts). */
  children?: SharedArrayBuffer;
  /** What each ticker-day sees besides its own bars (see day-db/day-context.ts). Absent: nothing. */
  context?: ContextRequest;
  /** Trade rules: when set, each day's signals are also traded (src/sim). */
  trade?: TradeRules | null;
  /** Zone of the wall-clock times scanners report (--reported-time-zone). Absent: America/New_York. */
  reportedTimeZone?: ReportedTimeZone;
  /** The plan's resolved scanner parameters (every declared name, defaults filled). Absent: none. */
  params?: ScannerParams;
  /** A sweep: its scans and combinations, all evaluated on each ticker-day (src/sweep); `trade` is then unset. */
  sweep?: SweepWorkerPlan;
}

/** Resolved once on the main thread: flags over the scanner's own options. */
export interface ContextRequest {
  /** Reference tickers, upper case, no repeats. */
  references: string[];
  /** Previous trading days of the ticker. */
  lookbackDays: number;
  /** Previous completed daily bars (timeframe `1day`). */
  dailyBars: number;
}

/** One ticker over a window of trading dates, [fromDate, toDate] inclusive. */
export interface Task {
  /** Stable key, `TICKER|from|to`: the same input plans the same keys. */
  key: string;
  ticker: string;
  fromDate: string;
  toDate: string;
  /** Trading dates to leave out (already failed or finished). */
  skipDates?: string[];
  /**
   * The plan's market fingerprint of the ticker and the range it covers: the name of the window's rows in the
   * column cache (src/data/column-cache.ts). Absent: the window is read from the store, as always.
   */
  market?: TaskMarket;
  /** Shared with the main thread's watchdog; see progress-probe.ts. */
  probe?: SharedArrayBuffer;
}

export interface TaskMarket {
  /** The plan's first and last date (the fingerprint's range). */
  from: string;
  to: string;
  entry: [number, number, number, string];
}

export interface DayOutcome {
  date: string;
  /** Bars the day has in the chosen session. */
  bars: number;
  /** Scanner calls made. */
  steps: number;
  /** True when the day had fewer bars than the warmup. */
  skipped: boolean;
  signals: Signal[];
  error?: ErrorData;
  /**
   * With trade rules: the day's candidate trades (encoded: src/portfolio/candidate-bytes.ts), the encoded price
   * path their marks are read from (once for all of them: src/portfolio/price-path.ts), its signals that
   * cannot enter by reason, and [first bar start, last bar end].
   */
  candidates?: Uint8Array;
  prices?: Uint8Array;
  untraded?: Record<string, number>;
  span?: [number, number];
  /**
   * The start of the bar of the day's first step (bar `warmup`), null when the day has no step (too few bars):
   * what the warmup-trap notice would otherwise read from the market (notices/warmup-trap.ts). Absent when the
   * day was not replayed (a bad bar).
   */
  firstStep?: number | null;
}

/** `stopped`: the run is stopping and the task returned only the days it finished (see requestStop). */
export type TaskResult = { ok: true; days: DayOutcome[]; stopped?: boolean } | { ok: false; error: ErrorData };

/**
 * What a worker call carries: several tasks, run one after another in the worker (src/pool/batch-runner.ts
 * sizes them), so that a worker waits on the main thread once per batch instead of once per task.
 */
export interface TaskBatch {
  tasks: Task[];
  /**
   * Where each task's result is posted the moment the task has it (`{ index, result }`), rather than in the
   * call's answer: a result posted is the main thread's even if the worker dies or is stopped later in the
   * batch (a step timeout after a stop must not take its finished neighbours with it).
   */
  port?: MessagePort;
}

/** A task's result as posted on TaskBatch.port: its place in the batch. */
export interface PostedResult {
  index: number;
  result: TaskResult;
}

/**
 * One result per task of the batch, in its order (empty when they were posted on TaskBatch.port), and the
 * worker's own time on the batch (for sizing).
 */
export interface BatchAnswer {
  results: TaskResult[];
  ms: number;
}
