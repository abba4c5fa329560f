/**
 * Point-in-time ATR: the mean true range of the day's bars up to and including bar `i`, over at most
 * `period` bars (fewer early in the day). The first bar of the day has no previous close in the day, so its
 * true range is its high − low: yesterday's bars are not part of "the day's bars so far".
 */
import type { Bar } from '../types.js';

export function computeAtr(bars: readonly Bar[], i: number, period: number): number {
  const from = Math.max(0, i - period + 1);
  let sum = 0;
  for (let j = from; j <= i; j++) sum += trueRange(bars, j);
  return sum / (i - from + 1);
}

export function trueRange(bars: readonly Bar[], j: number): number {
  const b = bars[j];
  if (j === 0) return b.high - b.low;
  const prev = bars[j - 1].close;
  return Math.max(b.high - b.low, Math.abs(b.high - prev), Math.abs(b.low - prev));
}
