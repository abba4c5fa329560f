/**
 * The audit's order check: does a scanner's result for a ticker-day depend on what its worker ran before?
 *
 * barwise runs each ticker-day with nothing but its own bars and context, so a ticker-day's signals must be
 * the same whichever ticker-days the worker ran before it, in whatever order. A scanner that keeps state
 * in module-level variables breaks that (a cache keyed by date lets ticker B see ticker A's later bars of
 * the same day; a counter carries one day into the next) and its signals then change with --threads. Reading
 * the code cannot find it, so the check runs a sample of the realtime run's ticker-days again, each alone in
 * a fresh worker (a fresh module instance: nothing ran before it), and compares their signals with the run's.
 *
 * The sample: ticker-days with realtime or full-day signals, evenly spread over the total order (date,
 * ticker), and a quarter as many again without signals on dates that had some (where a leaked state could
 * have suppressed one). Deterministic for the same inputs. Each isolated run starts a worker (~0.5 s).
 */
import type { BacktestOptions } from '../config/backtest-options.js';
import { runBacktest } from '../engine/run-backtest.js';
import type { RunResult } from '../engine/run-result.js';
import type { Signal } from '../types.js';
import type { OrderCheck, OrderDependentDay } from './audit-types.js';

export async function checkTaskOrder(
  base: BacktestOptions,
  realtime: RunResult,
  fullDaySignals: readonly Signal[],
  sampleSize: number,
  signal?: AbortSignal,
): Promise<OrderCheck> {
  const sample = pickSample(realtime, fullDaySignals, sampleSize);
  const differing: OrderDependentDay[] = [];
  let checked = 0;
  for (const { ticker, date } of sample) {
    if (signal?.aborted) break;
    const { trade: _trade, tickersFile: _file, resume: _resume, ...rest } = base;
    const alone = await runBacktest({ ...rest, mode: 'realtime', tickers: [ticker], from: date, to: date, threads: 1, resultsDb: ':memory:' }, { signal });
    if (alone.run.status === 'interrupted') break;
    // A ticker-day that fails alone tells nothing about order; it is not counted as checked.
    if (alone.failures.length > 0) continue;
    checked++;
    const inRun = realtime.signals.filter((s) => s.ticker === ticker && s.signal_date === date);
    if (signature(inRun) !== signature(alone.signals)) {
      differing.push({ ticker, date, in_run: inRun.map(side), alone: alone.signals.map(side) });
    }
  }
  return { sample_size: sampleSize, checked, order_dependent: differing };
}

function pickSample(realtime: RunResult, fullDaySignals: readonly Signal[], size: number): { ticker: string; date: string }[] {
  if (size <= 0) return [];
  const key = (t: string, d: string) => `${d}|${t}`;
  const failed = new Set(realtime.failures.map((f) => key(f.ticker, f.date)));
  const withSignals = new Set<string>();
  for (const s of [...realtime.signals, ...fullDaySignals]) withSignals.add(key(s.ticker, s.signal_date));
  const dates = [...new Set([...withSignals].map((k) => k.split('|')[0]))];
  const without: string[] = [];
  for (const d of dates) for (const t of realtime.run.tickers) if (!withSignals.has(key(t, d))) without.push(key(t, d));
  const spread = (keys: string[], n: number) => {
    const sorted = keys.filter((k) => !failed.has(k)).sort();
    if (sorted.length <= n) return sorted;
    return Array.from({ length: n }, (_, i) => sorted[Math.floor(((i + 0.5) * sorted.length) / n)]);
  };
  const picked = [...spread([...withSignals], size), ...spread(without, Math.ceil(size / 4))];
  return picked.map((k) => {
    const [date, ticker] = k.split('|');
    return { ticker, date };
  });
}

function side(s: Signal) {
  return { signal_time: s.signal_time, timestamp: s.timestamp, direction: s.direction ?? null };
}

function signature(signals: readonly Signal[]): string {
  return JSON.stringify(signals.map((s) => [s.timestamp, s.direction ?? null, s.pattern_strength ?? null, s.metrics ?? null]));
}
