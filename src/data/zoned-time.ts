/**
 * Wall-clock times of any IANA zone → epoch milliseconds, for CSV files whose timestamps carry no UTC offset
 * (`2025-11-03 09:30:00`, the commonest vendor format) imported with `--timezone`.
 *
 * Daylight saving makes the mapping partial: on the spring-forward day one hour of wall-clock times never
 * happens, and on the fall-back day one hour happens twice. Both are refused by the caller as bad rows, with the
 * reason: guessing which 01:30 a bar meant would put it an hour off without a word. Offsets are found through
 * Intl (the full tz database) and cached per quarter hour of UTC: every offset change since 1970 falls on one.
 */
import { BarwiseError } from '../errors.js';
import { findClosestWord } from '../text/closest-word.js';

const QUARTER_MS = 900_000;
const DAY_MS = 86_400_000;

export type WallClockResult = number | 'skipped' | 'repeated';

export interface ZoneClock {
  zone: string;
  /** Epoch ms of that wall-clock time in the zone; 'skipped' in a DST gap, 'repeated' in a DST overlap. */
  toEpochMs(year: number, month: number, day: number, hour: number, minute: number, second: number): WallClockResult;
}

/** The clock of an IANA zone; a zone Intl does not know is a usage error naming the closest zone. */
export function makeZoneClock(zone: string, option = '--timezone'): ZoneClock {
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    const close = findClosestWord(zone, Intl.supportedValuesOf('timeZone'));
    throw new BarwiseError('USAGE', `${option} "${zone}" is not a time zone${close ? `; did you mean ${close}?` : ''}`,
      `Pass an IANA zone name, e.g. ${option} America/New_York (the zone the file's wall-clock times are in).`);
  }
  const offsets = new Map<number, number>();
  const offsetAt = (ts: number): number => {
    const q = Math.floor(ts / QUARTER_MS);
    let o = offsets.get(q);
    if (o === undefined) {
      const p: Record<string, number> = {};
      for (const part of formatter.formatToParts(new Date(q * QUARTER_MS))) if (part.type !== 'literal') p[part.type] = Number(part.value);
      o = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - q * QUARTER_MS;
      offsets.set(q, o);
    }
    return o;
  };
  return {
    zone: formatter.resolvedOptions().timeZone,
    toEpochMs(year, month, day, hour, minute, second) {
      const wall = Date.UTC(year, month - 1, day, hour, minute, second);
      // The offsets in force a day either side bracket every change near this time; each gives a candidate
      // instant, which is right when the zone's offset there is the one assumed.
      const found = new Set<number>();
      for (const o of [offsetAt(wall - DAY_MS), offsetAt(wall + DAY_MS)]) {
        const ts = wall - o;
        if (offsetAt(ts) === o) found.add(ts);
      }
      if (found.size === 0) return 'skipped';
      if (found.size > 1) return 'repeated';
      return [...found][0];
    },
  };
}
