/**
 * Walk-forward selection: for each window, the combination with the best objective on its train days
 * (ties: the lowest index; combinations with fewer than `minTrades` train trades, or an undefined objective,
 * are not eligible), traded on its test days. Only train days are read to choose, so nothing of a test window
 * reaches the choice made for it.
 *
 * Reported: every window's choice with its train and test objective; the stitched out-of-sample result (the
 * chosen combinations' test trades one window after the other, its daily returns and end-of-day equity
 * compounding from the capital over every test day, and the objective over all of it); and the gap between
 * the mean train objective and the mean test objective of the chosen combinations, over the windows where
 * both are defined. A window where no combination is eligible trades nothing: its test days count, flat.
 */
import { BarwiseError } from '../errors.js';
import { buildSessionEquity, type SessionEquity } from '../stats/session-equity.js';
import { computeDailyReturns, type DailyReturn } from '../stats/daily-returns.js';
import type { Trade } from '../types.js';
import { checkObjective, computeObjective, type SweepObjective } from './objectives.js';
import { checkSweepMatrix, type SweepMatrix } from './sweep-matrix.js';
import type { WalkForwardWindow } from './walk-forward-windows.js';

export interface WalkForwardStep {
  window: WalkForwardWindow;
  /** Index of the combination chosen on train; null when none was eligible. */
  chosen: number | null;
  /** The chosen combination's objective on the train days, and on the test days. */
  train: number | null;
  test: number | null;
  trainTrades: number;
  testTrades: number;
}

export interface WalkForwardResult {
  objective: SweepObjective;
  steps: WalkForwardStep[];
  outOfSample: {
    trades: Trade[];
    daily: DailyReturn[];
    equity: SessionEquity[];
    objective: number | null;
  };
  /** Means over the `windows` windows where the chosen combination's train and test objective are both defined. */
  gap: { inSample: number | null; outOfSample: number | null; difference: number | null; windows: number };
}

export function chooseWalkForward(
  matrix: SweepMatrix, windows: readonly WalkForwardWindow[], o: { objective: string; minTrades?: number },
): WalkForwardResult {
  const objective = checkObjective(o.objective);
  const minTrades = o.minTrades ?? 0;
  checkSweepMatrix(matrix);
  const byDay = matrix.trades.map((trades) => groupByDay(trades));
  const steps: WalkForwardStep[] = [];
  const oosTrades: Trade[] = [];
  const oosDays: string[] = [];
  for (const w of windows) {
    const trainDays = selectDays(matrix.days, w.train);
    const testDays = selectDays(matrix.days, w.test);
    if (trainDays.length !== w.trainDays || testDays.length !== w.testDays) {
      const span = `${w.train[0]} to ${w.test[1]}`;
      throw new BarwiseError('INVALID_RANGE', `walk-forward window ${w.index} (${span}) was not computed from the sweep's trading days`,
        'Compute the windows from the same days as the sweep matrix.');
    }
    let chosen: number | null = null;
    let best: number | null = null;
    let trainTrades = 0;
    for (let c = 0; c < byDay.length; c++) {
      const trades = collectTrades(byDay[c], trainDays);
      if (trades.length < minTrades) continue;
      const v = computeObjective(objective, trades, trainDays, matrix.capital);
      if (v !== null && (best === null || v > best)) {
        chosen = c;
        best = v;
        trainTrades = trades.length;
      }
    }
    const test = chosen === null ? [] : collectTrades(byDay[chosen], testDays);
    steps.push({
      window: w, chosen, train: best, trainTrades: chosen === null ? 0 : trainTrades, testTrades: test.length,
      test: chosen === null ? null : computeObjective(objective, test, testDays, matrix.capital),
    });
    oosTrades.push(...test);
    oosDays.push(...testDays);
  }
  const paired = steps.filter((s) => s.train !== null && s.test !== null);
  const inSample = averageOf(paired.map((s) => s.train!));
  const outOfSample = averageOf(paired.map((s) => s.test!));
  return {
    objective,
    steps,
    outOfSample: {
      trades: oosTrades,
      daily: computeDailyReturns(oosTrades, oosDays, matrix.capital),
      equity: buildSessionEquity(oosDays, oosTrades, matrix.capital),
      objective: computeObjective(objective, oosTrades, oosDays, matrix.capital),
    },
    gap: {
      inSample, outOfSample, windows: paired.length,
      difference: inSample === null || outOfSample === null ? null : inSample - outOfSample,
    },
  };
}

function groupByDay(trades: readonly Trade[]): Map<string, Trade[]> {
  const out = new Map<string, Trade[]>();
  for (const t of trades) {
    const list = out.get(t.date);
    if (list) list.push(t);
    else out.set(t.date, [t]);
  }
  return out;
}

/** The days of `days` from `range[0]` to `range[1]`, inclusive. */
function selectDays(days: readonly string[], range: readonly [string, string]): string[] {
  return days.filter((d) => d >= range[0] && d <= range[1]);
}

/** The trades of `days`, day by day, each day's in the combination's own order. */
function collectTrades(byDay: ReadonlyMap<string, readonly Trade[]>, days: readonly string[]): Trade[] {
  return days.flatMap((d) => byDay.get(d) ?? []);
}

function averageOf(values: readonly number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}
