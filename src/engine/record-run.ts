/**
 * Recording a run: each task's days as they come (merged centrally, so completion order never shows), the
 * failures of days whose worker died, and at the end the portfolio pass over every recorded candidate trade
 * and the run's result, read back from what was recorded so that a continued run reports (and trades) all of
 * its days, not only this session's.
 */
import type { ErrorData } from '../errors.js';
import { mergeSignals } from '../merge/merge-signals.js';
import type { ResultsDb } from '../results/results-db.js';
import type { TradeRules } from '../config/trade-rules.js';
import { readBenchmarkSeries } from './read-benchmark.js';
import { computeStats } from '../stats/compute-stats.js';
import type { Task, TaskResult } from '../runtime/task-types.js';
import type { Failure, Signal } from '../types.js';
import type { KeptCandidates } from '../portfolio/kept-candidates.js';
import { formatInstant, runPortfolioPass } from '../portfolio/portfolio-pass.js';
import { windowLabel } from './supervise-run.js';
import type { RunCounts, RunInfo, RunResult, RunStatus } from './run-result.js';

export interface TaskRecorder {
  /**
   * Records what a task answered: its days, signals, trades and failures. `merged`: the days' signals as
   * mergeSignals gives them, when the caller has them already (a sweep's combinations sharing a scan).
   */
  record(task: Task, res: TaskResult, merged?: Signal[]): void;
  /** Records a failure for one day of a task whose worker died, outside any task result. */
  recordLost(task: Task, date: string | null, error: ErrorData): void;
}

/** Records into run `runId`, counting into `counts` as it goes; and into `kept`, when given, the days and candidates recorded. */
export function createTaskRecorder(results: ResultsDb, runId: number, counts: RunCounts, onFailure?: (f: Failure) => void, kept?: KeptCandidates): TaskRecorder {
  return {
    record: (task, res, premerged) => {
      const failures: Failure[] = [];
      const found: Signal[] = [];
      if (!res.ok) {
        failures.push({ ticker: task.ticker, date: windowLabel(task), ...res.error });
      } else {
        for (const d of res.days) {
          counts.ticker_days++;
          counts.steps += d.steps;
          counts.longest_day_bars = Math.max(counts.longest_day_bars, d.bars);
          if (d.skipped) counts.ticker_days_skipped++;
          if (d.error) {
            counts.ticker_days_failed++;
            failures.push({ ticker: task.ticker, date: d.date, ...d.error });
          }
          if (!premerged) for (const s of d.signals) found.push(s);
        }
      }
      const merged = premerged ?? mergeSignals(found);
      results.recordTask(runId, task.ticker, res.ok ? res.days : [], merged, failures);
      if (res.ok) kept?.keep(task.ticker, res.days);
      counts.signals += merged.length;
      counts.failures += failures.length;
      for (const f of failures) onFailure?.(f);
    },
    recordLost: (task, date, error) => {
      const f: Failure = { ticker: task.ticker, date: date ?? windowLabel(task), ...error };
      results.recordTask(runId, task.ticker, [], [], [f]);
      counts.failures++;
      if (date) {
        counts.ticker_days++;
        counts.ticker_days_failed++;
      }
      onFailure?.(f);
    },
  };
}

export interface RunEnd {
  status: RunStatus;
  /** The run's inputs as RunInfo shows them. */
  inputs: Omit<RunInfo, 'id' | 'status' | 'results_db' | 'counts' | 'timings'>;
  resultsDb: string;
  counts: RunCounts;
  /** Steps of the ticker-days kept from the run this one resumes: not done in this session's time. */
  stepsKept: number;
  maxSignals: number | undefined;
  trade: TradeRules | null;
  /** The run's days and candidates as recorded, when it recorded all of them (kept-candidates.ts); else they are read back. */
  kept?: KeptCandidates | null;
  /**
   * The run's signals as another run finished with the same recorded signals read them back (a sweep's
   * combinations sharing a scan): not read again.
   */
  signals?: Signal[];
  startedAt: string;
  /** performance.now() when the run started resolving, and when its tasks started. */
  t0: number;
  scanStart: number;
  setupMs: number;
}

