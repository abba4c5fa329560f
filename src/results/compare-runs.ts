/**
 * `runs --compare A B`: what changed between two runs of a scanner, the question of every morning.
 *
 * Signals are matched by the engine's de-duplication key (ticker, date, time, direction: signal-order.ts). Only the dates
 * both runs covered are compared signal by signal, since a nightly "last 10 trading days" moves its window:
 * signals on dates only B covered are reported as `new_dates`, those only A covered as `dropped_dates`.
 * Run-level numbers are compared through RUN_METRICS, which takes the trade statistics marked `compared` in
 * the statistics registry (src/stats/statistics.ts): marking one there makes it appear as a delta; so does the All
 * column of the Performance Summary's rows marked `compared`.
 */
import type Database from 'better-sqlite3';
import { SIGNAL_ORDER_SQL, signalKey } from '../merge/signal-order.js';
import { listStatistics } from '../stats/statistics.js';
import { readRunRow, type RunRow } from './read-runs.js';

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

export interface RunComparison {
  a: RunRow;
  b: RunRow;
  /** Set when the runs are of different scanners: the diff is then of little use. */
  warning: string | null;
  overlap: { from: string; to: string } | null;
  /** In B, not in A, on dates both covered. */
  added: SignalKeyed[];
  /** In A, not in B, on dates both covered. */
  removed: SignalKeyed[];
  /** Same key, different strength or metrics. */
  changed: { a: SignalKeyed; b: SignalKeyed }[];
  unchanged: number;
  /** Signals of B on dates A did not cover, and of A on dates B did not cover. */
  new_dates: { signals: number; dates: string[] };
  dropped_dates: { signals: number; dates: string[] };
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
  const from = a.from_date > b.from_date ? a.from_date : b.from_date;
  const to = a.to_date < b.to_date ? a.to_date : b.to_date;
  const overlap = from <= to ? { from, to } : null;
  const inOverlap = (s: SignalKeyed) => overlap !== null && s.signal_date >= overlap.from && s.signal_date <= overlap.to;

  const sa = readKeyedSignals(db, a.id);
  const sb = readKeyedSignals(db, b.id);
  const added: SignalKeyed[] = [];
  const removed: SignalKeyed[] = [];
  const changed: { a: SignalKeyed; b: SignalKeyed }[] = [];
  let unchanged = 0;
  for (const [k, s] of sb) {
    if (!inOverlap(s)) continue;
    const before = sa.get(k);
    if (!before) added.push(s);
    else if (before.pattern_strength !== s.pattern_strength || JSON.stringify(before.metrics) !== JSON.stringify(s.metrics)) changed.push({ a: before, b: s });
    else unchanged++;
  }
  for (const [k, s] of sa) if (inOverlap(s) && !sb.has(k)) removed.push(s);

  const outside = (m: Map<string, SignalKeyed>) => {
    const rest = [...m.values()].filter((s) => !inOverlap(s));
    return { signals: rest.length, dates: [...new Set(rest.map((s) => s.signal_date))].sort() };
  };
  const [statsA, statsB] = [readRunStats(db, a.id), readRunStats(db, b.id)];
  const deltas = RUN_METRICS.map(({ metric, read }) => {
    const va = read(db, a, statsA);
    const vb = read(db, b, statsB);
    return { metric, a: va, b: vb, delta: va === null || vb === null ? null : vb - va };
  });
  return {
    a, b,
    warning: a.scanner_name === b.scanner_name ? null : `run #${a.id} is of ${a.scanner_name} (${a.scanner}), run #${b.id} of ${b.scanner_name} (${b.scanner})`,
    overlap, added, removed, changed, unchanged,
    new_dates: outside(sb), dropped_dates: outside(sa), deltas,
  };
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
