/**
 * `runs --compare A B`: what changed between two runs of a scanner, the question of every morning.
 *
 * Signals are matched by the engine's de-duplication key (ticker, date, time, direction: signal-order.ts). Only the
 * ticker-days both runs finished are compared signal by signal: a nightly "last 10 trading days" moves its window,
 * another universe scans other tickers, an interrupted run stopped part way, and none of that is a signal added or
 * removed. What only one run covered is reported apart (`only_a`, `only_b`), by reason: a ticker the other run
 * did not scan, a date outside its range, or a ticker-day it did not finish (interrupted, failed).
 * Run-level numbers are compared through RUN_METRICS, which takes the trade statistics marked `compared` in
 * the statistics registry (src/stats/statistics.ts): marking one there makes it appear as a delta; so does the All
 * column of the Performance Summary's rows marked `compared`.
 */
import type Database from 'better-sqlite3';
import { SIGNAL_ORDER_SQL, signalKey } from '../merge/signal-order.js';
import { listStatistics } from '../stats/statistics.js';
import { readFinishedDays, readRunInputs, readRunRow, type RunRow } from './read-runs.js';

export interface SignalKeyed {
  ticker: string;
  signal_date: string;
  signal_time: string;
  direction: string | null;
  pattern_strength: number | null;
  metrics: Record<string, unknown>;
}

export interface MetricDelta {
  metric: string;
  a: number | null;
  b: number | null;
  delta: number | null;
}

/** Ticker-days one run finished and the other did not, and why. */
export interface OneSided {
  ticker_days: number;
  /** The signals of this run on those ticker-days. */
  signals: number;
  /** Tickers the other run did not scan (another universe), and their ticker-days. */
  other_universe: { tickers: string[]; ticker_days: number };
  /** Dates outside the other run's range, and their ticker-days. */
  other_range: { dates: string[]; ticker_days: number };
  /** Ticker-days in the other run's universe and range that it did not finish (it was interrupted, or they failed). */
  unfinished: { dates: string[]; ticker_days: number };
}

export interface RunComparison {
  a: RunRow;
  b: RunRow;
  /** What differs between the runs besides the scanner's output (scanner, market DB, code, tickers, dates, status): the diff may mislead. */
  warnings: string[];
  /** First and last date of the ticker-days both runs finished; null when they share none. */
  overlap: { from: string; to: string } | null;
  /** Ticker-days both runs finished: the only ones compared signal by signal. */
  common_ticker_days: number;
  /** In B, not in A, on ticker-days both finished. */
  added: SignalKeyed[];
  /** In A, not in B, on ticker-days both finished. */
  removed: SignalKeyed[];
  /** Same key, different strength or metrics. */
  changed: { a: SignalKeyed; b: SignalKeyed }[];
  unchanged: number;
  /** What only A finished, and what only B finished. */
  only_a: OneSided;
  only_b: OneSided;
  deltas: MetricDelta[];
}

/** A run's recorded trade statistics (runs.stats_json), read once per run: null without trade rules. */
type RunStats = Record<string, unknown> | null;

export const RUN_METRICS: readonly { metric: string; read: (db: Database.Database, run: RunRow, stats: RunStats) => number | null }[] = [
  { metric: 'signals', read: (_db, r) => r.signal_count },
  { metric: 'failures', read: (_db, r) => r.failure_count },
  { metric: 'ticker_days', read: (_db, r) => r.ticker_days },
  { metric: 'long_signals', read: (db, r) => countDirection(db, r.id, 'LONG') },
  { metric: 'short_signals', read: (db, r) => countDirection(db, r.id, 'SHORT') },
  { metric: 'wall_ms', read: (_db, r) => (r.wall_ms === null ? null : Math.round(r.wall_ms)) },
  // Runs with trade rules (--trade): the registry's headline statistics, as recorded at the end of the run.
  ...listStatistics().filter((st) => st.compared).map(({ key: k }) => ({
    metric: k,
    read: (_db: Database.Database, _r: RunRow, stats: RunStats) => (typeof stats?.[k] === 'number' ? stats[k] as number : null),
  })),
  // The All column of the Performance Summary's compared rows, named `<statistic>.<row>` (summary.net_profit).
  ...listStatistics().filter((st) => st.unit === 'by-side').flatMap(({ key: k, rows }) => (rows ?? []).filter((row) => row.compared).map((row) => ({
    metric: `${k}.${row.key}`,
    read: (_db: Database.Database, _r: RunRow, stats: RunStats) => {
      const v = (stats?.[k] as { all?: Record<string, unknown> } | undefined)?.all?.[row.key];
      return typeof v === 'number' ? v : null;
    },
  }))),
];

function readRunStats(db: Database.Database, runId: number): RunStats {
  // Results databases written before runs had stats_json are opened read-only here: no column, no stats.
  const has = db.prepare("SELECT 1 FROM pragma_table_info('runs') WHERE name = 'stats_json'").pluck().get() !== undefined;
  const json = has ? db.prepare('SELECT stats_json FROM runs WHERE id = ?').pluck().get(runId) as string | null | undefined : null;
  return json ? JSON.parse(json) as Record<string, unknown> : null;
}

