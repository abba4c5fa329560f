/**
 * Exposure: the share of market time with at least one position open, in %. Numerator: the union of all
 * trades' [entry, exit] intervals (overlapping positions count once). Denominator: for each trading date
 * of the run, the span from the first bar's start to the last bar's end over all tickers that day.
 */
import type { Trade } from '../types.js';

export function computeExposure(trades: readonly Pick<Trade, 'entry_ts' | 'exit_ts'>[], sessions: ReadonlyMap<string, readonly [number, number]>): number | null {
  let total = 0;
  for (const [start, end] of sessions.values()) total += end - start;
  if (total <= 0) return null;
  const spans = trades.map((t) => [t.entry_ts, t.exit_ts] as const).sort((a, b) => a[0] - b[0]);
  let held = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const [a, b] of spans) {
    if (a > curEnd) {
      if (curEnd > curStart) held += curEnd - curStart;
      curStart = a;
      curEnd = b;
    } else if (b > curEnd) {
      curEnd = b;
    }
  }
  if (curEnd > curStart) held += curEnd - curStart;
  return (100 * held) / total;
}
