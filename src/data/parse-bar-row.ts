/**
 * One CSV record → one validated bar, or the reason it is bad. Pure, so every rule is unit-tested.
 */
import { exchangeTimeOfDay } from './exchange-time.js';
import { describeImplausibleTimestamp, isPlausibleMs } from './timestamp-unit.js';
import type { ColumnMap } from './csv-columns.js';
import type { ZoneClock } from './zoned-time.js';

export interface ParsedBar {
  ticker: string;
  timestamp: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  time_of_day: string;
}

/** What made a row bad, for the import summary's "skipped rows by reason". */
export type BadRowKind = 'fields' | 'ticker' | 'timestamp' | 'number' | 'prices' | 'volume';
export const BAD_ROW_LABELS: Record<BadRowKind, string> = {
  fields: 'wrong number of fields', ticker: 'no ticker', timestamp: 'bad timestamp', number: 'not a number',
  prices: 'impossible prices', volume: 'negative volume',
};

export type RowResult = { ok: true; bar: ParsedBar } | { ok: false; reason: string; kind: BadRowKind };

const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-](\d{2}):?(\d{2}))$/;
const ISO_WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;

/**
 * Epoch milliseconds, or ISO-8601 with a UTC offset, or (with `clock`, from --timezone) a wall-clock time of
 * that zone without one. Every field is range-checked before Date.parse, which would roll `2025-04-31` over
 * to May 1 and so overwrite the real bar there. Epoch numbers in another unit are refused with the conversion
 * rather than converted: a file mixing units would otherwise import half its rows a thousandfold off without
 * a word. An offset in the text wins over the zone: it is exact.
 */
export function parseTimestamp(text: string, clock: ZoneClock | null = null): number | string {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return describeImplausibleTimestamp(n) ?? n;
  }
  const wall = ISO_WALL_CLOCK.exec(t);
  if (wall && clock) return parseWallClock(t, wall, clock);
  const m = ISO_WITH_OFFSET.exec(t);
  if (!m) {
    return wall
      ? `timestamp "${t}" has no UTC offset: pass --timezone with the zone its times are in (e.g. --timezone America/New_York)`
      : `timestamp "${t}" is neither ISO-8601 with a UTC offset (2025-05-12T09:30:00-04:00) nor epoch milliseconds${clock ? ' nor YYYY-MM-DD HH:MM[:SS]' : ''}`;
  }
  const [year, month, day, hour, minute, second, offsetHour, offsetMinute] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0', m[9] ?? '0', m[10] ?? '0'].map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return `timestamp "${t}" is not a real date (${m[1]}-${m[2]} has no day ${m[3]})`;
  if (hour > 23 || minute > 59 || second > 59) return `timestamp "${t}" is not a real time of day`;
  if (offsetHour > 14 || offsetMinute > 59) return `timestamp "${t}" has an impossible UTC offset`;
  const ms = Date.parse(t.replace(' ', 'T'));
  if (!Number.isFinite(ms)) return `timestamp "${t}" is not a real date`;
  return isPlausibleMs(ms) ? ms : `timestamp "${t}" is outside 1990–2100: check the year`;
}

function parseWallClock(t: string, m: RegExpExecArray, clock: ZoneClock): number | string {
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return `timestamp "${t}" is not a real date (${m[1]}-${m[2]} has no day ${m[3]})`;
  if (hour > 23 || minute > 59 || second > 59) return `timestamp "${t}" is not a real time of day`;
  const ms = clock.toEpochMs(year, month, day, hour, minute, second);
  if (ms === 'skipped') return `timestamp "${t}" never happened in ${clock.zone} (the clocks skipped that hour for daylight saving)`;
  if (ms === 'repeated') return `timestamp "${t}" happened twice in ${clock.zone} (the clocks went back that hour); give it with its UTC offset`;
  const withMs = ms + (m[7] ? Math.round(Number(m[7]) * 1000) : 0);
  return isPlausibleMs(withMs) ? withMs : `timestamp "${t}" is outside 1990–2100: check the year`;
}

function parseNumber(text: string | undefined, name: string): number | string {
  if (text === undefined || text.trim() === '') return `${name} is empty`;
  const n = Number(text);
  return Number.isFinite(n) ? n : `${name} "${text}" is not a number`;
}

/** `clock`: the zone of timestamps without a UTC offset (--timezone); null refuses them. */
export function parseBarRow(record: string[], map: ColumnMap, tickerFromName: string | null, clock: ZoneClock | null = null): RowResult {
  const bad = (kind: BadRowKind, reason: string): RowResult => ({ ok: false, reason, kind });
  if (record.length !== map.width) return bad('fields', `expected ${map.width} fields, found ${record.length}`);
  const ticker = (map.ticker >= 0 ? record[map.ticker] : tickerFromName ?? '').trim().toUpperCase();
  if (ticker === '') return bad('ticker', 'ticker is empty');
  if (ticker.includes('\uFFFD')) return bad('ticker', 'ticker is not valid UTF-8 text');
  const text = map.time >= 0 ? `${(record[map.timestamp] ?? '').trim()} ${(record[map.time] ?? '').trim()}` : record[map.timestamp] ?? '';
  const timestamp = parseTimestamp(text, clock);
  if (typeof timestamp === 'string') return bad('timestamp', timestamp);
  const values: number[] = [];
  for (const col of ['open', 'high', 'low', 'close', 'volume'] as const) {
    const v = parseNumber(record[map[col]], col);
    if (typeof v === 'string') return bad('number', v);
    values.push(v);
  }
  const [open, high, low, close, volume] = values;
  if (open <= 0 || high <= 0 || low <= 0 || close <= 0) return bad('prices', 'prices must be positive');
  if (high < low) return bad('prices', `high ${high} is below low ${low}`);
  const outside = describePriceOutsideRange(open, high, low, close);
  if (outside) return bad('prices', outside);
  if (volume < 0) return bad('volume', `volume ${volume} is negative`);
  return {
    ok: true,
    bar: { ticker, timestamp, open, high, low, close, volume, time_of_day: exchangeTimeOfDay(timestamp) },
  };
}

/**
 * A bar's open and close are trades inside its range: one outside [low, high] is a corrupt row, and a
 * simulated fill at it would be at a price that never traded. Shared with the backtest's BAD_BAR check.
 */
export function describePriceOutsideRange(open: number, high: number, low: number, close: number): string | null {
  if (open < low || open > high) return `open ${open} is outside the bar's range [low ${low}, high ${high}]`;
  if (close < low || close > high) return `close ${close} is outside the bar's range [low ${low}, high ${high}]`;
  return null;
}

/** `AAPL.csv.gz` → `AAPL`: the ticker of a per-ticker file without a ticker column. */
export function tickerFromFileName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.gz$/i, '').replace(/\.csv$/i, '').toUpperCase();
}
