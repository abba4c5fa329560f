/**
 * One CSV record → one validated bar, or the reason it is bad. Pure, so every rule is unit-tested.
 */
import { exchangeTimeOfDay } from './exchange-time.js';
import { describeImplausibleTimestamp, isPlausibleMs } from './timestamp-unit.js';

export const CSV_COLUMNS = ['ticker', 'timestamp', 'open', 'high', 'low', 'close', 'volume'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

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

export type RowResult = { ok: true; bar: ParsedBar } | { ok: false; reason: string };

/** Column positions resolved once from the header. `ticker` is -1 when the file name supplies it. */
export type ColumnMap = Record<CsvColumn, number>;

/**
 * Reads a header. Unknown columns are an error (a misspelt `colse` would otherwise import silently as
 * nothing); a missing `ticker` column is allowed when the file name gives the ticker.
 */
export function mapHeader(header: string[], tickerFromName: string | null): ColumnMap | string {
  const names = header.map((h) => h.trim().toLowerCase().replace(/^\uFEFF/, ''));
  const unknown = names.filter((n) => !(CSV_COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    return `unknown column(s) ${unknown.map((u) => `"${u}"`).join(', ')}; expected ${CSV_COLUMNS.join(',')}`;
  }
  const map = {} as ColumnMap;
  for (const col of CSV_COLUMNS) {
    const at = names.indexOf(col);
    if (at < 0 && !(col === 'ticker' && tickerFromName)) return `missing column "${col}"`;
    if (names.lastIndexOf(col) !== at) return `column "${col}" appears twice`;
    map[col] = at;
  }
  return map;
}

const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-](\d{2}):?(\d{2}))$/;

/**
 * Epoch milliseconds, or ISO-8601 with a UTC offset. Every field is range-checked before Date.parse, which
 * would roll `2025-04-31` over to May 1 and so overwrite the real bar there. Epoch numbers in another unit
 * are refused with the conversion rather than converted: a file mixing units would otherwise import half
 * its rows a thousandfold off without a word.
 */
export function parseTimestamp(text: string): number | string {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return describeImplausibleTimestamp(n) ?? n;
  }
  const m = ISO_WITH_OFFSET.exec(t);
  if (!m) {
    return `timestamp "${t}" is neither ISO-8601 with a UTC offset (2025-05-12T09:30:00-04:00) nor epoch milliseconds`;
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

function parseNumber(text: string | undefined, name: string): number | string {
  if (text === undefined || text.trim() === '') return `${name} is empty`;
  const n = Number(text);
  return Number.isFinite(n) ? n : `${name} "${text}" is not a number`;
}

export function parseBarRow(record: string[], map: ColumnMap, tickerFromName: string | null): RowResult {
  const width = Object.values(map).filter((i) => i >= 0).length;
  if (record.length !== width) return { ok: false, reason: `expected ${width} fields, found ${record.length}` };
  const ticker = (map.ticker >= 0 ? record[map.ticker] : tickerFromName ?? '').trim().toUpperCase();
  if (ticker === '') return { ok: false, reason: 'ticker is empty' };
  if (ticker.includes('\uFFFD')) return { ok: false, reason: 'ticker is not valid UTF-8 text' };
  const timestamp = parseTimestamp(record[map.timestamp] ?? '');
  if (typeof timestamp === 'string') return { ok: false, reason: timestamp };
  const values: number[] = [];
  for (const col of ['open', 'high', 'low', 'close', 'volume'] as const) {
    const v = parseNumber(record[map[col]], col);
    if (typeof v === 'string') return { ok: false, reason: v };
    values.push(v);
  }
  const [open, high, low, close, volume] = values;
  if (open <= 0 || high <= 0 || low <= 0 || close <= 0) return { ok: false, reason: 'prices must be positive' };
  if (high < low) return { ok: false, reason: `high ${high} is below low ${low}` };
  const outside = describePriceOutsideRange(open, high, low, close);
  if (outside) return { ok: false, reason: outside };
  if (volume < 0) return { ok: false, reason: `volume ${volume} is negative` };
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