/** Caps the run's signals, marks it finished with its status, and reads its result back. */
export function finishRecording(results: ResultsDb, runId: number, end: RunEnd, now: () => number): RunResult {
  const { counts, trade } = end;
  // Capping is safe to resume from: the first N of (kept ∪ later) signals are among the first N kept and the later ones.
  if (end.maxSignals !== undefined) results.capSignals(runId, end.maxSignals);
  const signals = end.signals ?? results.readSignals(runId);
  const failures = results.readFailures(runId);
  counts.signals = signals.length;
  // The portfolio pass runs over every candidate of the run, also those recorded before a resume: a resumed
  // run trades exactly as an uninterrupted one.
  let pass: ReturnType<typeof runPortfolioPass> | null = null;
  try {
    if (trade) pass = runPortfolioPass(end.kept ? end.kept.columns() : results.readCandidates(runId), trade);
  } catch (err) {
    // Candidates the pass cannot read (a results file changed outside barwise): the run ends as an error, not
    // as `running`, with everything it recorded kept.
    results.finishRun(runId, {
      status: 'error', finished_at: new Date().toISOString(), ticker_days: counts.ticker_days, steps: counts.steps,
      signal_count: signals.length, failure_count: failures.length, wall_ms: now() - end.t0,
    });
    throw err;
  }
  // Untraded counts and session spans come from the recorded days, so a continued run counts all of them
  // (a run that recorded all of them itself kept them: kept-candidates.ts).
  const tradeContext = trade ? (end.kept ? end.kept.tradeContext() : results.readTradeContext(runId)) : null;
  const benchmark = trade?.benchmark && tradeContext
    ? readBenchmarkSeries(end.inputs.db, trade.benchmark, end.inputs.timeframe, [...tradeContext.sessions.keys()])
    : undefined;
  const untraded = pass && tradeContext ? addCounts(tradeContext.untraded, pass.untraded) : {};
  const stats = trade && pass && tradeContext
    ? computeStats({
      trades: pass.trades, signals: signals.length, untraded, sessions: tradeContext.sessions, capital: trade.capital,
      equity: pass.equity, ruinedAt: formatInstant(pass.ruinedAt), benchmark,
    })
    : undefined;
  const wallMs = now() - end.t0;
  const scanMs = now() - end.scanStart;
  const finishedAt = new Date().toISOString();
  results.finishRun(runId, {
    status: end.status, finished_at: finishedAt, ticker_days: counts.ticker_days, steps: counts.steps,
    signal_count: signals.length, failure_count: failures.length, wall_ms: wallMs, stats,
    ...(pass ? { portfolio: { trades: pass.trades, equity: pass.equity } } : {}),
  });
  const run: RunInfo = {
    id: runId,
    status: end.status,
    ...end.inputs,
    results_db: end.resultsDb,
    counts,
    timings: {
      started_at: end.startedAt,
      finished_at: finishedAt,
      wall_ms: round(wallMs),
      setup_ms: round(end.setupMs),
      scan_ms: round(scanMs),
      // This session's speed: a resumed run's kept steps took none of its time.
      steps_per_s: scanMs > 0 ? Math.round((Math.max(0, counts.steps - end.stepsKept) * 1000) / scanMs) : 0,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    },
  };
  return { run, signals, failures, finishedDays: end.kept ? end.kept.finishedDays() : results.readFinishedDays(runId), ...(pass ? { trades: pass.trades, equity: pass.equity, stats } : {}), ...(benchmark ? { benchmark } : {}) };
}

function addCounts(a: Readonly<Record<string, number>>, b: Readonly<Partial<Record<string, number>>>): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) if (v) out[k] = (out[k] ?? 0) + v;
  return out;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
