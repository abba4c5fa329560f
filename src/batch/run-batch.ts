/**
 * runBatch: every job of a batch file as a run in the results database. Jobs run at most `concurrency` at
 * a time (p-limit) and share `maxThreads` (each job gets at most its share), so jobs side by side never
 * oversubscribe the cores. A job that fails is recorded and the batch goes on.
 *
 * A job with `sweep:` runs a sweep instead (run-sweep-job.ts), continued by its own key.
 *
 * Continuing: a job whose key (see resolve-job.ts) matches an earlier run continues that run (finished
 * ticker-days kept, failed ones retried) or, if it completed, is not run again. `resume: false` starts anew.
 */
import os from 'node:os';
import path from 'node:path';
import { checkOutputPaths } from '../config/check-output-paths.js';
import pLimit from 'p-limit';
import { performance } from 'node:perf_hooks';
import { BarwiseError } from '../errors.js';
import { DEFAULTS } from '../config/backtest-options.js';
import { runResolved } from '../engine/run-backtest.js';
import type { Progress, RunResult } from '../engine/run-result.js';
import type { BatchConfig } from './batch-config.js';
import { BatchStore } from './batch-store.js';
import { resolveJob, type ResolvedJob } from './resolve-job.js';
import type { JobStatus, JobSummary } from './job-summary.js';
import { runSweepJob } from './run-sweep-job.js';

export type { JobStatus, JobSummary } from './job-summary.js';

export interface BatchSummary {
  batch: { id: number; name: string; config: string; results_db: string; status: 'completed' | 'failed' | 'interrupted'; started_at: string; finished_at: string; wall_ms: number };
  counts: Record<JobStatus, number> & { jobs: number };
  jobs: JobSummary[];
}

export interface BatchRunOptions {
  /** Overrides the batch file's resultsDb. */
  resultsDb?: string;
  /** Overrides the batch file's maxThreads (default: available parallelism). */
  maxThreads?: number;
  /** Continue earlier runs of the same jobs (default true). */
  resume?: boolean;
  /** Run every job's tasks on the workers of this queue (not part of a job's key: it does not change results). */
  queue?: { url: string; secret: string };
}

export interface BatchHooks {
  /** `index`: the job's place in the batch file, 1-based, of `total`. */
  onJobStart?(job: { name: string; runId: number; resumed: boolean; from: string; to: string; index: number; total: number }): void;
  onJobEnd?(job: JobSummary): void;
  /** A running job's progress (RunHooks.onProgress), with the job's place in the batch file. */
  onJobProgress?(job: { name: string; index: number; total: number }, progress: Progress): void;
  /** Abort to stop: running jobs keep their finished ticker-days, queued jobs are not started. */
  signal?: AbortSignal;
}

const OK: ReadonlySet<JobStatus> = new Set(['completed', 'already-completed']);

