/**
 * One CSV record → one validated bar, or the reason it is bad. Pure, so every rule is unit-tested.
 */
import { exchangeTimeOfDay } from './exchange-time.js';

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

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export function parseTimestamp(text: string): number | string {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n < 1e11) return `timestamp ${t} looks like epoch seconds; barwise expects epoch milliseconds`;
    return n;
  }
  if (!ISO_WITH_OFFSET.test(t)) {
    return `timestamp "${t}" is neither ISO-8601 with a UTC offset (2025-05-12T09:30:00-04:00) nor epoch milliseconds`;
  }
  const ms = Date.parse(t.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : `timestamp "${t}" is not a real date`;
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
  if (volume < 0) return { ok: false, reason: `volume ${volume} is negative` };
  return {
    ok: true,
    bar: { ticker, timestamp, open, high, low, close, volume, time_of_day: exchangeTimeOfDay(timestamp) },
  };
}

/** `AAPL.csv.gz` → `AAPL`: the ticker of a per-ticker file without a ticker column. */
export function tickerFromFileName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.gz$/i, '').replace(/\.csv$/i, '').toUpperCase();
}
