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
import { encodePricePath, slicePricePath } from '../portfolio/price-path.js';
import { encodeDayCandidates } from '../portfolio/candidate-bytes.js';
import type { Signal } from '../types.js';
import type { CandidateRecord } from '../portfolio/candidate.js';
import type { TradingDay } from './build-days.js';
import type { DayOutcome } from './task-types.js';

export function tradeDay(day: TradingDay, outcome: DayOutcome, rules: TradeRules, timeframe: string): void {
  const candidates = createDayTrader(day, timeframe)(outcome, rules);
  if (candidates.length > 0) outcome.candidates = encodeDayCandidates(candidates);
}

/**
 * tradeDay for one ticker-day under several trade rules (a sweep's combinations): the bar length, the merge of
 * each signal list (combinations sharing a scan share its list) and the encoded price path of each span of
 * held bars are computed once for all of them. Each rule's candidates are what tradeDay alone gives; outcomes
 * with the same span share one path's bytes. The trader sets the outcome's span, untraded counts, price path
 * (or error) and returns its candidates, which the caller encodes (encodeCandidateLists: a day's rules in one buffer).
 */
export function createDayTrader(day: TradingDay, timeframe: string): (outcome: DayOutcome, rules: TradeRules) => CandidateRecord[] {
  const n = day.bars.length;
  const barMs = n === 0 ? 0 : computeBarMs(timeframe, day.bars);
  const merged = new WeakMap<readonly Signal[], Signal[]>();
  const paths = new Map<string, Uint8Array>();
  // One array for every rule's outcome: read only, and a sweep's answer then carries it once per ticker-day.
  const span: [number, number] | null = n === 0 ? null : [day.bars[0].timestamp, day.bars[n - 1].timestamp + barMs];
  const encodePath = (from: number, to: number): Uint8Array => {
    const key = `${from}:${to}`;
    let bytes = paths.get(key);
    if (!bytes) paths.set(key, (bytes = encodePricePath(slicePricePath(day.bars, from, to, barMs))));
    return bytes;
  };
  return (outcome, rules) => {
    if (span === null) return [];
    outcome.span = span;
    try {
      // The same order and de-duplication the main thread applies, so a trade always has its signal.
      let signals = merged.get(outcome.signals);
      if (!signals) merged.set(outcome.signals, (signals = mergeSignals(outcome.signals)));
      const { candidates, untraded, prices } = simulateDay(day.bars, signals, rules, barMs, encodePath);
      outcome.untraded = untraded;
      if (prices) outcome.prices = prices;
      return candidates;
    } catch (err) {
      // A bug in the simulator fails this ticker-day, not the run; its signals are kept.
      outcome.error ??= toErrorData(err, 'TRADE_FAILED');
      return [];
    }
  };
}
