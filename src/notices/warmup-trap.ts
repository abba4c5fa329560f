/**
 * The warmup trap: realtime's first step is bar `warmup` (bar 30, 12:00, by default), and a scanner whose
 * condition already holds then (an opening-range breakout at 10:05) fires there, at the warmup's time, not the
 * signal's. When more than half of a run's signals (at least MIN_SIGNALS) are at the first step of their
 * ticker-day, the notice says so, with the share and a lower warmup to try.
 *
 * Which bar a signal is on is counted from the market data (days have gaps), for at most MAX_DAYS ticker-days
 * with signals, evenly spread over the total order: the share is then an estimate over those days. That bar
 * depends on the market data and the run options, not on the scanner: a sweep passes one FirstSteps to the
 * checks of all its scans, so a ticker-day is read once for all of them (each read ticker-day costs a query
 * and a day build: 16 scans of vwap-reclaim on 256 tickers spent 4.5 s of CPU here, a third of the sweep's).
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

/** The first step's bar start of ticker-days read so far, or null for a day without one. */
export type FirstSteps = Map<string, number | null>;

/** A ticker-day's key among a run's signals. */
const dayKey = (date: string, ticker: string) => `${date}|${ticker}`;
/** Its key in FirstSteps: the bar a key names depends on these options too (one FirstSteps may serve plans that differ in them). */
const optionsKey = (plan: RunPlan) => JSON.stringify([plan.db, plan.options.timeframe, plan.options.session, plan.options.warmup]);
const memoKey = (options: string, day: string) => `${options}|${day}`;

/**
 * Enters the first steps a run's workers found (DayOutcome.firstStep, kept with its days) into `firstSteps`, so
 * that the check reads the market only for days without one: the worker built the day's bars from the store
 * as sessionStamps counts them, so its bar `warmup` is the one a read would find. A 16-scan module sweep read
 * about 500 days per scan here (8k reads, 0.17 s of its single-threaded end).
 */
export function rememberFirstSteps(firstSteps: FirstSteps, plan: RunPlan, days: Iterable<{ ticker: string; date: string; firstStep: number | null | undefined }>): void {
  const options = optionsKey(plan);
  for (const d of days) if (d.firstStep !== undefined) firstSteps.set(memoKey(options, dayKey(d.date, d.ticker)), d.firstStep);
}

export function checkWarmupTrap(result: RunResult, plan: RunPlan, firstSteps: FirstSteps = new Map()): RunNotice | null {
  const { warmup, mode, timeframe, session } = plan.options;
  // Full-day mode places signals where the scanner says (the audit sets those before the warmup apart).
  if (warmup === 0 || mode === 'full-day' || result.signals.length < MIN_SIGNALS) return null;
  const byDay = new Map<string, Signal[]>();
  for (const s of result.signals) {
    const key = dayKey(s.signal_date, s.ticker);
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
  const options = optionsKey(plan);
  let store: ReturnType<typeof openMarketStore> | null = null;
  try {
    for (const key of picked) {
      if ((counted - atFirst) * 2 >= total) return null;
      const [date, ticker] = key.split('|');
      const memo = memoKey(options, key);
      let known = firstSteps.get(memo);
      if (known === undefined) {
        store ??= openMarketStore(plan.db);
        // Timestamps only, from the index: reading whole bars of up to MAX_DAYS days cost ~0.3-1 s after the scan.
        known = sessionStamps(store.readTimestamps(ticker, timeframe, exchangeDayStartMs(date), exchangeDayStartMs(nextDate(date))), session)[warmup] ?? null;
        firstSteps.set(memo, known);
      }
      const first = known ?? undefined;
      const signals = byDay.get(key)!;
      counted += signals.length;
      if (first === undefined) continue;
      const there = signals.filter((s) => s.timestamp === first).length;
      atFirst += there;
      const time = exchangeTimeOfDay(first);
      if (there > 0) firstTimes.set(time, (firstTimes.get(time) ?? 0) + there);
    }
  } finally {
    store?.close();
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
