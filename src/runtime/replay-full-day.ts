/**
 * Full-day mode: the backtest the audit compares realtime against, the way scanners tuned on whole days
 * were run. It is deliberately NOT lookahead-free (docs/audit.md):
 * - module and SQL scanners are called at each bar i ≥ warmup, with ctx.bar / :as_of / :time of bar i, but
 *   ctx.bars and the day database hold the WHOLE day (a loop reading bars[i+5] succeeds);
 * - legacy scripts run once per ticker-day, the day database file holding the whole day;
 * - a signal's bar is the time the scanner reports (`timestamp` or `signal_time`), else the bar it was
 *   called at (scripts: the day's last bar, the moment their backtest ran).
 * In `first` mode the day's earliest reported signal(s) are kept. Reference tickers and previous days are there
 * too: references' bars up to the ticker's last bar of the day (ctx.refs: the reference's whole day).
 */
import { exchangeDayStartMs } from '../data/exchange-time.js';
import { toErrorData } from '../errors.js';
import { normalizeSignals } from '../scanners/normalize-signals.js';
import type { DayState } from '../scanners/step-scanner.js';
import type { ScanResult, Signal } from '../types.js';
import type { DayOutcome } from './task-types.js';
import type { TradingDay } from './build-days.js';
import type { replayDay, ReplayOptions } from './replay-day.js';
import { computeBarMs } from '../sim/bar-length.js';
import { EMPTY_CONTEXT } from '../day-db/day-context.js';
import { OUTSIDE_SESSION_METRIC, resolveReportedBar } from './resolve-reported-bar.js';

/** Same signature as replayDay: the task runner picks one per run. */
export const replayFullDay: typeof replayDay = async (ticker, day, scanner, dayDb, options, probe, context = EMPTY_CONTEXT) => {
  const n = day.bars.length;
  const outcome: DayOutcome = { date: day.date, bars: n, steps: 0, skipped: n < options.warmup, signals: [] };
  if (outcome.skipped) return outcome;
  probe.day(day.date);
  dayDb.beginDay(day.bars, options.timeframe, context);
  dayDb.visible = n - 1; // the whole day, at every step: that is what this mode is
  const state: DayState = { ticker, date: day.date, dayStartMs: exchangeDayStartMs(day.date), bars: day.bars, dayDb, context, wholeDay: true };
  const found: Signal[] = [];
  try {
    if (scanner.scanWholeDay) {
      probe.step();
      outcome.steps++;
      found.push(...stampReported(await scanner.scanWholeDay(state), ticker, day, n - 1, options));
    } else {
      for (let i = options.warmup; i < n; i++) {
        probe.step();
        outcome.steps++;
        const signals = stampReported(await scanner.scan(state, i), ticker, day, i, options);
        found.push(...signals);
        if (signals.length > 0 && options.signals === 'first') break;
      }
    }
  } catch (err) {
    outcome.error = toErrorData(err, 'SCANNER_THREW');
  } finally {
    scanner.endDay?.();
  }
  outcome.signals = options.signals === 'first' ? keepEarliest(found) : found;
  return outcome;
};

/**
 * Each signal stamped with the bar it reports (see resolve-reported-bar.ts), else the bar it was called at. A
 * reported time outside the session keeps the nearest bar and says so in its metrics
 * (`reported_time_outside_session`: the time as reported), which the audit classifies apart.
 */
function stampReported(out: ScanResult, ticker: string, day: TradingDay, calledAt: number, options: ReplayOptions): Signal[] {
  if (out === null || out === undefined) return [];
  const list: unknown[] = Array.isArray(out) ? out : [out];
  const zone = options.reportedTimeZone ?? 'America/New_York';
  const barMs = computeBarMs(options.timeframe, day.bars);
  return list.map((raw, seq) => {
    const reported = resolveReportedBar(raw, day.bars, calledAt, zone, barMs);
    const signal = { ...normalizeSignals(raw, { ticker, date: day.date, bar: day.bars[reported.index], reportedTimeZone: zone })[0], seq };
    if (reported.outsideSession !== null) signal.metrics = { ...signal.metrics, [OUTSIDE_SESSION_METRIC]: reported.outsideSession };
    return signal;
  });
}

function keepEarliest(signals: Signal[]): Signal[] {
  if (signals.length === 0) return signals;
  const first = Math.min(...signals.map((s) => s.timestamp));
  return signals.filter((s) => s.timestamp === first);
}
