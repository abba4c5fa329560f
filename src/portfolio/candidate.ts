/**
 * A candidate trade: what a worker simulates for one signal on the bars it holds, before the portfolio pass
 * (portfolio-pass.ts) decides whether the account takes it and how many shares. Everything here is per share,
 * so the pass can size it exactly (commission minimums make P&L non-linear in shares: price-trade.ts prices
 * the final size, nothing is scaled). Plain data: it crosses the thread boundary and is stored as JSON in the
 * results database (as a CandidateRecord), so a resumed run passes over the same candidates as an uninterrupted one.
 */
import type { ExitReason, Trade } from '../types.js';

export interface Candidate extends Pick<Trade, 'ticker' | 'date' | 'direction' | 'signal_time' | 'signal_ts' | 'seq'
  | 'entry_time' | 'entry_ts' | 'exit_time' | 'exit_ts' | 'bars_held' | 'mae_pct' | 'mfe_pct'> {
  /** The signal's pattern_strength: competing entries at one instant go strongest first. */
  pattern_strength: number | null;
  /** Entry fill, slippage included (not rounded: P&L is computed from it). */
  entry_price: number;
  /** The market price the entry filled against, before slippage. */
  entry_quote: number;
  exit_price: number;
  exit_quote: number;
  exit_reason: ExitReason;
  /** Initial risk per share: distance from the entry fill to the tightest stop at entry; null without a stop. */
  risk: number | null;
  /**
   * The position's marks: for every bar held in full before the exit bar, four numbers in a row: the bar's
   * end (epoch ms), its close, and the MAE and MFE (%, as in Trade) up to that bar's end. The pass values
   * open positions at these closes (mark-to-market equity) and closes a position at one on ruin. Built on the
   * main thread from the ticker-day's stored price path (candidate-marks.ts); no worker ships them. A plain
   * array of doubles there (a typed array per candidate cost an off-heap buffer each, most of the time marking
   * took); the bytes of a Float64Array as version 3 of the results file stored them.
   */
  marks: ArrayLike<number>;
}

/** Numbers per mark in Candidate.marks. */
export const MARK_WIDTH = 4;

/**
 * A candidate as a worker ships it and the results database keeps it: its marks are a range of bars of its
 * ticker-day, whose price path (price-path.ts) is shipped and stored once for all of the day's candidates.
 * On the universe run (bench/measure-marks.ts, --trade defaults) float64 marks per candidate took 32 bytes per
 * bar per candidate (overlapping bars once per candidate holding them) and made the results file 4.8× the size
 * without marks; the shared paths take about 4 bytes per bar, once, and 1.3×.
 */
export interface CandidateRecord extends Omit<Candidate, 'marks'> {
  /** Index in the ticker-day's bars of the first bar held in full (the first mark). */
  marks_from: number;
  /** Bars held in full before the exit bar: the number of marks. */
  marks_count: number;
}
