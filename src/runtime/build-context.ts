/**
 * Builds each ticker-day's DayContext (references, previous days, daily bars) from the store, in the worker.
 *
 * Cost: reference bars are read once per worker per task window and shared by every ticker of that window
 * (tasks of one window differ only in ticker, see plan-tasks.ts), not re-read per ticker. Previous days are
 * read once per task (the days of the window are each other's history), daily bars by one indexed query per
 * ticker-day. A reference's previous days and daily bars are its own (its trading days before the current
 * date), read once per window and shared like its bars. Everything here is the past or the current day's whole
 * data; replay and the day databases show the current day's references only up to the current bar (day-context.ts).
 */
import { exchangeDayStartMs, nextDate } from '../data/exchange-time.js';
import type { MarketStore, RawBar } from '../data/market-store.js';
import { DAILY_TIMEFRAME } from '../data/schema.js';
import { dailyBarDate } from '../data/daily-bar-date.js';
import { EMPTY_CONTEXT, type DayContext, type ReferenceDay } from '../day-db/day-context.js';
import type { Bar, DailyBar, SessionKind } from '../types.js';
import { buildDays, type TradingDay } from './build-days.js';
import type { ContextRequest, Task } from './task-types.js';

export { DAILY_TIMEFRAME, dailyBarDate };
/** Task windows whose reference bars a worker keeps (tasks arrive roughly window by window). */
const CACHED_WINDOWS = 4;
const DAY_MS = 86_400_000;
const EMPTY_BARS: readonly Bar[] = Object.freeze([]);
const EMPTY_DAILY: readonly DailyBar[] = Object.freeze([]);

export interface ContextSettings {
  request: ContextRequest;
  timeframe: string;
  session: SessionKind;
}

export interface ContextReader {
  /** For a task and its days (as buildDays made them): the context of its day `k`. */
  forTask(task: Task, days: readonly TradingDay[]): (k: number) => DayContext;
}

/** A reference's bars over a task window, and (with lookback-days) its trading days before the window. */
interface ReferenceWindow {
  byDate: Map<string, readonly Bar[]>;
  /** Its trading days, those before the window first, oldest first (empty without lookback-days). */
  days: readonly TradingDay[];
  /** Previous days and daily bars by the date they precede, built once per window and worker (frozen: shared). */
  history: Map<string, readonly Bar[]>;
  daily: Map<string, readonly DailyBar[]>;
}

export function createContextReader(store: MarketStore, s: ContextSettings): ContextReader {
  const { lookbackDays, dailyBars } = s.request;
  // Frozen: every ticker-day's context shares it (ctx.refs.tickers), so no scanner may add to it.
  const references = Object.freeze([...s.request.references]);
  const refCache = new Map<string, Map<string, ReferenceWindow>>();

  /** Reference bars of a task window, by ticker; read once per window and worker. */
  const readReferences = (fromDate: string, toDate: string) => {
    const key = `${fromDate}|${toDate}`;
    let byTicker = refCache.get(key);
    if (byTicker) return byTicker;
    byTicker = new Map();
    for (const ref of references) {
      const raw = store.readBars(ref, s.timeframe, exchangeDayStartMs(fromDate), exchangeDayStartMs(nextDate(toDate)));
      const inWindow = buildDays(ref, raw, s.session);
      const prior = lookbackDays > 0 ? readPriorDays(store, ref, fromDate, lookbackDays, s) : [];
      byTicker.set(ref, {
        byDate: new Map(inWindow.map((d) => [d.date, Object.freeze(d.bars)])),
        days: lookbackDays > 0 ? [...prior, ...inWindow] : [],
        history: new Map(),
        daily: new Map(),
      });
    }
    if (refCache.size >= CACHED_WINDOWS) refCache.delete(refCache.keys().next().value!);
    refCache.set(key, byTicker);
    return byTicker;
  };

  /** A reference's past as of `date`: its last lookback-days trading days before it, and its daily bars. */
  const referenceDay = (ref: string, w: ReferenceWindow | undefined, date: string): ReferenceDay => {
    let history = EMPTY_BARS;
    if (lookbackDays > 0 && w) {
      history = w.history.get(date) ?? Object.freeze(w.days.filter((d) => d.date < date).slice(-lookbackDays).flatMap((d) => d.bars));
      w.history.set(date, history);
    }
    let daily = EMPTY_DAILY;
    if (dailyBars > 0 && w) {
      daily = w.daily.get(date) ?? readDailyBars(store, ref, date, dailyBars);
      w.daily.set(date, daily);
    }
    return Object.freeze({ ticker: ref, bars: w?.byDate.get(date) ?? EMPTY_BARS, history, daily });
  };

  return {
    forTask(task, days) {
      if (references.length === 0 && lookbackDays === 0 && dailyBars === 0) return () => EMPTY_CONTEXT;
      const refs = references.length > 0 ? readReferences(task.fromDate, task.toDate) : null;
      const prior = lookbackDays > 0 ? readPriorDays(store, task.ticker, task.fromDate, lookbackDays, s) : [];
      const all = [...prior, ...days];
      return (k) => {
        const day = days[k];
        const refDays: ReferenceDay[] = [];
        if (refs) {
          for (const ref of references) if (ref !== task.ticker) refDays.push(referenceDay(ref, refs.get(ref), day.date));
        }
        const at = prior.length + k;
        const history = lookbackDays > 0 ? Object.freeze(all.slice(Math.max(0, at - lookbackDays), at).flatMap((d) => d.bars)) : EMPTY_BARS;
        const daily = dailyBars > 0 ? readDailyBars(store, task.ticker, day.date, dailyBars) : EMPTY_DAILY;
        return Object.freeze({ references, refs: Object.freeze(refDays), history, daily });
      };
    },
  };
}

/**
 * The ticker's last `n` trading days before `fromDate` (days on which it has bars in the session). Reads
 * a window sized for n weekdays, widening it until n days are found or the ticker's first bar is passed.
 */
export function readPriorDays(store: MarketStore, ticker: string, fromDate: string, n: number, s: Omit<ContextSettings, 'request'>): TradingDay[] {
  const end = exchangeDayStartMs(fromDate);
  const first = store.firstBarTime(ticker, s.timeframe);
  if (first === null || first >= end) return [];
  let spanDays = Math.ceil((n * 7) / 5) + 5;
  for (;;) {
    const start = end - spanDays * DAY_MS;
    const days = buildDays(ticker, store.readBars(ticker, s.timeframe, start, end), s.session);
    // The window's first day may be cut at its start (a DST day is not 24 h): drop it unless the ticker starts there.
    const whole = start > first ? days.slice(1) : days;
    if (whole.length >= n || start <= first) return whole.slice(-n);
    spanDays *= 2;
  }
}

/** The `n` daily bars of dates before `date`, oldest first: never the current day's, even if stored. */
export function readDailyBars(store: MarketStore, ticker: string, date: string, n: number): DailyBar[] {
  // A bar of `date` stamped at UTC midnight lies before New York midnight, so fetch one extra and filter.
  const raw: RawBar[] = store.readBarsBefore(ticker, DAILY_TIMEFRAME, exchangeDayStartMs(date), n + 1);
  const out: DailyBar[] = [];
  for (const r of raw) {
    const d = dailyBarDate(r[0]);
    if (d >= date) continue;
    out.push(Object.freeze({ ticker, date: d, timestamp: r[0], open: r[1], high: r[2], low: r[3], close: r[4], volume: r[5] }));
  }
  return Object.freeze(out.slice(-n)) as DailyBar[];
}
