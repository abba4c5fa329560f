/**
 * Exchange time (America/New_York) for epoch-millisecond timestamps.
 *
 * Every date and `time_of_day` barwise shows is derived here from `timestamp` alone: stored `time_of_day`
 * columns come in mixed conventions and are never trusted. The zone's offset changes only on whole UTC
 * hours, so it is looked up once per UTC hour through Intl (which carries the full tz database, historic
 * rules included) and cached: a few tens of nanoseconds per bar instead of a formatter call.
 */
export const EXCHANGE_TZ = 'America/New_York';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

// Made on first use, not as the module loads: the first Intl formatter of a process sets up ICU and its tz
// data (tens of milliseconds), and a command that converts no timestamp (`--help`, a usage error) need not wait for it.
let formatter: Intl.DateTimeFormat | undefined;
const zoneFormatter = () => (formatter ??= new Intl.DateTimeFormat('en-US', {
  timeZone: EXCHANGE_TZ,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
}));

const offsetByHour = new Map<number, number>();

/** Offset of exchange time from UTC at `ts`, in milliseconds (e.g. -4 h during EDT). */
export function exchangeOffsetMs(ts: number): number {
  const hour = Math.floor(ts / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    offset = computeOffset(hour * HOUR_MS);
    offsetByHour.set(hour, offset);
  }
  return offset;
}

function computeOffset(ts: number): number {
  const parts: Record<string, number> = {};
  for (const p of zoneFormatter().formatToParts(new Date(ts))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - ts;
}

const dateByDayNumber = new Map<number, string>();

/** Trading date (`YYYY-MM-DD`) of the bar starting at `ts`. */
export function exchangeDate(ts: number): string {
  const day = Math.floor((ts + exchangeOffsetMs(ts)) / DAY_MS);
  let date = dateByDayNumber.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dateByDayNumber.set(day, date);
  }
  return date;
}

/** Seconds since exchange-local midnight at `ts`. */
export function exchangeSecondOfDay(ts: number): number {
  const local = ts + exchangeOffsetMs(ts);
  return Math.floor((local - Math.floor(local / DAY_MS) * DAY_MS) / 1000);
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/** `HH:MM:SS` in exchange time. */
export function exchangeTimeOfDay(ts: number): string {
  return formatSecondOfDay(exchangeSecondOfDay(ts));
}

/** Seconds since midnight → `HH:MM:SS`. */
export function formatSecondOfDay(s: number): string {
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isValidDate(date: string): boolean {
  const m = DATE_RE.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === date;
}

/** Epoch ms of exchange-local midnight starting `date` (`YYYY-MM-DD`). */
export function exchangeDayStartMs(date: string): number {
  const naive = Date.parse(`${date}T00:00:00Z`);
  // Local midnight is never inside a DST gap in New York (changes happen at 02:00), so one correction
  // with the offset found near the guess, then a re-check, is exact.
  let ts = naive - exchangeOffsetMs(naive);
  ts = naive - exchangeOffsetMs(ts);
  return ts;
}

/** The date after `date`. */
export function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}