export async function runBatch(config: BatchConfig, opts: BatchRunOptions = {}, hooks: BatchHooks = {}): Promise<BatchSummary> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const resultsDb = opts.resultsDb ?? (config.resultsDb ? path.resolve(path.dirname(config.file), config.resultsDb) : DEFAULTS.resultsDb);
  const maxThreads = opts.maxThreads ?? config.maxThreads ?? os.availableParallelism();
  const concurrency = Math.min(config.concurrency, maxThreads);
  const share = Math.max(1, Math.floor(maxThreads / concurrency));
  checkBatchPaths(config, resultsDb);
  const store = new BatchStore(resultsDb);
  try {
    const batchId = store.startBatch(config.name, config.file);
    const limit = pLimit(concurrency);

    const runJob = async (entry: BatchConfig['jobs'][number]): Promise<JobSummary> => {
      if (!entry.ok) {
        store.recordJob(batchId, entry.name, { status: 'failed', error: entry.error });
        return { name: entry.name, status: 'failed', run_id: null, resumed: false, error: entry.error };
      }
      const name = entry.job.name;
      if (hooks.signal?.aborted) {
        store.recordJob(batchId, name, { status: 'not-started' });
        return { name, status: 'not-started', run_id: null, resumed: false };
      }
      const started = performance.now();
      let job: ResolvedJob | null = null;
      let runId: number | null = null;
      let resumed = false;
      try {
        const since = { t0: performance.now(), startedAt: new Date().toISOString() };
        job = await resolveJob(entry.job, config, { resultsDb, threads: share, queue: opts.queue });
        if (entry.job.sweep) {
          const place = { name, index: config.jobs.indexOf(entry) + 1, total: config.jobs.length };
          return await runSweepJob({ ...entry.job, sweep: entry.job.sweep }, job, {
            store, batchId, resume: opts.resume !== false, place, signal: hooks.signal, onJobStart: hooks.onJobStart,
            onProgress: hooks.onJobProgress ? (p) => hooks.onJobProgress!(place, p) : undefined,
          });
        }
        const prior = opts.resume === false ? undefined : store.findLatestRun(job.key);
        if (prior?.status === 'completed') {
          store.recordJob(batchId, name, { key: job.key, runId: prior.runId, status: 'already-completed' });
          const c = store.readRunCounts(prior.runId);
          return {
            name, status: 'already-completed', run_id: prior.runId, resumed: false, scanner: job.options.scanner,
            from: c?.from_date, to: c?.to_date, ticker_days: c?.ticker_days, signals: c?.signal_count, failures: c?.failure_count, wall_ms: 0,
          };
        }
        const resolved = job;
        const onStart = (s: { runId: number; from: string; to: string }) => {
          runId = s.runId;
          store.recordJob(batchId, name, { key: resolved.key, runId: s.runId, status: 'running' });
          hooks.onJobStart?.({ name, runId: s.runId, resumed, from: s.from, to: s.to, index: config.jobs.indexOf(entry) + 1, total: config.jobs.length });
        };
        const place = { name, index: config.jobs.indexOf(entry) + 1, total: config.jobs.length };
        const onProgress = hooks.onJobProgress ? (p: Progress) => hooks.onJobProgress!(place, p) : undefined;
        let result: RunResult;
        resumed = prior !== undefined;
        try {
          result = await runResolved({ ...job.run, resume: prior?.runId ?? null }, { onStart, onProgress, signal: hooks.signal }, job.caller, since);
        } catch (err) {
          // The earlier run was made by another version or is gone: start this job afresh rather than fail it.
          if (!prior || !(err instanceof BarwiseError && (err.code === 'RESUME_MISMATCH' || err.code === 'RUN_NOT_FOUND'))) throw err;
          resumed = false;
          result = await runResolved({ ...job.run, resume: null }, { onStart, onProgress, signal: hooks.signal }, job.caller, since);
        }
        const status: JobStatus = result.run.status === 'error' ? 'failed' : result.run.status;
        store.recordJob(batchId, name, { status });
        return {
          name, status, run_id: result.run.id, resumed, scanner: job.options.scanner, from: result.run.from, to: result.run.to,
          tickers: result.run.tickers.length, ticker_days: result.run.counts.ticker_days, signals: result.signals.length,
          failures: result.failures.length, wall_ms: Math.round(performance.now() - started),
        };
      } catch (err) {
        const error = describeError(err);
        store.recordJob(batchId, name, { key: job?.key, runId: runId ?? undefined, status: 'failed', error });
        return { name, status: 'failed', run_id: runId, resumed, scanner: job?.options.scanner, error, wall_ms: Math.round(performance.now() - started) };
      }
    };

    const jobs = await Promise.all(config.jobs.map((entry) => limit(async () => {
      const summary = await runJob(entry);
      hooks.onJobEnd?.(summary);
      return summary;
    })));
    const counts = { jobs: jobs.length, completed: 0, 'already-completed': 0, partial: 0, failed: 0, interrupted: 0, 'not-started': 0 };
    for (const j of jobs) counts[j.status]++;
    const status = hooks.signal?.aborted ? 'interrupted' : jobs.every((j) => OK.has(j.status)) ? 'completed' : 'failed';
    const summary: BatchSummary = {
      batch: {
        id: batchId, name: config.name, config: config.file, results_db: resultsDb, status, started_at: startedAt,
        finished_at: new Date().toISOString(), wall_ms: Math.round(performance.now() - t0),
      },
      counts,
      jobs,
    };
    store.finishBatch(batchId, status, summary);
    return summary;
  } finally {
    store.close();
  }
}

function describeError(err: unknown): string {
  if (err instanceof BarwiseError) return err.hint ? `${err.message} (${err.hint})` : err.message;
  return (err as Error)?.message ?? String(err);
}

/** The results database must not be the batch file, or any job's database, scanner or tickers file. */
function checkBatchPaths(config: BatchConfig, resultsDb: string): void {
  const inDir = (p: string | undefined) => (p ? path.resolve(path.dirname(config.file), p) : '');
  const jobs = config.jobs.flatMap((e) => (e.ok ? [e.job] : []));
  checkOutputPaths([
    { option: '--config', path: config.file },
    { option: 'db (batch file)', path: inDir(config.db), sqlite: true },
    ...jobs.flatMap((j) => [
      { option: `jobs.${j.name}.db`, path: inDir(j.db), sqlite: true },
      { option: `jobs.${j.name}.scanner`, path: inDir(j.scanner) },
      { option: `jobs.${j.name}.universe.file`, path: typeof j.universe === 'object' && !Array.isArray(j.universe) ? inDir(j.universe.file) : '' },
    ]),
  ], [{ option: '--results-db', path: resultsDb, sqlite: true }]);
}
