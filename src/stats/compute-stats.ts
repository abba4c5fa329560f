/**
 * Every statistic of a run's trades, in one plain object (the `stats` of the JSON output): one field per
 * entry of the registry (statistics.ts), in its order. docs/trades.md defines each figure.
 */
import { STATISTICS, StatsContext, type StatisticRegistry, type StatsInput, type TradeStats } from './statistics.js';

export type { StatsInput, TradeStats } from './statistics.js';

/** `registry`: the statistics to compute (all of barwise's unless a test or an extension passes its own). */
export function computeStats(input: StatsInput, registry: StatisticRegistry = STATISTICS): TradeStats {
  const c = new StatsContext(input);
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(registry)) out[key] = s.compute(c);
  return roundNumbers(out) as TradeStats;
}

/** Six decimals everywhere: the figures stay exact enough and the JSON free of float noise. */
function roundNumbers<T>(v: T): T {
  if (typeof v === 'number') return (Number.isFinite(v) ? Math.round(v * 1e6) / 1e6 || 0 : v) as T;
  if (Array.isArray(v)) return v.map(roundNumbers) as T;
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, roundNumbers(x)])) as T;
  return v;
}
