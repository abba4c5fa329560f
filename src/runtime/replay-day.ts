/**
 * The core promise, in one loop: at step i the scanner sees bars 0..i of one ticker-day, and of its context
 * (day-context.ts) only what existed at bar i, and nothing else.
 */
import { exchangeDayStartMs } from '../data/exchange-time.js';
import { toErrorData } from '../errors.js';
import { normalizeSignals } from '../scanners/normalize-signals.js';
import type { DayState, StepScanner } from '../scanners/step-scanner.js';
import { EMPTY_CONTEXT, type DayContext } from '../day-db/day-context.js';
import type { DayDb } from '../day-db/day-db.js';
import type { Signal, SignalMode } from '../types.js';
import type { DayOutcome } from './task-types.js';
import type { TradingDay } from './build-days.js';
import type { ProbeWriter } from './progress-probe.js';
import type { ReportedTimeZone } from './resolve-reported-bar.js';

export interface ReplayOptions {
  warmup: number;
  signals: SignalMode;
  timeframe: string;
  /** Zone of the wall-clock times scanners report (resolve-reported-bar.ts). Absent: America/New_York. */
  reportedTimeZone?: ReportedTimeZone;
}

/** Returns null when the run is stopping (see requestStop): the unfinished day is dropped, not recorded. */
export async function replayDay(
  ticker: string,
  day: TradingDay,
  scanner: StepScanner,
  dayDb: DayDb,
  options: ReplayOptions,
  probe: ProbeWriter,
  context: DayContext = EMPTY_CONTEXT,
): Promise<DayOutcome | null> {
  const n = day.barCount;
  const outcome: DayOutcome = { date: day.date, bars: n, steps: 0, skipped: n < options.warmup, signals: [] };
  if (outcome.skipped) {
    outcome.firstStep = null;
    return outcome;
  }
  if (day.problem) {
    outcome.error = {
      code: 'BAD_BAR',
      message: `${ticker} ${day.date}: ${day.problem} in the market database; fix or delete that row (npm run import validates rows)`,
    };
    return outcome;
  }
  probe.day(day.date);
  // The day's bars are built as the steps reach them (build-days.ts): the array grows, step by step.
  const bars = day.barsTo(options.warmup - 1);
  dayDb.beginDay(bars, options.timeframe, context);
  const state: DayState = { ticker, date: day.date, dayStartMs: exchangeDayStartMs(day.date), bars, dayDb, context };
  const found: Signal[] = [];
  try {
    for (let i = options.warmup; i < n; i++) {
      if (probe.stopRequested()) return null;
      probe.step();
      day.barsTo(i);
      dayDb.visible = i;
      outcome.steps++;
      let out = scanner.scan(state, i);
      if (isPromiseLike(out)) out = await out;
      if (out === null || out === undefined) continue;
      const signals = normalizeSignals(out, { ticker, date: day.date, bar: bars[i], reportedTimeZone: options.reportedTimeZone });
      if (signals.length === 0) continue;
      for (const s of signals) found.push(s);
      if (options.signals === 'first') break;
    }
  } catch (err) {
    // The day's signals found before the error are kept; the day is reported as failed.
    outcome.error = toErrorData(err, 'SCANNER_THREW');
  } finally {
    scanner.endDay?.();
  }
  outcome.signals = found;
  outcome.firstStep = firstStepStart(bars, n, options.warmup);
  return outcome;
}

/**
 * DayOutcome.firstStep of a replayed day of `n` bars: the start of bar `warmup`, or null when the day has no
 * step. `bars` is the day's array as the replay built it: bar `warmup` is in it once the first step was taken
 * (it is built before the first scanner call), whatever the day did after.
 */
export function firstStepStart(bars: readonly { timestamp: number }[], n: number, warmup: number): number | null {
  return n > warmup ? bars[warmup].timestamp : null;
}

function isPromiseLike<T>(v: T | Promise<T>): v is Promise<T> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}
