/**
 * A candidate trade: what a worker simulates for one signal on the bars it holds, before the portfolio pass
 * (run-portfolio.ts) decides whether the account takes it and how many shares. Everything here is per share,
 * so the pass can size it exactly (commission minimums make P&L non-linear in shares: price-trade.ts prices
 * the final size, nothing is scaled). Plain data: it crosses the thread boundary and is stored as JSON in the
 * results database, so a resumed run passes over the same candidates as an uninterrupted one.
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
   * open positions at these closes (mark-to-market equity) and closes a position at one on ruin. A typed
   * array: crossing a thread it is one memory copy, and it is stored as a BLOB with no JSON step; as an array
   * of numbers the same million marks took 3× as long to clone and 1.2× the space as JSON
   * (bench/measure-marks.ts on the universe, --trade defaults).
   */
  marks: Float64Array;
}

/** Numbers per mark in Candidate.marks. */
export const MARK_WIDTH = 4;
