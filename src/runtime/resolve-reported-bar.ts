/**
 * Full-day mode takes the time a scanner says its signal happened (that is what a whole-day backtest
 * reported, and what a back-dated signal lies about). This finds the bar of the day that time names.
 *
 * `timestamp` wins over `signal_time` when both are given: it is exact. A timestamp may be epoch ms, epoch
 * seconds (legacy scripts often print `time.time()`), or an ISO-8601 string with an offset. `signal_time`
 * is an exchange wall-clock time (`HH:MM`, `HH:MM:SS`, optionally after a date). The signal's bar is the
 * latest bar starting at or before that moment (the first bar when it is earlier than every bar), so a time
 * that falls inside a bar, or on a missing bar, names the bar in force then.
 */
import type { Bar } from '../types.js';

/** Index into `bars` of the bar the scanner reported, or `fallback` when it reported no usable time. */
export function resolveReportedBar(raw: unknown, bars: readonly Bar[], fallback: number): number {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || bars.length === 0) return fallback;
  const { timestamp, signal_time: signalTime } = raw as { timestamp?: unknown; signal_time?: unknown };
  const ts = parseTimestamp(timestamp) ?? (typeof signalTime === 'string' && /(?:Z|[+-]\d{2}:?\d{2})$/.test(signalTime.trim()) ? parseTimestamp(signalTime) : null);
  if (ts !== null) return lastAtOrBefore(bars, (b) => b.timestamp <= ts);
  const time = typeof signalTime === 'string' ? parseWallTime(signalTime) : null;
  if (time !== null) return lastAtOrBefore(bars, (b) => b.time_of_day <= time);
  return fallback;
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

/** `HH:MM[:SS]`, alone or after a date (`2025-11-03 10:05:00`, `2025-11-03T10:05`) → `HH:MM:SS`. */
function parseWallTime(v: string): string | null {
  const m = /(?:^|[T\s])(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$/.exec(v.trim());
  if (!m) return null;
  const [h, min, sec] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (h > 23 || min > 59 || sec > 59) return null;
  return `${pad(h)}:${pad(min)}:${pad(sec)}`;
}

function lastAtOrBefore(bars: readonly Bar[], ok: (b: Bar) => boolean): number {
  let found = 0;
  for (let i = 0; i < bars.length; i++) {
    if (ok(bars[i])) found = i;
    else break;
  }
  return found;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
