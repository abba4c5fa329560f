/**
 * Full-day mode takes the time a scanner says its signal happened (that is what a whole-day backtest
 * reported, and what a back-dated signal lies about). This finds the bar of the day that time names.
 *
 * `timestamp` wins over `signal_time` when both are given: it is exact. A timestamp may be epoch ms, epoch
 * seconds (legacy scripts often print `time.time()`), or an ISO-8601 string with an offset. `signal_time`
 * is a wall-clock time (`HH:MM`, `HH:MM:SS`, optionally after a date) in the reported time zone: exchange
 * time (America/New_York) unless the run says UTC (--reported-time-zone), for scripts that print UTC. The
 * signal's bar is the latest bar starting at or before that moment (the first bar when it is earlier than
 * every bar), so a time that falls inside a bar, or on a missing bar, names the bar in force then.
 *
 * A moment before the day's first bar starts or after its last bar ends is outside the session (a UTC time
 * read as New York time, "18:40"): the signal keeps the nearest bar but is flagged, never quietly moved.
 * A reported date that is not the ticker-day's (yesterday's bar, visible through --lookback-days) is not a
 * bar of this day at all: readReportedDay names it, and the step fails with SIGNAL_OUTSIDE_DAY (every mode).
 */
import { BarwiseError } from '../errors.js';
import { exchangeDate, exchangeOffsetMs, isValidDate } from '../data/exchange-time.js';
import type { Bar } from '../types.js';
import type { ReportedTimeZone } from '../config/backtest-options.js';

export type { ReportedTimeZone };

/** The metric a full-day signal carries when its reported time was outside the session: that time, as reported. */
export const OUTSIDE_SESSION_METRIC = 'reported_time_outside_session';

export interface ReportedBar {
  /** Index into the day's bars of the bar the scanner reported, or the fallback. */
  index: number;
  /** The reported time as the scanner wrote it, when that moment lies outside the day's bars; else null. */
  outsideSession: string | null;
}

/** 2000-01-01: a reported timestamp before it is not taken as a date (see checkReportedDay). */
const EARLIEST_DATE_MS = Date.UTC(2000, 0, 1);

interface ReportedMoment {
  ms: number;
  /** As the scanner wrote it, for messages. */
  text: string;
  /** Whether the scanner named a date (a timestamp, or a date before the time): only then can it name another day. */
  dated: boolean;
}

/** The bar the scanner reported (see the header), or `fallback` when it reported no usable time. */
export function resolveReportedBar(raw: unknown, bars: readonly Bar[], fallback: number, zone: ReportedTimeZone = 'America/New_York', barMs = 300_000): ReportedBar {
  if (bars.length === 0) return { index: fallback, outsideSession: null };
  const moment = readReportedMoment(raw, exchangeDate(bars[0].timestamp), zone);
  if (moment === null) return { index: fallback, outsideSession: null };
  const outside = moment.ms < bars[0].timestamp || moment.ms >= bars[bars.length - 1].timestamp + barMs;
  return { index: lastAtOrBefore(bars, (b) => b.timestamp <= moment.ms), outsideSession: outside ? moment.text : null };
}

/**
 * Refuses a signal that says it happened on another day than `date` (its `signal_date`, a dated `timestamp`
 * or a `signal_time` with a date): re-dating it to a bar of this day would invent a signal.
 */
export function checkReportedDay(raw: unknown, ticker: string, date: string, zone: ReportedTimeZone = 'America/New_York'): void {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return;
  const { signal_date: signalDate } = raw as { signal_date?: unknown };
  let named: { day: string; text: string; field: string } | null = null;
  if (typeof signalDate === 'string' && isValidDate(signalDate.trim().slice(0, 10)) && signalDate.trim().slice(0, 10) !== date) {
    named = { day: signalDate.trim().slice(0, 10), text: signalDate, field: 'signal_date' };
  } else {
    const moment = readReportedMoment(raw, date, zone);
    // A number that is no time of this century (a bar index, a count) dates nothing: it is left alone here.
    if (moment?.dated && moment.ms >= EARLIEST_DATE_MS && exchangeDate(moment.ms) !== date) {
      const { timestamp } = raw as { timestamp?: unknown };
      named = { day: exchangeDate(moment.ms), text: moment.text, field: parseTimestamp(timestamp) !== null ? 'timestamp' : 'signal_time' };
    }
  }
  if (!named) return;
  throw new BarwiseError('SIGNAL_OUTSIDE_DAY',
    `scanner reported a signal dated ${named.day} (${named.field} ${JSON.stringify(named.text)}) while scanning ${ticker} ${date}: it is not a bar of this ticker-day, and barwise does not re-date it`,
    `Report only signals of the day being scanned (SCAN_DATE, ctx.date): a scanner that reads previous days (--lookback-days) must leave their signals out; a field named timestamp, signal_date or signal_time dates the signal, so rename one that means something else${zone === 'UTC' ? '' : '; if the scanner prints UTC times, pass --reported-time-zone UTC'}.`);
}

function readReportedMoment(raw: unknown, date: string, zone: ReportedTimeZone): ReportedMoment | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const { timestamp, signal_time: signalTime } = raw as { timestamp?: unknown; signal_time?: unknown };
  const ts = parseTimestamp(timestamp);
  if (ts !== null) return { ms: ts, text: String(timestamp), dated: true };
  if (typeof signalTime !== 'string') return null;
  if (/(?:Z|[+-]\d{2}:?\d{2})$/.test(signalTime.trim())) {
    const exact = parseTimestamp(signalTime);
    if (exact !== null) return { ms: exact, text: signalTime, dated: true };
  }
  const wall = parseWallTime(signalTime);
  if (wall === null) return null;
  const day = wall.date ?? date;
  const ms = zone === 'UTC' ? Date.parse(`${day}T00:00:00Z`) + wall.second * 1000 : exchangeWallMs(day, wall.second);
  return { ms, text: signalTime, dated: wall.date !== null };
}

function parseTimestamp(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v < 1e11 ? v * 1000 : v;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const s = v.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return parseTimestamp(Number(s));
  // Only strings that carry their own offset: a bare "2025-11-03 10:05" is a wall-clock time, not UTC.
  if (!/(?:Z|[+-]\d{2}:?\d{2})$/.test(s)) return null;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : null;
}

/** `HH:MM[:SS]`, alone or after a date (`2025-11-03 10:05:00`, `2025-11-03T10:05`) → seconds of the day and the date. */
function parseWallTime(v: string): { second: number; date: string | null } | null {
  const m = /^(?:(\d{4}-\d{2}-\d{2})[T\s]+)?(?:.*[T\s])?(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$/.exec(v.trim());
  if (!m) return null;
  const [h, min, sec] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (h > 23 || min > 59 || sec > 59) return null;
  const date = m[1] && isValidDate(m[1]) ? m[1] : null;
  return { second: h * 3600 + min * 60 + sec, date };
}

/** Epoch ms of a New York wall-clock second on `date` (trading days have no DST change: one correction is exact). */
function exchangeWallMs(date: string, second: number): number {
  const naive = Date.parse(`${date}T00:00:00Z`) + second * 1000;
  let ts = naive - exchangeOffsetMs(naive);
  ts = naive - exchangeOffsetMs(ts);
  return ts;
}

function lastAtOrBefore(bars: readonly Bar[], ok: (b: Bar) => boolean): number {
  let found = 0;
  for (let i = 0; i < bars.length; i++) {
    if (ok(bars[i])) found = i;
    else break;
  }
  return found;
}