export function compareRuns(db: Database.Database, aId: number, bId: number): RunComparison {
  const a = readRunRow(db, aId);
  const b = readRunRow(db, bId);
  const [inA, inB] = [readRunInputs(db, a.id), readRunInputs(db, b.id)];
  const [daysA, daysB] = [readFinishedDays(db, a.id), readFinishedDays(db, b.id)];
  const common = new Set([...daysA].filter((d) => daysB.has(d)));
  const compared = (s: SignalKeyed) => common.has(`${s.ticker}|${s.signal_date}`);

  const sa = readKeyedSignals(db, a.id);
  const sb = readKeyedSignals(db, b.id);
  const added: SignalKeyed[] = [];
  const removed: SignalKeyed[] = [];
  const changed: { a: SignalKeyed; b: SignalKeyed }[] = [];
  let unchanged = 0;
  for (const [k, s] of sb) {
    if (!compared(s)) continue;
    const before = sa.get(k);
    if (!before) added.push(s);
    else if (before.pattern_strength !== s.pattern_strength || JSON.stringify(before.metrics) !== JSON.stringify(s.metrics)) changed.push({ a: before, b: s });
    else unchanged++;
  }
  for (const [k, s] of sa) if (compared(s) && !sb.has(k)) removed.push(s);

  const dates = [...common].map((d) => d.slice(d.indexOf('|') + 1)).sort();
  const [statsA, statsB] = [readRunStats(db, a.id), readRunStats(db, b.id)];
  const deltas = RUN_METRICS.map(({ metric, read }) => {
    const va = read(db, a, statsA);
    const vb = read(db, b, statsB);
    return { metric, a: va, b: vb, delta: va === null || vb === null ? null : vb - va };
  });
  return {
    a, b,
    warnings: describeDifferences(a, b, inA, inB),
    overlap: dates.length > 0 ? { from: dates[0], to: dates[dates.length - 1] } : null,
    common_ticker_days: common.size,
    added, removed, changed, unchanged,
    only_a: describeOneSided(daysA, common, sa, { ...inB, from: b.from_date, to: b.to_date }),
    only_b: describeOneSided(daysB, common, sb, { ...inA, from: a.from_date, to: a.to_date }),
    deltas,
  };
}

/** The ticker-days of `days` not in `common`, by why the other run (`other`) has none of them. */
function describeOneSided(
  days: ReadonlySet<string>, common: ReadonlySet<string>, signals: ReadonlyMap<string, SignalKeyed>,
  other: { tickers: readonly string[]; from: string; to: string },
): OneSided {
  const tickers = new Set(other.tickers);
  const universe = new Set<string>();
  const range = new Set<string>();
  const unfinished = new Set<string>();
  const counts = { universe: 0, range: 0, unfinished: 0 };
  const only = new Set<string>();
  for (const d of days) {
    if (common.has(d)) continue;
    only.add(d);
    const [ticker, date] = d.split('|');
    if (!tickers.has(ticker)) {
      universe.add(ticker);
      counts.universe++;
    } else if (date < other.from || date > other.to) {
      range.add(date);
      counts.range++;
    } else {
      unfinished.add(date);
      counts.unfinished++;
    }
  }
  const sorted = (x: Set<string>) => [...x].sort();
  return {
    ticker_days: only.size,
    signals: [...signals.values()].filter((s) => only.has(`${s.ticker}|${s.signal_date}`)).length,
    other_universe: { tickers: sorted(universe), ticker_days: counts.universe },
    other_range: { dates: sorted(range), ticker_days: counts.range },
    unfinished: { dates: sorted(unfinished), ticker_days: counts.unfinished },
  };
}

/** Differences that make a signal diff mean something else than "the scanner's output changed". */
function describeDifferences(a: RunRow, b: RunRow, inA: { db: string; tickers: string[]; scanner_sha256: string | null }, inB: typeof inA): string[] {
  const out: string[] = [];
  if (a.scanner_name !== b.scanner_name) out.push(`run #${a.id} is of ${a.scanner_name} (${a.scanner}), run #${b.id} of ${b.scanner_name} (${b.scanner})`);
  else if (inA.scanner_sha256 && inB.scanner_sha256 && inA.scanner_sha256 !== inB.scanner_sha256) out.push(`the scanner's code differs (${a.scanner_name}: SHA-256 ${inA.scanner_sha256.slice(0, 12)} in #${a.id}, ${inB.scanner_sha256.slice(0, 12)} in #${b.id})`);
  if (inA.db !== inB.db) out.push(`the market databases differ: ${inA.db} (#${a.id}), ${inB.db} (#${b.id})`);
  const [ta, tb] = [new Set(inA.tickers), new Set(inB.tickers)];
  const onlyA = inA.tickers.filter((t) => !tb.has(t)).length;
  const onlyB = inB.tickers.filter((t) => !ta.has(t)).length;
  if (onlyA + onlyB > 0) out.push(`the universes differ: ${onlyA} ticker(s) only in #${a.id}, ${onlyB} only in #${b.id}`);
  if (a.from_date !== b.from_date || a.to_date !== b.to_date) out.push(`the ranges differ: ${a.from_date} .. ${a.to_date} (#${a.id}), ${b.from_date} .. ${b.to_date} (#${b.id})`);
  for (const r of [a, b]) if (r.status !== 'completed') out.push(`run #${r.id} is ${r.status}`);
  return out;
}

function readKeyedSignals(db: Database.Database, runId: number): Map<string, SignalKeyed> {
  const rows = db.prepare(
    `SELECT ticker, signal_date, signal_time, direction, pattern_strength, metrics_json FROM signals
     WHERE run_id = ? ORDER BY ${SIGNAL_ORDER_SQL}`,
  ).all(runId) as (Omit<SignalKeyed, 'metrics'> & { metrics_json: string })[];
  const out = new Map<string, SignalKeyed>();
  for (const { metrics_json, ...s } of rows) {
    const key = signalKey(s);
    if (!out.has(key)) out.set(key, { ...s, metrics: JSON.parse(metrics_json) });
  }
  return out;
}

function countDirection(db: Database.Database, runId: number, direction: string): number {
  return db.prepare('SELECT COUNT(*) FROM signals WHERE run_id = ? AND direction = ?').pluck().get(runId, direction) as number;
}
