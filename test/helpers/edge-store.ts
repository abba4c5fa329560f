/**
 * A synthetic market with the cases that break naive engines: the DST change, a half day, missing bars,
 * a day shorter than the warmup, pre- and post-market bars, and stored time_of_day values in every
 * convention users' databases hold (none of which barwise may trust).
 */
import { makeDay, nyTime, writeStore, type TestBar } from './bars.js';

export const EDGE_TICKERS = ['AAA', 'BBB', 'CCC'];

export function edgeCaseBars(): TestBar[] {
  const bars: TestBar[] = [];
  for (const t of EDGE_TICKERS) {
    bars.push(...makeDay(t, '2025-10-30'));
    bars.push(...makeDay(t, '2025-10-31', { start: '04:00', slots: 192 })); // extended hours, last EDT day
    bars.push(...makeDay(t, '2025-11-03', { start: '04:00', slots: 192 })); // first EST day
    bars.push(...makeDay(t, '2025-11-04', { missing: [3, 10, 11, 40, 41, 42, 77] }));
    bars.push(...makeDay(t, '2025-11-26', { slots: 20 })); // shorter than a 30-bar warmup
    bars.push(...makeDay(t, '2025-11-28', { slots: 42 })); // early close
  }
  // CCC trades only on some days.
  return bars.filter((b) => b.ticker !== 'CCC' || b.timestamp < nyTime('2025-11-03', '00:00'));
}

/** Stored time_of_day in mixed, wrong conventions, as found in existing databases. */
export function messyTimeOfDay(b: TestBar): string | null {
  const d = new Date(b.timestamp);
  switch (b.timestamp / 300_000 % 4) {
    case 0: return d.toISOString().slice(11, 19); // UTC
    case 1: return new Date(b.timestamp - 5 * 3_600_000).toISOString().slice(11, 19); // fixed UTC-5
    case 2: return null;
    default: return d.toISOString().slice(11, 16); // HH:MM
  }
}

export function writeEdgeStore(file: string): TestBar[] {
  const bars = edgeCaseBars();
  writeStore(file, bars, { timeOfDay: messyTimeOfDay });
  return bars;
}
