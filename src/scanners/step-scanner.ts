/**
 * The one interface the replay loop sees, whatever the scanner's kind.
 */
import type { DayContext } from '../day-db/day-context.js';
import type { DayDb } from '../day-db/day-db.js';
import type { Bar, ScanResult } from '../types.js';
import type { ScannerMeta } from './scanner-options.js';

/**
 * The ticker-day being replayed. `bars` holds at least bars 0..index (the replay builds them as its steps reach
 * them, build-days.ts; full-day mode: the whole day); a scanner is only ever shown bars 0..index.
 */
export interface DayState {
  readonly ticker: string;
  readonly date: string;
  readonly dayStartMs: number;
  readonly bars: readonly Bar[];
  readonly dayDb: DayDb;
  /** References, previous days, daily bars: shown point-in-time (see day-context.ts). */
  readonly context: DayContext;
  /**
   * Full-day mode only (the audit's non-realtime backtest): the scanner is shown the whole day at every
   * step, as a backtest over whole days would. Never set in realtime or naive mode.
   */
  readonly wholeDay?: boolean;
}

export interface StepScanner {
  readonly meta: ScannerMeta;
  /** Runs the scanner as of bar `index` of the day. */
  scan(day: DayState, index: number): ScanResult | Promise<ScanResult>;
  /**
   * Full-day mode, legacy scripts: run once over the whole day (the day database holds every bar), as the
   * script was originally run. Scanners without it are called per bar with `DayState.wholeDay` set.
   */
  scanWholeDay?(day: DayState): Promise<ScanResult>;
  /** Called after a ticker-day's last step (or its failure): release per-day resources. */
  endDay?(): void;
  /** Called when the worker is done: stop processes, close files. */
  close?(): void;
}
