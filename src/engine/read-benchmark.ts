/**
 * The benchmark ticker's prices over a run's sessions, read on the main thread once the run's days are
 * recorded: per session, the first regular-session open and the last regular-session close (a date whose
 * bars all lie outside the regular session, a daily bar, uses them all). Point-in-time does not matter here:
 * the benchmark is a comparison line, never seen by a scanner. A bar the import would refuse (a NULL or
 * non-positive price) is left out and named in `rejected`, so no return is computed on it. A store that
 * cannot be read gives a series with `error` set, never a failed run: the run's results are already recorded.
 */
import path from 'node:path';
import { exchangeDate, exchangeDayStartMs, exchangeSecondOfDay, exchangeTimeOfDay, nextDate } from '../data/exchange-time.js';
import { openMarketStore, type RawBar } from '../data/market-store.js';
import { describeBadBar, inSession } from '../runtime/build-days.js';
import type { BenchmarkSeries } from '../stats/benchmark.js';

export function readBenchmarkSeries(dbPath: string, ticker: string, timeframe: string, dates: readonly string[]): BenchmarkSeries {
  const sorted = [...new Set(dates)].sort();
  const source = path.basename(dbPath);
  const empty = sorted.map((date) => ({ date, open: null, close: null }));
  if (sorted.length === 0) return { ticker, source, sessions: empty };
  let raw: RawBar[];
  try {
    const store = openMarketStore(dbPath);
    try {
      raw = store.readBars(ticker, timeframe, exchangeDayStartMs(sorted[0]), exchangeDayStartMs(nextDate(sorted[sorted.length - 1])));
    } finally {
      store.close();
    }
  } catch (err) {
    return { ticker, source, sessions: empty, error: (err as Error).message };
  }
  const byDate = new Map<string, { all: RawBar[]; regular: RawBar[] }>();
  const rejected: string[] = [];
  for (const bar of raw) {
    const date = exchangeDate(bar[0]);
    const problem = describeBadBar(bar, exchangeTimeOfDay(bar[0]));
    if (problem) {
      rejected.push(`${date} ${problem}`);
      continue;
    }
    let day = byDate.get(date);
    if (!day) byDate.set(date, (day = { all: [], regular: [] }));
    day.all.push(bar);
    if (inSession(exchangeSecondOfDay(bar[0]), 'regular')) day.regular.push(bar);
  }
  return {
    ticker, source,
    ...(rejected.length > 0 ? { rejected } : {}),
    sessions: sorted.map((date) => {
      const day = byDate.get(date);
      const bars = day ? (day.regular.length > 0 ? day.regular : day.all) : [];
      return bars.length === 0 ? { date, open: null, close: null } : { date, open: bars[0][1], close: bars[bars.length - 1][4] };
    }),
  };
}
