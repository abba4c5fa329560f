/**
 * The benchmark: buying the benchmark ticker at the first session's first regular-session open and holding it
 * to the last session's last regular-session close, over the run's sessions. Its daily return is the session's
 * close over the previous close (the first session: over the open it was bought at). A session without bars of
 * the ticker keeps the previous price (a 0 return) and is counted in `missing_sessions`; when the first
 * sessions have none, the buy is at the first session that has bars. `excess_return_pct`: the strategy's total
 * return minus the benchmark's. Beta and correlation: beta-correlation.ts, strategy daily returns against
 * the benchmark's over every session (sessions without trades are 0-return days for the strategy).
 */
import { computeBetaCorrelation } from './beta-correlation.js';
import { computeMaxDrawdown } from './max-drawdown.js';

/** What the main thread read of the benchmark ticker from the market store (src/data/read-benchmark.ts). */
export interface BenchmarkSeries {
  ticker: string;
  /** The market database's file name, for notes. */
  source: string;
  /** The run's sessions in order, with the ticker's first regular-session open and last close (null: no bars). */
  sessions: { date: string; open: number | null; close: number | null }[];
  /** Why the ticker could not be read at all (the store could not be opened). */
  error?: string;
  /** Bars left out because the import would refuse them, each `DATE problem` (docs/trades.md). */
  rejected?: string[];
}

export interface BenchmarkStats {
  ticker: string;
  return_pct: number | null;
  max_drawdown_pct: number | null;
  excess_return_pct: number | null;
  beta: number | null;
  correlation: number | null;
  sessions: number;
  missing_sessions: number;
  /** Said with the figures: why there are none, or which sessions had no bars. */
  note: string | null;
}

/** The benchmark's price at the end of each session (null before it was bought) and where it was bought. */
export function priceBenchmark(series: BenchmarkSeries): { start: number | null; closes: (number | null)[] } {
  const first = series.sessions.findIndex((s) => s.open !== null && s.close !== null);
  if (first < 0) return { start: null, closes: series.sessions.map(() => null) };
  let price = series.sessions[first].open!;
  const start = price;
  const closes = series.sessions.map((s, i) => (i < first ? null : (price = s.close ?? price)));
  return { start, closes };
}

/**
 * The benchmark's equity at the end of each session, scaled so that it starts at `capital`: the line the
 * report draws beside the strategy's equity.
 */
export function buildBenchmarkEquity(series: BenchmarkSeries, capital: number): { date: string; equity: number }[] {
  const { start, closes } = priceBenchmark(series);
  return series.sessions.map((s, i) => ({ date: s.date, equity: start === null || closes[i] === null ? capital : (capital * closes[i]!) / start }));
}

export function computeBenchmark(series: BenchmarkSeries, strategyDaily: ReadonlyMap<string, number>, strategyReturnPct: number): BenchmarkStats {
  const n = series.sessions.length;
  const missing = series.sessions.filter((s) => s.close === null);
  const none = { ticker: series.ticker, return_pct: null, max_drawdown_pct: null, excess_return_pct: null, beta: null, correlation: null, sessions: n, missing_sessions: missing.length };
  if (series.error) return { ...none, note: `benchmark ${series.ticker} could not be read from ${series.source}: ${series.error}` };
  const { start, closes } = priceBenchmark(series);
  const rejected = series.rejected ?? [];
  if (start === null) {
    return { ...none, note: rejected.length > 0
      ? `benchmark ${series.ticker} has no usable bars in ${series.source}: ${rejected.length} bar(s) left out as the import would refuse them (first: ${rejected[0]})`
      : `benchmark ${series.ticker} is not in ${series.source}; pass --benchmark TICKER or none` };
  }
  const prices = [start, ...closes.filter((c): c is number => c !== null)];
  const last = prices[prices.length - 1];
  const returnPct = 100 * (last / start - 1);
  const bench: number[] = [];
  const strat: number[] = [];
  let prev = start;
  series.sessions.forEach((s, i) => {
    const c = closes[i];
    bench.push(c === null ? 0 : c / prev - 1);
    if (c !== null) prev = c;
    strat.push(strategyDaily.get(s.date) ?? 0);
  });
  const { beta, correlation } = computeBetaCorrelation(strat, bench);
  const notes: string[] = [];
  if (missing.length > 0) {
    notes.push(`benchmark ${series.ticker} has no bars on ${missing.length} of ${n} session(s) (first ${missing[0].date}); its price is carried over them (0 return)`);
  }
  if (rejected.length > 0) notes.push(`benchmark ${series.ticker}: ${rejected.length} bar(s) left out as the import would refuse them (first: ${rejected[0]})`);
  const note = notes.length > 0 ? notes.join('; ') : null;
  return {
    ...none, return_pct: returnPct, max_drawdown_pct: computeMaxDrawdown(prices).pct, excess_return_pct: strategyReturnPct - returnPct, beta, correlation, note,
  };
}
