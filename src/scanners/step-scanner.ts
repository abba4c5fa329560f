/**
 * The one interface the replay loop sees, whatever the scanner's kind.
 */
import type { DayContext } from '../day-db/day-context.js';
import type { DayDb } from '../day-db/day-db.js';
import type { Bar, ScanResult } from '../types.js';
import type { ScannerMeta } from './scanner-options.js';

/** The ticker-day being replayed. `bars` is the whole day; a scanner is only ever shown bars 0..index. */
export interface DayState {
  readonly ticker: string;
  readonly date: string;
  readonly dayStartMs: number;
  readonly bars: readonly Bar[];
  readonly dayDb: DayDb;
  /** References, previous days, daily bars: shown point-in-time (see day-context.ts). */
  readonly context: DayContext;
}

export interface StepScanner {
  readonly meta: ScannerMeta;
  /** Runs the scanner as of bar `index` of the day. */
  scan(day: DayState, index: number): ScanResult | Promise<ScanResult>;
  /** Called after a ticker-day's last step (or its failure): release per-day resources. */
  endDay?(): void;
  /** Called when the worker is done: stop processes, close files. */
  close?(): void;
}
