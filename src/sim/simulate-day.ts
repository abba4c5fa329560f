/**
 * A ticker-day's signals → its trades, in signal order, one position at a time: a signal that would enter
 * while the previous trade is still open is not traded. Pure; the worker calls it with the bars it holds.
 */
import type { TradeRules } from '../config/trade-rules.js';
import type { Bar, Signal, Trade } from '../types.js';
import { simulateTrade, type UntradedReason } from './simulate-trade.js';

export interface DayTrades {
  trades: Trade[];
  /** Signals not traded, by reason. */
  untraded: Partial<Record<UntradedReason, number>>;
}

/** `signals`: the day's signals in their total order (as mergeSignals leaves them). */
export function simulateDay(bars: readonly Bar[], signals: readonly Signal[], rules: TradeRules, barMs: number): DayTrades {
  const out: DayTrades = { trades: [], untraded: {} };
  if (signals.length === 0) return out;
  const indexByTs = new Map<number, number>();
  bars.forEach((b, i) => indexByTs.set(b.timestamp, i));
  let busyUntil = -Infinity;
  for (const sig of signals) {
    const index = indexByTs.get(sig.timestamp);
    const direction = tradeDirection(sig.direction, rules.direction);
    let result: Trade | UntradedReason;
    if (index === undefined) throw new Error(`signal at ${sig.signal_time} has no bar`);
    else if (direction === null) result = 'direction';
    else result = simulateTrade(bars, { ticker: sig.ticker, date: sig.signal_date, index, direction, seq: sig.seq }, rules, barMs, busyUntil);
    if (typeof result === 'string') {
      out.untraded[result] = (out.untraded[result] ?? 0) + 1;
    } else {
      out.trades.push(result);
      busyUntil = result.exit_ts;
    }
  }
  return out;
}

/** LONG/SHORT in any case; no direction means the default; any other word is not traded. */
export function tradeDirection(d: string | null, fallback: 'LONG' | 'SHORT'): 'LONG' | 'SHORT' | null {
  if (d === null || d === undefined || d.trim() === '') return fallback;
  const u = d.trim().toUpperCase();
  return u === 'LONG' || u === 'SHORT' ? u : null;
}
