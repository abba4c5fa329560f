/**
 * The worker side of trading: right after replayDay, the day's signals are simulated as candidate trades on the
 * bars the worker already holds (all of the day's bars, also in `--signals first` mode where replay stopped
 * early). No second pass over the data; the main thread's portfolio pass sizes and selects them at the end.
 */
import type { TradeRules } from '../config/trade-rules.js';
import { toErrorData } from '../errors.js';
import { mergeSignals } from '../merge/merge-signals.js';
import { computeBarMs } from '../sim/bar-length.js';
import { simulateDay } from '../sim/simulate-day.js';
import type { TradingDay } from './build-days.js';
import type { DayOutcome } from './task-types.js';

export function tradeDay(day: TradingDay, outcome: DayOutcome, rules: TradeRules, timeframe: string): void {
  const n = day.bars.length;
  if (n === 0) return;
  const barMs = computeBarMs(timeframe, day.bars);
  outcome.span = [day.bars[0].timestamp, day.bars[n - 1].timestamp + barMs];
  try {
    // The same order and de-duplication the main thread applies, so a trade always has its signal.
    const { candidates, untraded, prices } = simulateDay(day.bars, mergeSignals(outcome.signals), rules, barMs);
    outcome.candidates = candidates;
    outcome.untraded = untraded;
    if (prices) outcome.prices = prices;
  } catch (err) {
    // A bug in the simulator fails this ticker-day, not the run; its signals are kept.
    outcome.error ??= toErrorData(err, 'TRADE_FAILED');
  }
}
