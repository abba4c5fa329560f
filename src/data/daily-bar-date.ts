/**
 * The date a daily bar covers. Sources stamp daily bars at the session open, at New York midnight, or at
 * UTC midnight of the date (which is the evening before in New York): a stamp at exactly UTC midnight is
 * read as a bare date, anything else by its New York date.
 */
import { exchangeDate } from './exchange-time.js';

const DAY_MS = 86_400_000;

export function dailyBarDate(ts: number): string {
  return ts % DAY_MS === 0 ? new Date(ts).toISOString().slice(0, 10) : exchangeDate(ts);
}
