/**
 * Raw stored bars → trading days of labelled, frozen bars. Grouping and labels come from `timestamp`
 * alone (a stored time_of_day is never trusted): the day is the New York date of the bar start.
 */
import { exchangeDate, exchangeSecondOfDay, formatSecondOfDay } from '../data/exchange-time.js';
import { describePriceOutsideRange } from '../data/parse-bar-row.js';
import type { RawBar } from '../data/market-store.js';
import type { Bar, SessionKind } from '../types.js';

const REGULAR_OPEN = 9 * 3600 + 30 * 60;
const REGULAR_CLOSE = 16 * 3600;

export interface TradingDay {
  date: string;
  bars: Bar[];
  /** Why the day cannot be replayed (a bar the import would have refused), naming the first bad bar. */
  problem?: string;
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
    current.problem ??= describeBadBar(r, timeOfDayAt(second));
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

/**
 * The checks `npm run import` applies to a CSV row, applied to a stored bar: a source written by other tools
 * may hold NULL (SQLite stores NaN as NULL), non-positive prices or a negative volume. Scanners must never
 * compute on them silently, so the day fails with the bar named.
 */
export function describeBadBar(r: RawBar, time: string): string | undefined {
  const names = ['open', 'high', 'low', 'close', 'volume'] as const;
  for (let k = 0; k < names.length; k++) {
    const v = r[k + 1] as unknown;
    if (typeof v !== 'number' || !Number.isFinite(v)) return `bar at ${time} has ${names[k]} ${v === null ? 'NULL (NaN is stored as NULL)' : JSON.stringify(v)}`;
  }
  if (r[1] <= 0 || r[2] <= 0 || r[3] <= 0 || r[4] <= 0) return `bar at ${time} has a price that is not positive`;
  if (r[5] < 0) return `bar at ${time} has volume ${r[5]}, which is negative`;
  if (r[2] < r[3]) return `bar at ${time} has high ${r[2]} below low ${r[3]}`;
  const outside = describePriceOutsideRange(r[1], r[2], r[3], r[4]);
  return outside ? `bar at ${time}: ${outside}` : undefined;
}

/** `HH:MM:SS` strings, one per second of the day, made once: the same few appear on every day. */
const timeOfDayCache: string[] = [];
function timeOfDayAt(second: number): string {
  return (timeOfDayCache[second] ??= formatSecondOfDay(second));
}
