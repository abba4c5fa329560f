/**
 * Builders for the trade simulator's tests: a day of 5-minute bars from 09:30 New York given as
 * [open, high, low, close] rows, and rules with everything off. Times are spelled out here, not computed by src/.
 */
import type { TradeRules } from '../../src/config/trade-rules.js';
import type { Bar, Signal } from '../../src/types.js';
import { nyTime } from './bars.js';

export const DATE = '2025-11-03';

/** `HH:MM:SS` of slot i from 09:30. */
export function slotTime(i: number): string {
  const m = 9 * 60 + 30 + 5 * i;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
}

export function ohlcDay(rows: readonly (readonly [number, number, number, number])[], ticker = 'TEST'): Bar[] {
  const t0 = nyTime(DATE, '09:30');
  return rows.map(([open, high, low, close], i) => ({
    ticker, timestamp: t0 + i * 300_000, time_of_day: slotTime(i), open, high, low, close, volume: 1000,
  }));
}

export function noRules(over: Partial<TradeRules> = {}): TradeRules {
  return {
    direction: 'LONG', entry: 'next-open', stopPct: null, targetPct: null, trailPct: null, atrStop: null, atrPeriod: 14,
    maxBars: null, exitSecond: null, exitTime: null, slippageBps: 0, commissionPerShare: 0, commissionMin: 0,
    capital: 100_000, size: { mode: 'shares', value: 100 }, maxPositions: null, maxExposure: 1, benchmark: null, ...over,
  };
}

export function signalAt(bars: readonly Bar[], i: number, direction: string | null = 'LONG', seq = 0): Signal {
  return {
    ticker: bars[i].ticker, signal_date: DATE, signal_time: bars[i].time_of_day, timestamp: bars[i].timestamp, seq,
    direction, pattern_strength: null, metrics: {},
  };
}
