/**
 * What an audit reports: plain data, ready for JSON. See docs/audit.md for the categories' exact meaning.
 */
import type { TradeStats } from '../stats/compute-stats.js';
import type { RunInfo, RunResult } from '../engine/run-result.js';
import type { Failure, SignalMode } from '../types.js';
import type { RunNotice } from '../notices/run-notice.js';

/**
 * - confirmed: realtime fired at the same bar as the full-day backtest.
 * - late: realtime fired later: the full-day signal used data from the future (by `bars_late` bars).
 * - early: (`first` mode only) realtime fired earlier: the full-day version used the future to hold back
 *   a signal that was knowable sooner; its own signal is not confirmed.
 * - phantom: realtime never fired (that day, or in `all` mode before the next full-day signal).
 * - extra: realtime fired and the full-day backtest did not.
 * - before-warmup: the full-day signal is at a bar before the warmup, where realtime takes no step: it cannot
 *   be confirmed, and says nothing about lookahead (a lower --warmup would show whether it was knowable).
 * - time-outside-session: the full-day signal reported a time outside the day's bars (a UTC time read as New
 *   York time, "18:40"): its bar is unknown, so it is not compared (--reported-time-zone UTC reads UTC times).
 */
export const AUDIT_CATEGORIES = ['confirmed', 'late', 'early', 'phantom', 'extra', 'before-warmup', 'time-outside-session'] as const;
export type AuditCategory = (typeof AUDIT_CATEGORIES)[number];

export interface AuditSide {
  signal_time: string;
  timestamp: number;
  direction: string | null;
}

export interface AuditEntry {
  ticker: string;
  date: string;
  category: AuditCategory;
  /** The full-day backtest's signal (null for extra). */
  full_day: AuditSide | null;
  /** Realtime's signal (null for phantom). */
  realtime: AuditSide | null;
  /** Bars from the full-day signal to realtime's: 0 confirmed, > 0 late, < 0 early, null otherwise. */
  bars_late: number | null;
  /** time-outside-session: the time the full-day signal reported, as it reported it. */
  reported_time?: string;
}

export interface AuditSummary {
  /** Full-day signals on audited ticker-days. */
  full_day_signals: number;
  realtime_signals: number;
  confirmed: number;
  late: number;
  early: number;
  phantom: number;
  extra: number;
  /** Full-day signals before bar `warmup`, where realtime takes no step: not counted in the knowable share. */
  before_warmup: number;
  /** The warmup both runs used (bars of the day before the first step). */
  warmup: number;
  /** Full-day signals whose reported time lies outside the session: not counted in the knowable share. */
  time_outside_session: number;
  /**
   * confirmed / (full_day_signals − before_warmup − time_outside_session): the share of the backtest's signals
   * that realtime could check which were knowable at the time. Null without such signals.
   */
  knowable_share: number | null;
  /** Over late signals: how far in the future the full-day version looked, in bars. Null without late signals. */
  bars_late_mean: number | null;
  bars_late_max: number | null;
}

/**
 * The order check (check-task-order.ts): sampled ticker-days of the realtime run, each run again alone in a
 * fresh worker. A ticker-day whose signals differ depends on what its worker ran before it: the scanner
 * keeps state across ticker-days (module-level variables), and its results change with --threads.
 */
export interface OrderCheck {
  /** Ticker-days asked for (--order-sample); 0: the check was not run. */
  sample_size: number;
  /** Ticker-days re-run alone and compared. */
  checked: number;
  order_dependent: OrderDependentDay[];
}

export interface OrderDependentDay {
  ticker: string;
  date: string;
  /** The ticker-day's signals in the realtime run. */
  in_run: AuditSide[];
  /** Its signals when run alone in a fresh worker. */
  alone: AuditSide[];
}

/**
 * A ticker-day left out of the comparison: it failed in one of the two runs (the failure's code and message),
 * or one run, or both, did not finish it before the audit was stopped (code NOT_FINISHED; `run` names which).
 */
export interface UnauditedDay extends Failure {
  run: 'full-day' | 'realtime' | 'both';
}

export interface AuditResult {
  audit: {
    scanner: RunInfo['scanner'];
    signals_mode: SignalMode;
    from: string;
    to: string;
    tickers: string[];
    warmup: number;
    status: 'completed' | 'partial' | 'interrupted';
    summary: AuditSummary;
    /** With trade rules: both runs' trade statistics and realtime minus full-day for each figure. Else null. */
    stats: AuditStats | null;
    /** Whether the realtime signals depend on task order; null when the check did not run. */
    order_check: OrderCheck | null;
    /** Both runs' notices (src/notices), realtime's first, each once. */
    notices: RunNotice[];
  };
  /** In the total order (date, time, ticker), one per compared signal. */
  entries: AuditEntry[];
  unaudited: UnauditedDay[];
  /** The two runs as the results database recorded them. */
  runs: { full_day: RunInfo; realtime: RunInfo };
  /** The realtime run's whole result (for the HTML report); not part of the JSON output. */
  realtimeResult?: RunResult;
}

/** What taking the signals would have made, as the full-day backtest claimed and as it really was. */
export interface AuditStats {
  full_day: TradeStats;
  realtime: TradeStats;
  /** realtime − full_day for every numeric headline figure (null where either side has none). */
  diff: Record<string, number | null>;
}
