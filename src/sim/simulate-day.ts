/**
 * A ticker-day's signals → their candidate trades, in signal order. Every signal that can enter is simulated,
 * also while an earlier candidate of the ticker would be open: whether the account holds it is the portfolio
 * pass's decision (src/portfolio). Pure; the worker calls it with the bars it holds. The prices the pass marks
 * positions with go once for the whole day (price-path.ts): the span from the first bar any candidate holds
 * in full to the last, shared by its candidates (a candidate keeps its range of bars).
 */
import type { TradeRules } from '../config/trade-rules.js';
import type { CandidateRecord } from '../portfolio/candidate.js';
import { encodePricePath, slicePricePath } from '../portfolio/price-path.js';
import type { Bar, Signal } from '../types.js';
import { simulateTrade, type UntradedReason } from './simulate-trade.js';

export interface DayTrades {
  candidates: CandidateRecord[];
  /** Signals that cannot enter at all, by reason. */
  untraded: Partial<Record<UntradedReason, number>>;
  /** The encoded price path of the bars the candidates hold in full; absent when none holds one. */
  prices?: Uint8Array;
}

/**
 * `signals`: the day's signals in their total order (as mergeSignals leaves them). `encodePath(from, to)`: the
 * encoded path of bars [from, to), and `indexByTs`: each bar's index by its timestamp (indexBars), which a
 * caller trading the day under several rules may share among them.
 */
export function simulateDay(
  bars: readonly Bar[], signals: readonly Signal[], rules: TradeRules, barMs: number,
  encodePath: (from: number, to: number) => Uint8Array = (from, to) => encodePricePath(slicePricePath(bars, from, to, barMs)),
  indexByTs?: ReadonlyMap<number, number>,
): DayTrades {
  const out: DayTrades = { candidates: [], untraded: {} };
  if (signals.length === 0) return out;
  indexByTs ??= indexBars(bars);
  for (const sig of signals) {
    const index = indexByTs.get(sig.timestamp);
    const direction = tradeDirection(sig.direction, rules.direction);
    let result: CandidateRecord | UntradedReason;
    if (index === undefined) throw new Error(`signal at ${sig.signal_time} has no bar`);
    else if (direction === null) result = 'direction';
    else result = simulateTrade(bars, { ticker: sig.ticker, date: sig.signal_date, index, direction, seq: sig.seq, pattern_strength: sig.pattern_strength }, rules, barMs);
    if (typeof result === 'string') {
      out.untraded[result] = (out.untraded[result] ?? 0) + 1;
    } else {
      out.candidates.push(result);
    }
  }
  let from = Infinity;
  let to = -Infinity;
  for (const c of out.candidates) {
    if (c.marks_count === 0) continue;
    from = Math.min(from, c.marks_from);
    to = Math.max(to, c.marks_from + c.marks_count);
  }
  if (from < to) out.prices = encodePath(from, to);
  return out;
}

/** Each bar's index by its timestamp: where a signal's bar is in the day. */
export function indexBars(bars: readonly Bar[]): Map<number, number> {
  const indexByTs = new Map<number, number>();
  for (let i = 0; i < bars.length; i++) indexByTs.set(bars[i].timestamp, i);
  return indexByTs;
}

/** LONG/SHORT in any case; no direction means the default; any other word is not traded. */
export function tradeDirection(d: string | null, fallback: 'LONG' | 'SHORT'): 'LONG' | 'SHORT' | null {
  if (d === null || d === undefined || d.trim() === '') return fallback;
  const u = d.trim().toUpperCase();
  return u === 'LONG' || u === 'SHORT' ? u : null;
}
