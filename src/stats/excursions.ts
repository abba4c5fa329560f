/**
 * MAE and MFE distributions: the trades' maximum adverse and favourable excursions (`mae_pct`, `mfe_pct`,
 * % of the entry price) summarised as min, 10th, 25th, 50th, 75th, 90th percentile, max and mean. Percentiles
 * interpolate linearly between the two nearest ranks (p over n sorted values sits at rank p/100 × (n − 1)).
 * Null without trades.
 */
import { mean } from './average-win-loss.js';

export interface Distribution {
  min: number;
  p10: number;
  p25: number;
  p50: number;
  p75: number;
  p90: number;
  max: number;
  mean: number;
}

export function computeDistribution(values: readonly number[]): Distribution | null {
  if (values.length === 0) return null;
  const xs = [...values].sort((a, b) => a - b);
  const at = (p: number) => {
    const rank = (p / 100) * (xs.length - 1);
    const lo = Math.floor(rank);
    const hi = Math.ceil(rank);
    return xs[lo] + (xs[hi] - xs[lo]) * (rank - lo);
  };
  return { min: xs[0], p10: at(10), p25: at(25), p50: at(50), p75: at(75), p90: at(90), max: xs[xs.length - 1], mean: mean(xs)! };
}
