/**
 * Signals and trades as sorted lines, so lists from barwise, a floor and a peer compare with `===` per line
 * and a difference can be shown as the first lines that differ. Prices compare exactly: every party computes
 * the same floating-point operations in the same order (entry × (1 + 2 / 100), not entry × 1.02).
 */
export interface KeyedSignal {
  ticker: string;
  timestamp: number;
  direction?: string;
  pattern_strength?: number | null;
}

export interface KeyedTrade {
  ticker: string;
  entry_ts: number;
  exit_ts: number;
  exit_reason: string;
  entry_price: number;
  exit_price: number;
}

export function signalKeys(signals: readonly KeyedSignal[]): string[] {
  return signals.map((s) => `${s.ticker} ${s.timestamp} ${s.direction ?? ''} ${s.pattern_strength ?? ''}`).sort();
}

export function tradeKeys(trades: readonly KeyedTrade[]): string[] {
  return trades.map((t) => `${t.ticker} ${t.entry_ts} ${t.exit_ts} ${t.exit_reason} ${t.entry_price} ${t.exit_price}`).sort();
}

/** Null when equal; otherwise what differs, in a line a failure message can carry. */
export function describeKeyDifference(what: string, expected: readonly string[], actual: readonly string[]): string | null {
  if (expected.length === actual.length && expected.every((k, i) => k === actual[i])) return null;
  const want = new Set(expected);
  const got = new Set(actual);
  const missing = expected.filter((k) => !got.has(k)).slice(0, 2);
  const extra = actual.filter((k) => !want.has(k)).slice(0, 2);
  return `${what}: ${actual.length} against barwise's ${expected.length}; barwise only: ${missing.join('; ') || 'none'}; other only: ${extra.join('; ') || 'none'}`;
}
