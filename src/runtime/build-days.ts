/**
 * Raw stored bars → trading days. Grouping and labels come from `timestamp` alone (a stored time_of_day is
 * never trusted): the day is the New York date of the bar start.
 *
 * A day is held as columns (one Float64Array per task window, six numbers a bar, and each bar's second of
 * the day) copied out of the SQLite rows, so the rows die young, and its frozen bar objects are built only as
 * far as they are asked for: the replay asks for bars 0..i at step i, so in `first` mode the bars after a
 * day's first signal are never built. Building every bar of a window up front kept ~1.6M bar objects alive
 * across each task on the bench universe, which young-generation GC then had to copy; keeping the row
 * objects per day and building bars from them was measured slower still (the kept rows survive GC too).
 * Values round-trip exactly: every stored number is a double, and a day with a bar that is not (NULL, text)
 * is a day with a problem, whose bars are built as stored.
 */
import { exchangeDate, exchangeSecondOfDay, formatSecondOfDay } from '../data/exchange-time.js';
import { describePriceOutsideRange } from '../data/parse-bar-row.js';
import type { RawBar } from '../data/market-store.js';
import type { Bar, SessionKind } from '../types.js';

const REGULAR_OPEN = 9 * 3600 + 30 * 60;
const REGULAR_CLOSE = 16 * 3600;
/** Numbers a bar takes in the column block: timestamp, open, high, low, close, volume. */
const FIELDS = 6;

export interface TradingDay {
  readonly date: string;
  /** How many bars the day has (in session, repeats dropped), known before any bar object is built. */
  readonly barCount: number;
  /** The whole day's frozen bars (a columnar day builds those not built yet on this first read). */
  readonly bars: readonly Bar[];
  /** Why the day cannot be replayed (a bar the import would have refused), naming the first bad bar. */
  readonly problem?: string;
  /**
   * The day's bar array, holding at least bars 0..i: the same array at every call, grown on demand. Its
   * readers (the replay, the day database) read no further than the current step's bar.
   */
  barsTo(i: number): readonly Bar[];
}

export function inSession(secondOfDay: number, session: SessionKind): boolean {
  return session === 'extended' || (secondOfDay >= REGULAR_OPEN && secondOfDay < REGULAR_CLOSE);
}

/**
 * Of a day's stored timestamps (sorted, repeats included), those of the bars buildDays makes: repeats dropped,
 * the session's only. For what needs where a day's bars are and nothing else (MarketStore.readTimestamps).
 */
export function sessionStamps(stamps: readonly number[], session: SessionKind): number[] {
  const out: number[] = [];
  let lastTs = NaN;
  for (const ts of stamps) {
    if (ts === lastTs) continue;
    lastTs = ts;
    if (inSession(exchangeSecondOfDay(ts), session)) out.push(ts);
  }
  return out;
}

/** A day over a task window's columns; bar `k` of the day is bar `start + k` of the window. */
class ColumnDay implements TradingDay {
  readonly #built: Bar[] = [];
  readonly #ticker: string;
  readonly #columns: Float64Array;
  readonly #seconds: Int32Array;
  readonly #start: number;

  constructor(
    readonly date: string, readonly barCount: number, ticker: string, columns: Float64Array, seconds: Int32Array, start: number,
    readonly problem?: string,
  ) {
    this.#ticker = ticker;
    this.#columns = columns;
    this.#seconds = seconds;
    this.#start = start;
  }

  get bars(): readonly Bar[] {
    return this.barsTo(this.barCount - 1);
  }

