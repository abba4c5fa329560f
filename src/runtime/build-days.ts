/**
 * Raw stored bars → trading days of labelled, frozen bars. Grouping and labels come from `timestamp`
 * alone (a stored time_of_day is never trusted): the day is the New York date of the bar start.
 */
import { exchangeDate, exchangeSecondOfDay, exchangeTimeOfDay } from '../data/exchange-time.js';
import type { RawBar } from '../data/market-store.js';
import type { Bar, SessionKind } from '../types.js';

const REGULAR_OPEN = 9 * 3600 + 30 * 60;
const REGULAR_CLOSE = 16 * 3600;

export interface TradingDay {
  date: string;
  bars: Bar[];
}

export function inSession(secondOfDay: number, session: SessionKind): boolean {
  return session === 'extended' || (secondOfDay >= REGULAR_OPEN && secondOfDay < REGULAR_CLOSE);
}

/** `raw` must be sorted by timestamp (the store's query orders it). */
export function buildDays(ticker: string, raw: readonly RawBar[], session: SessionKind): TradingDay[] {
  const days: TradingDay[] = [];
  let current: TradingDay | null = null;
  for (const r of raw) {
    if (!inSession(exchangeSecondOfDay(r.timestamp), session)) continue;
    // A source without the unique constraint may repeat a bar: the first copy stands.
    if (current !== null && current.bars[current.bars.length - 1].timestamp === r.timestamp) continue;
    const date = exchangeDate(r.timestamp);
    if (current === null || current.date !== date) {
      current = { date, bars: [] };
      days.push(current);
    }
    current.bars.push(Object.freeze({
      ticker,
      timestamp: r.timestamp,
      time_of_day: exchangeTimeOfDay(r.timestamp),
      open: r.open,
      high: r.high,
      low: r.low,
      close: r.close,
      volume: r.volume,
    }));
  }
  return days;
}
