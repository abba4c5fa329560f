/**
 * Raw stored bars → trading days of labelled, frozen bars. Grouping and labels come from `timestamp`
 * alone (a stored time_of_day is never trusted): the day is the New York date of the bar start.
 */
import { exchangeDate, exchangeSecondOfDay, formatSecondOfDay } from '../data/exchange-time.js';
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
  let lastTs = NaN;
  for (const r of raw) {
    const ts = r[0];
    // A source without the unique constraint may repeat a bar: the first copy stands.
    if (ts === lastTs) continue;
    lastTs = ts;
    const second = exchangeSecondOfDay(ts);
    if (!inSession(second, session)) continue;
    const date = exchangeDate(ts);
    if (current === null || current.date !== date) {
      current = { date, bars: [] };
      days.push(current);
    }
    current.bars.push(Object.freeze({
      ticker,
      timestamp: ts,
      time_of_day: timeOfDayAt(second),
      open: r[1],
      high: r[2],
      low: r[3],
      close: r[4],
      volume: r[5],
    }));
  }
  return days;
}

/** `HH:MM:SS` strings, one per second of the day, made once: the same few appear on every day. */
const timeOfDayCache: string[] = [];
function timeOfDayAt(second: number): string {
  return (timeOfDayCache[second] ??= formatSecondOfDay(second));
}
