/**
 * Completion order must never show in the output: signals are put in a total order (date, time, ticker,
 * sequence within the step) and then de-duplicated by (ticker, date, time, direction), the first standing.
 */
import type { Failure, Signal } from '../types.js';

export function compareSignals(a: Signal, b: Signal): number {
  return cmp(a.signal_date, b.signal_date) || a.timestamp - b.timestamp || cmp(a.ticker, b.ticker) || a.seq - b.seq;
}

export function compareFailures(a: Failure, b: Failure): number {
  return cmp(a.date, b.date) || cmp(a.ticker, b.ticker) || cmp(a.code, b.code) || cmp(a.message, b.message);
}

/** Sorted, de-duplicated copy. */
export function mergeSignals(signals: readonly Signal[]): Signal[] {
  const sorted = [...signals].sort(compareSignals);
  const seen = new Set<string>();
  const out: Signal[] = [];
  for (const s of sorted) {
    const key = `${s.ticker}\u0000${s.signal_date}\u0000${s.signal_time}\u0000${s.direction ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
