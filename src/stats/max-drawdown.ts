/**
 * Maximum drawdown of an equity curve: the largest fall from a running peak to a later point, as % of
 * that peak and in dollars (the two maxima may come from different falls). 0 for a curve that never falls.
 */
export function computeMaxDrawdown(equity: readonly number[]): { pct: number; usd: number } {
  let peak = -Infinity;
  let pct = 0;
  let usd = 0;
  for (const e of equity) {
    if (e > peak) peak = e;
    const fall = peak - e;
    if (fall > usd) usd = fall;
    if (peak > 0 && (100 * fall) / peak > pct) pct = (100 * fall) / peak;
  }
  return { pct, usd };
}

/** Drawdown at each point, % below the running peak (≤ 0): the report's drawdown chart. */
export function computeDrawdownSeries(equity: readonly number[]): number[] {
  let peak = -Infinity;
  return equity.map((e) => {
    if (e > peak) peak = e;
    return peak > 0 ? (100 * (e - peak)) / peak : 0;
  });
}
