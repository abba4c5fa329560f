/**
 * What a ticker-day's scanner may see besides its own bars: reference tickers' bars of the same day, the
 * ticker's previous trading days, and previous completed daily bars. Plain data, built by the worker for
 * each ticker-day (see runtime/build-context.ts) and shown point-in-time:
 *
 * - `history` and `daily` are the past: whole, from the first step on; so are each reference's.
 * - a reference's bars are shown in lockstep with the current bar: only those with `timestamp <=` the
 *   current bar's. `countVisible` is the one place that decides it; every path (in-memory day database,
 *   script files, naive snapshots, module `ctx.refs`) goes through it.
 */
import type { Bar, DailyBar } from '../types.js';

/**
 * One reference ticker's bars of the day (the whole day; shown only up to the current bar), and its past as
 * the scanned ticker's: its own `lookbackDays` previous trading days and `dailyBars` previous daily bars.
 */
export interface ReferenceDay {
  readonly ticker: string;
  readonly bars: readonly Bar[];
  /** The reference's bars of its previous trading days (before the current date), oldest first. */
  readonly history: readonly Bar[];
  /** The reference's previous completed daily bars, oldest first; never the current date's. */
  readonly daily: readonly DailyBar[];
}

export interface DayContext {
  /** The declared reference tickers, the scanned ticker included when it is one. */
  readonly references: readonly string[];
  /** Bars of the declared references other than the scanned ticker itself (whose bars are its own). */
  readonly refs: readonly ReferenceDay[];
  /** The ticker's bars of its previous trading days, oldest first. */
  readonly history: readonly Bar[];
  /** Previous completed daily bars, oldest first; never the current date's. */
  readonly daily: readonly DailyBar[];
}

// Shared by every ticker-day without context: frozen through, or a scanner could push into it for the next.
export const EMPTY_CONTEXT: DayContext = Object.freeze({
  references: Object.freeze([]), refs: Object.freeze([]), history: Object.freeze([]), daily: Object.freeze([]),
});

/** How many of `bars` (sorted by timestamp) have `timestamp <= asOf`: those visible at that moment. */
export function countVisible(bars: readonly Bar[], asOf: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid].timestamp <= asOf) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function hasContext(c: DayContext): boolean {
  return c.refs.length > 0 || c.history.length > 0 || c.daily.length > 0;
}
