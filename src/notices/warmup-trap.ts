/**
 * The warmup trap: realtime's first step is bar `warmup` (bar 30, 12:00, by default), and a scanner whose
 * condition already holds then (an opening-range breakout at 10:05) fires there, at the warmup's time, not the
 * signal's. When more than half of a run's signals (at least MIN_SIGNALS) are at the first step of their
 * ticker-day, the notice says so, with the share and a lower warmup to try.
 *
 * Which bar a signal is on is counted from the market data (days have gaps), for at most MAX_DAYS ticker-days
 * with signals, evenly spread over the total order: the share is then an estimate over those days.
 */
import { exchangeDayStartMs, exchangeTimeOfDay, nextDate } from '../data/exchange-time.js';
import { openMarketStore } from '../data/market-store.js';
import type { RunResult } from '../engine/run-result.js';
import type { RunPlan } from '../plan/run-plan.js';
import { sessionStamps } from '../runtime/build-days.js';
import type { Signal } from '../types.js';
import type { RunNotice } from './run-notice.js';

const MIN_SIGNALS = 3;
const MAX_DAYS = 2000;

export function checkWarmupTrap(result: RunResult, plan: RunPlan): RunNotice | null {
  const { warmup, mode, timeframe, session } = plan.options;
  // Full-day mode places signals where the scanner says (the audit sets those before the warmup apart).
  if (warmup === 0 || mode === 'full-day' || result.signals.length < MIN_SIGNALS) return null;
  const byDay = new Map<string, Signal[]>();
  for (const s of result.signals) {
    const key = `${s.signal_date}|${s.ticker}`;
    (byDay.get(key) ?? byDay.set(key, []).get(key)!).push(s);
  }
  const keys = [...byDay.keys()].sort();
  const picked = keys.length <= MAX_DAYS ? keys : Array.from({ length: MAX_DAYS }, (_, i) => keys[Math.floor(((i + 0.5) * keys.length) / MAX_DAYS)]);
  let counted = 0;
  let atFirst = 0;
  const firstTimes = new Map<string, number>();
  // Once half of the picked days' signals are known not to be at the first step, the notice cannot be due:
  // the rest need not be read (most runs, after a few days, instead of up to MAX_DAYS reads of a whole day).
  let total = 0;
  for (const key of picked) total += byDay.get(key)!.length;
  const store = openMarketStore(plan.db);
  try {
    for (const key of picked) {
      if ((counted - atFirst) * 2 >= total) return null;
      const [date, ticker] = key.split('|');
      // Timestamps only, from the index: reading whole bars of up to MAX_DAYS days cost ~0.3-1 s after the scan.
      const first = sessionStamps(store.readTimestamps(ticker, timeframe, exchangeDayStartMs(date), exchangeDayStartMs(nextDate(date))), session)[warmup];
      const signals = byDay.get(key)!;
      counted += signals.length;
      if (first === undefined) continue;
      const there = signals.filter((s) => s.timestamp === first).length;
      atFirst += there;
      const time = exchangeTimeOfDay(first);
      if (there > 0) firstTimes.set(time, (firstTimes.get(time) ?? 0) + there);
    }
  } finally {
    store.close();
  }
  if (counted === 0 || atFirst * 2 <= counted) return null;
  const share = Math.round((1000 * atFirst) / counted) / 10;
  const usual = [...firstTimes.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0].slice(0, 5);
  const sampled = picked.length < keys.length ? ` (counted on ${picked.length} of ${keys.length} ticker-days with signals)` : '';
  return {
    code: 'WARMUP_TRAP',
    message: `${atFirst} of ${counted} signals (${share}%) fired at the first step of their day (bar ${warmup}, ${usual} on most days)${sampled}: the scanner's condition already held when it first ran, so their time is the warmup's, not the signal's`,
    hint: `Lower --warmup to the bars the scanner needs before it can signal (e.g. --warmup 6 for a 30-minute opening range of 5-minute bars), or --warmup 0 if it copes with short days itself; declare it in the scanner to keep it (warmupBars, "-- warmup: N", "// barwise: warmup=N").`,
  };
}
