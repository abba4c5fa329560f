/**
 * replayDay for several scanners at once: the day database is filled once for the ticker-day, and at step i
 * (the day database showing bars 0..i) every scanner still running takes its step. Each scanner's outcome is
 * what replayDay would give it alone: its steps, its signals, its error (which ends only its day), and with
 * `--signals first` its day ends at its first signal. A scanner sees nothing of the others: each has its own
 * state (module scanners' init(ctx) per instance), and the day database is read-only to scanners.
 */
import { exchangeDayStartMs } from '../data/exchange-time.js';
import { toErrorData } from '../errors.js';
import { normalizeSignals } from '../scanners/normalize-signals.js';
import type { DayState, StepScanner } from '../scanners/step-scanner.js';
import { EMPTY_CONTEXT, type DayContext } from '../day-db/day-context.js';
import type { DayDb } from '../day-db/day-db.js';
import { firstStepStart, type ReplayOptions } from '../runtime/replay-day.js';
import type { DayOutcome } from '../runtime/task-types.js';
import type { TradingDay } from '../runtime/build-days.js';
import type { ProbeWriter } from '../runtime/progress-probe.js';

/** One outcome per scanner, in their order; null when the run is stopping (the unfinished day is dropped). */
export async function replayScans(
  ticker: string,
  day: TradingDay,
  scanners: readonly StepScanner[],
  dayDb: DayDb,
  options: ReplayOptions,
  probe: ProbeWriter,
  context: DayContext = EMPTY_CONTEXT,
): Promise<DayOutcome[] | null> {
  const n = day.barCount;
  const outcomes: DayOutcome[] = scanners.map(() => ({ date: day.date, bars: n, steps: 0, skipped: n < options.warmup, signals: [] }));
  if (n < options.warmup) {
    for (const o of outcomes) o.firstStep = null;
    return outcomes;
  }
  if (day.problem) {
    const error = {
      code: 'BAD_BAR' as const,
      message: `${ticker} ${day.date}: ${day.problem} in the market database; fix or delete that row (npm run import validates rows)`,
    };
    for (const o of outcomes) o.error = { ...error };
    return outcomes;
  }
  probe.day(day.date);
  // Bars are built as the steps reach them, as in a backtest (build-days.ts).
  const bars = day.barsTo(options.warmup - 1);
  dayDb.beginDay(bars, options.timeframe, context);
  const state: DayState = { ticker, date: day.date, dayStartMs: exchangeDayStartMs(day.date), bars, dayDb, context };
  const running = scanners.map(() => true);
  let left = scanners.length;
  try {
    for (let i = options.warmup; i < n && left > 0; i++) {
      if (probe.stopRequested()) return null;
      day.barsTo(i);
      dayDb.visible = i;
      for (let s = 0; s < scanners.length; s++) {
        if (!running[s]) continue;
        // Per scanner call, so the step timeout bounds each scanner's step, as in a backtest of it alone.
        probe.step();
        const outcome = outcomes[s];
        outcome.steps++;
        try {
          let out = scanners[s].scan(state, i);
          if (isPromiseLike(out)) out = await out;
          if (out === null || out === undefined) continue;
          const signals = normalizeSignals(out, { ticker, date: day.date, bar: bars[i], reportedTimeZone: options.reportedTimeZone });
          if (signals.length === 0) continue;
          for (const sig of signals) outcome.signals.push(sig);
          if (options.signals === 'first') {
            running[s] = false;
            left--;
          }
        } catch (err) {
          // The day's signals found before the error are kept; this scanner's day is reported as failed.
          outcome.error = toErrorData(err, 'SCANNER_THREW');
          running[s] = false;
          left--;
        }
      }
    }
  } finally {
    for (const scanner of scanners) scanner.endDay?.();
  }
  const firstStep = firstStepStart(bars, n, options.warmup);
  for (const o of outcomes) o.firstStep = firstStep;
  return outcomes;
}

function isPromiseLike<T>(v: T | Promise<T>): v is Promise<T> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}
