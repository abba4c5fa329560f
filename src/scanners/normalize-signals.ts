/**
 * A scanner's return value → the engine's signals for that step. The engine stamps ticker, date, time and
 * timestamp itself (it knows when it saw the signal); anything the scanner says about those is dropped, except
 * that a signal it dates another day fails the step (SIGNAL_OUTSIDE_DAY) rather than be re-dated to this one.
 */
import { BarwiseError } from '../errors.js';
import type { Bar, Signal } from '../types.js';
import { toJsonMetrics } from './to-json-metrics.js';
import { checkReportedDay, type ReportedTimeZone } from '../runtime/resolve-reported-bar.js';

const ENGINE_KEYS = new Set(['ticker', 'signal_date', 'signal_time', 'timestamp', 'seq']);
/** Signals of one ticker at one bar: a handful in practice; thousands mean a scanner returning data, not signals. */
export const MAX_SIGNALS_PER_STEP = 1000;
/** A direction is a label (LONG, SHORT, a setup name), stored with every signal and trade. */
const MAX_DIRECTION_LENGTH = 64;

export interface StepStamp {
  ticker: string;
  date: string;
  bar: Bar;
  /** Zone of wall-clock times the scanner reports, to read a dated `signal_time` (default America/New_York). */
  reportedTimeZone?: ReportedTimeZone;
}

export function normalizeSignals(output: unknown, stamp: StepStamp): Signal[] {
  if (output === null || output === undefined) return [];
  const list = Array.isArray(output) ? output : [output];
  if (list.length > MAX_SIGNALS_PER_STEP) {
    throw new BarwiseError('SCANNER_BAD_OUTPUT',
      `scanner returned ${list.length} signals at ${stamp.bar.time_of_day}, over the limit of ${MAX_SIGNALS_PER_STEP} per step`,
      'A step is one ticker at one bar: return the signals that fire now, not a list of bars or of other tickers.');
  }
  const signals: Signal[] = [];
  for (let seq = 0; seq < list.length; seq++) {
    signals.push(normalizeOne(list[seq], seq, stamp));
  }
  return signals;
}

function normalizeOne(raw: unknown, seq: number, stamp: StepStamp): Signal {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new BarwiseError('SCANNER_BAD_OUTPUT',
      `scanner returned ${describe(raw)} at ${stamp.bar.time_of_day}; expected null, a signal object, or an array of signal objects`);
  }
  // The engine dates every signal itself, but one the scanner dates another day is not this day's to re-date.
  checkReportedDay(raw, stamp.ticker, stamp.date, stamp.reportedTimeZone);
  const { direction, pattern_strength, metrics, ...rest } = raw as Record<string, unknown>;
  if (direction !== undefined && direction !== null && typeof direction !== 'string') {
    throw new BarwiseError('SCANNER_BAD_OUTPUT', `signal.direction must be a string such as "LONG" or "SHORT", got ${describe(direction)}`);
  }
  if (typeof direction === 'string' && direction.length > MAX_DIRECTION_LENGTH) {
    throw new BarwiseError('SCANNER_BAD_OUTPUT', `signal.direction must be a short label such as "LONG" or "SHORT", got ${describe(direction)} of ${direction.length} characters`,
      'Put longer text into metrics.');
  }
  if (pattern_strength !== undefined && pattern_strength !== null && typeof pattern_strength !== 'number') {
    throw new BarwiseError('SCANNER_BAD_OUTPUT', `signal.pattern_strength must be a number, got ${describe(pattern_strength)}`);
  }
  if (typeof pattern_strength === 'number' && !Number.isFinite(pattern_strength)) {
    throw new BarwiseError('SCANNER_BAD_OUTPUT', `signal.pattern_strength must be a finite number or null, got ${pattern_strength}`);
  }
  if (metrics !== undefined && metrics !== null && (typeof metrics !== 'object' || Array.isArray(metrics))) {
    throw new BarwiseError('SCANNER_BAD_OUTPUT', `signal.metrics must be an object, got ${describe(metrics)}`);
  }
  const merged: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) if (!ENGINE_KEYS.has(k)) merged[k] = v;
  if (metrics) Object.assign(merged, metrics);
  return {
    ticker: stamp.ticker,
    signal_date: stamp.date,
    signal_time: stamp.bar.time_of_day,
    timestamp: stamp.bar.timestamp,
    seq,
    direction: typeof direction === 'string' ? direction.toUpperCase() : null,
    pattern_strength: typeof pattern_strength === 'number' ? pattern_strength : null,
    metrics: toJsonMetrics(merged),
  };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `a string (${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)})`;
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v} (${String(v)})`;
}
