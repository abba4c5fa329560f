/**
 * Length of one bar in ms, needed to time fills at a bar's close (its end). From the timeframe name when
 * it says (`5min`, `1m`, `1h`), else the smallest gap between the day's bars (missing bars only make gaps
 * larger), else five minutes.
 */
import type { Bar } from '../types.js';

const UNIT_MS: Record<string, number> = { s: 1_000, sec: 1_000, m: 60_000, min: 60_000, h: 3_600_000, hour: 3_600_000 };

export function computeBarMs(timeframe: string, bars: readonly Bar[]): number {
  const m = /^(\d+)\s*(s|sec|m|min|h|hour)s?$/i.exec(timeframe.trim());
  if (m && Number(m[1]) > 0) return Number(m[1]) * UNIT_MS[m[2].toLowerCase()];
  let gap = Infinity;
  for (let i = 1; i < bars.length; i++) gap = Math.min(gap, bars[i].timestamp - bars[i - 1].timestamp);
  return Number.isFinite(gap) && gap > 0 ? gap : 300_000;
}
