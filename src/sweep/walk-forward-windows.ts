/**
 * Walk-forward windows, counted in trading days (the days the store has bars for: data/trading-days.ts), not
 * calendar days, so a holiday never makes a window shorter and a half day counts as a day like any other.
 *
 * Rolling: window k trains on the `train` days starting at day k·test and tests on the `test` days right
 * after. Anchored: the train window always starts at the first day and grows by `test` days each window.
 * Test windows follow each other without gap or overlap, from day `train` to the last day, and never overlap
 * their own train window. The last test window keeps whatever days are left when fewer than `test` remain
 * (`testDays` says how many): every day after the first train window is traded out of sample once, the most
 * recent included, and the choice for that window still sees only days before it.
 */
import { BarwiseError } from '../errors.js';

export interface WalkForwardShape {
  /** Trading days each train window holds (anchored: the first one; later ones grow). */
  train: number;
  /** Trading days each test window holds (the last may hold fewer). */
  test: number;
  /** Train from the first day on, every window (an expanding window), rather than the last `train` days. */
  anchored: boolean;
}

export interface WalkForwardWindow {
  /** 0 for the first window, in date order. */
  index: number;
  /** First and last trading day, inclusive, `YYYY-MM-DD`. */
  train: readonly [string, string];
  test: readonly [string, string];
  trainDays: number;
  testDays: number;
}

/** `days`: the trading days of the sweep, sorted, each once. */
export function computeWalkForwardWindows(days: readonly string[], o: WalkForwardShape): WalkForwardWindow[] {
  checkDayCount('--train', o.train);
  checkDayCount('--test', o.test);
  for (let i = 1; i < days.length; i++) {
    if (!(days[i - 1] < days[i])) {
      throw new BarwiseError('INVALID_DATE', `walk-forward days must be sorted, each once: ${days[i - 1]} comes before ${days[i]}`);
    }
  }
  if (days.length <= o.train) {
    const held = days.length ? `${days.length} (${days[0]} to ${days[days.length - 1]})` : 'none';
    const need = `at least ${o.train + 1} trading days (the train window and one test day)`;
    throw new BarwiseError('INVALID_RANGE', `walk-forward with --train ${o.train} needs ${need}; the range holds ${held}`,
      'Widen the date range, or lower --train.');
  }
  const windows: WalkForwardWindow[] = [];
  for (let start = o.train; start < days.length; start += o.test) {
    const end = Math.min(start + o.test, days.length) - 1;
    const trainStart = o.anchored ? 0 : start - o.train;
    windows.push({
      index: windows.length,
      train: [days[trainStart], days[start - 1]],
      test: [days[start], days[end]],
      trainDays: start - trainStart,
      testDays: end - start + 1,
    });
  }
  return windows;
}

function checkDayCount(flag: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new BarwiseError('USAGE', `${flag} must be a whole number of trading days, at least 1, got ${n}`, 'For example --train 60 --test 20.');
  }
}