  barsTo(i: number): readonly Bar[] {
    const built = this.#built;
    const end = Math.min(i + 1, this.barCount);
    for (let k = built.length; k < end; k++) {
      const at = (this.#start + k) * FIELDS;
      const c = this.#columns;
      // The same fields in the same order as a bar has always had: scanners may spread or print it.
      built.push(Object.freeze({
        ticker: this.#ticker,
        timestamp: c[at],
        time_of_day: timeOfDayAt(this.#seconds[this.#start + k]),
        open: c[at + 1],
        high: c[at + 2],
        low: c[at + 3],
        close: c[at + 4],
        volume: c[at + 5],
      }));
    }
    return built;
  }
}

/**
 * A day of a window holding a value that is not a number (NULL, text), which no column can hold: its bars
 * are built as stored. Such a day fails with its bad bar named, and the other days of the window are rare
 * enough to be built whole, as they were before columns.
 */
class StoredDay implements TradingDay {
  problem?: string;

  constructor(readonly date: string, readonly bars: Bar[]) {}

  get barCount(): number {
    return this.bars.length;
  }

  barsTo(): readonly Bar[] {
    return this.bars;
  }
}

/** `raw` must be sorted by timestamp (the store's query orders it). */
export function buildDays(ticker: string, raw: readonly RawBar[], session: SessionKind): TradingDay[] {
  const columns = toColumns(raw);
  return columns ? buildColumnDays(ticker, columns, session) : buildStoredDays(ticker, raw, session);
}

/** The rows as one column block (six numbers a row, in order), or null when a value is not a number. */
export function toColumns(raw: readonly RawBar[]): Float64Array | null {
  const columns = new Float64Array(raw.length * FIELDS);
  for (let j = 0; j < raw.length; j++) {
    const r = raw[j];
    const at = j * FIELDS;
    for (let f = 0; f < FIELDS; f++) {
      const v = r[f];
      if (typeof v !== 'number') return null;
      columns[at + f] = v;
    }
  }
  return columns;
}

/**
 * Trading days over a column block of stored rows sorted by timestamp (toColumns, or the column cache). The
 * days take the block over: their bars (repeats and bars outside the session left out) are packed into it in
 * place, from its start.
 */
export function buildColumnDays(ticker: string, rows: Float64Array, session: SessionKind): TradingDay[] {
  const count = rows.length / FIELDS;
  const columns = rows;
  const seconds = new Int32Array(count);
  const days: TradingDay[] = [];
  let date: string | null = null;
  let start = 0;
  let problem: string | undefined;
  let n = 0;
  const endDay = () => {
    if (date !== null) days.push(new ColumnDay(date, n - start, ticker, columns, seconds, start, problem));
  };
  let lastTs = NaN;
  const row = [0, 0, 0, 0, 0, 0] as RawBar;
  for (let j = 0; j < count; j++) {
    const from = j * FIELDS;
    const ts = rows[from];
    // A source without the unique constraint may repeat a bar: the first copy stands.
    if (ts === lastTs) continue;
    lastTs = ts;
    const second = exchangeSecondOfDay(ts);
    if (!inSession(second, session)) continue;
    const d = exchangeDate(ts);
    if (d !== date) {
      endDay();
      date = d;
      start = n;
      problem = undefined;
    }
    // Never ahead of the row being read (n <= j): packing in place overwrites only rows already read.
    const at = n * FIELDS;
    for (let f = 0; f < FIELDS; f++) columns[at + f] = rows[from + f];
    if (problem === undefined && !isPlainGoodBar(columns, at)) {
      for (let f = 0; f < FIELDS; f++) row[f] = columns[at + f];
      problem = describeBadBar(row, timeOfDayAt(second));
    }
    seconds[n] = second;
    n++;
  }
  endDay();
  return days;
}

/** The days of a window with a value that is not a number, by the same rules as buildColumnDays. */
function buildStoredDays(ticker: string, raw: readonly RawBar[], session: SessionKind): TradingDay[] {
  const days: StoredDay[] = [];
  let current: StoredDay | null = null;
  let lastTs = NaN;
  for (const r of raw) {
    const ts = r[0];
    if (ts === lastTs) continue;
    lastTs = ts;
    const second = exchangeSecondOfDay(ts);
    if (!inSession(second, session)) continue;
    const date = exchangeDate(ts);
    if (current === null || current.date !== date) {
      current = new StoredDay(date, []);
      days.push(current);
    }
    current.problem ??= describeBadBar(r, timeOfDayAt(second));
    current.bars.push(Object.freeze({ ticker, timestamp: ts, time_of_day: timeOfDayAt(second), open: r[1], high: r[2], low: r[3], close: r[4], volume: r[5] }));
  }
  return days;
}

/**
 * describeBadBar's verdict for a bar of numbers, in a few comparisons: open and close within [low, high], low
 * positive, high and volume finite, volume not negative (all prices are then positive and finite). Any bar it
 * does not pass goes to describeBadBar, which names the problem (or finds none).
 */
function isPlainGoodBar(c: Float64Array, at: number): boolean {
  const high = c[at + 2];
  const low = c[at + 3];
  const volume = c[at + 5];
  return c[at + 1] >= low && c[at + 1] <= high && c[at + 4] >= low && c[at + 4] <= high && low > 0 && high < Infinity && volume >= 0 && volume < Infinity;
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
