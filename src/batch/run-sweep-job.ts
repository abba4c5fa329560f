/**
 * A batch job with `sweep:` runs runSweep over the job's scanner, universe and range, its `options` applying
 * to every combination. Its key hashes the job's run plan (scanner, bars, tickers, dates, options) with the
 * sweep's keys, so the same key is the same sweep. Continuing: a key whose latest sweep completed is not run
 * again (its best combination is read back from the results database); an unfinished one (stopped, killed, a
 * combination with failed ticker-days) is continued as `sweep --resume S` continues it: its combinations' runs
 * reopened, the ticker-days every one of them finished kept and not scanned again, failed ones retried. A
 * recorded sweep that cannot be continued as it is (its runs gone, or recorded by another version) is run
 * afresh rather than fail the job. The summary names the best combination.
 *
 * The sweep's keys are checked here, before anything runs, with messages naming them where they are in the
 * batch file (`jobs[1].sweep.objective`, `jobs[1].sweep.grid.or_bars`); the run options were checked by
 * resolveJob, naming `jobs[1].options.X`.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { BarwiseError } from '../errors.js';
import type { Caller } from '../config/options.js';
import type { Progress } from '../engine/run-result.js';
import { canonicalJson, hashPlan, type RunPlan } from '../plan/run-plan.js';
import { buildGrid } from '../sweep/build-grid.js';
import { parseParamSpec, type SweepParamType } from '../sweep/parse-param-spec.js';
import { rankCombinations } from '../sweep/rank-combinations.js';
import { runSweep } from '../sweep/run-sweep.js';
import { readParamDecls } from '../sweep/prepare-sweep.js';
import { resolveSweepOptions, type SweepOptions, type SweepResult } from '../sweep/sweep-options.js';
import type { JobConfig, JobSweep } from './batch-config.js';
import type { BatchStore } from './batch-store.js';
import type { ResolvedJob } from './resolve-job.js';
import type { JobSummary, SweepJobSummary } from './job-summary.js';

/** The job's identity: its run plan's hash and the sweep's keys. */
export function hashSweepJob(plan: RunPlan, sweep: JobSweep): string {
  return createHash('sha256').update(canonicalJson({ plan: hashPlan(plan), sweep })).digest('hex').slice(0, 16);
}

/** Checks the sweep's keys and grid against the scanner's parameters; the number of combinations it makes. */
export async function checkSweepJob(job: JobConfig & { sweep: JobSweep }, resolved: ResolvedJob): Promise<number> {
  const at = `jobs[${job.index}].sweep`;
  const caller: Caller = { kind: 'batch', at };
  try {
    const o = resolveSweepOptions({ ...job.sweep } as SweepOptions, caller);
    const decls = await readParamDecls(resolved.run.source);
    const declared = new Map<string, SweepParamType>(decls.map((d) => [d.name, d.type]));
    const specs = Object.entries(job.sweep.grid).map(([name, v]) => parseParamSpec(`${name}=${typeof v === 'string' ? v : v.join(',')}`, declared));
    return buildGrid(specs, o.samples === null ? undefined : { samples: o.samples, seed: o.seed }).length;
  } catch (err) {
    if (!(err instanceof BarwiseError)) throw err;
    // The grid's messages name a parameter as the CLI writes it (`--param or_bars …`): here it is a key of the grid.
    throw new BarwiseError(err.code, err.message.replace(/^--param ([^\s=:]+)/, `${at}.grid.$1`).replace(/^--samples/, `${at}.samples`), err.hint);
  }
}

export interface SweepJobContext {
  store: BatchStore;
  batchId: number;
  resume: boolean;
  /** As BatchHooks' (run-batch.ts), for this job. */
  onJobStart?(job: { name: string; runId: number; resumed: boolean; from: string; to: string; index: number; total: number }): void;
  onProgress?(progress: Progress): void;
  signal?: AbortSignal;
  place: { name: string; index: number; total: number };
}

export async function runSweepJob(job: JobConfig & { sweep: JobSweep }, resolved: ResolvedJob, ctx: SweepJobContext): Promise<JobSummary> {
  const started = performance.now();
  const { store, batchId, place } = ctx;
  const name = job.name;
  const key = hashSweepJob(resolved.plan, job.sweep);
  let runId: number | null = null;
  try {
    await checkSweepJob(job, resolved);
    const prior = ctx.resume ? store.findLatestSweep(key) : undefined;
    const objective = resolveSweepOptions({ ...job.sweep } as SweepOptions, { kind: 'batch', at: `jobs[${job.index}].sweep` }).objective;
    if (prior?.status === 'completed') return readCompletedSweep(store, batchId, name, key, prior.sweepId, objective, job.sweep.minTrades ?? 0, resolved);
    let resumed = prior !== undefined;
    const hooks = {
      onStart: (s: { runIds: number[]; from: string; to: string }) => {
        runId = s.runIds[0];
        store.recordJob(batchId, name, { key, runId: s.runIds[0], status: 'running' });
        ctx.onJobStart?.({ name, runId: s.runIds[0], resumed, from: s.from, to: s.to, index: place.index, total: place.total });
      },
      onProgress: ctx.onProgress,
      signal: ctx.signal,
    };
    const options = { ...resolved.options, ...job.sweep };
    let sweep: SweepResult;
    try {
      sweep = await runSweep(prior ? { ...options, resume: prior.sweepId } : options, hooks, resolved.caller);
    } catch (err) {
      // Refused before anything was written (resume-sweep.ts checks every combination first): start afresh.
      if (!prior || !(err instanceof BarwiseError && (err.code === 'RESUME_MISMATCH' || err.code === 'RUN_NOT_FOUND'))) throw err;
      resumed = false;
      sweep = await runSweep(options, hooks, resolved.caller);
    }
    const status = sweep.status === 'error' ? 'failed' : sweep.status;
    const summary = summariseSweep(sweep);
    const best = sweep.combinations.find((c) => c.index === sweep.ranking[0]);
    store.recordJob(batchId, name, { runId: summary.best?.run_id ?? runId ?? undefined, status });
    const c0 = sweep.combinations[0].result;
    return {
      name, status, run_id: summary.best?.run_id ?? null, resumed, scanner: resolved.options.scanner, from: c0.run.from, to: c0.run.to,
      tickers: c0.run.tickers.length, ticker_days: c0.run.counts.ticker_days, signals: best?.result.signals.length ?? 0,
      failures: sweep.combinations.reduce((a, c) => a + c.result.failures.length, 0), wall_ms: Math.round(performance.now() - started), sweep: summary,
    };
  } catch (err) {
    const error = `job ${name}: ${err instanceof BarwiseError && err.hint ? `${err.message} (${err.hint})` : (err as Error).message}`;
    store.recordJob(batchId, name, { key, runId: runId ?? undefined, status: 'failed', error });
    return { name, status: 'failed', run_id: runId, resumed: false, scanner: resolved.options.scanner, error, wall_ms: Math.round(performance.now() - started) };
  }
}

function summariseSweep(sweep: SweepResult): SweepJobSummary {
  const best = sweep.combinations.find((c) => c.index === sweep.ranking[0]) ?? null;
  return {
    sweep_id: sweep.sweepId, combinations: sweep.combinations.length, objective: sweep.objective,
    best: best && { run_id: best.result.run.id, values: best.values, objective: best.objective, trades: best.trades },
    walk_forward_objective: sweep.overfitting.walkForward?.outOfSample.objective ?? null,
    pbo: sweep.overfitting.pbo && { pbo: sweep.overfitting.pbo.pbo, verdict: sweep.overfitting.pbo.verdict.level },
  };
}

/** A sweep an earlier batch completed: its ranking again, from its runs' statistics and trades. */
function readCompletedSweep(
  store: BatchStore, batchId: number, name: string, key: string, sweepId: number, objective: string, minTrades: number, resolved: ResolvedJob,
): JobSummary {
  const combinations = store.readSweepCombinations(sweepId, objective);
  const ranking = rankCombinations(combinations.map((c) => ({ index: c.index, objective: c.objective, belowMinTrades: c.trades < minTrades })));
  const best = combinations.find((c) => c.index === ranking[0])!;
  store.recordJob(batchId, name, { key, runId: best.runId, status: 'already-completed' });
  return {
    name, status: 'already-completed', run_id: best.runId, resumed: false, scanner: resolved.options.scanner, from: best.from, to: best.to,
    ticker_days: best.tickerDays, signals: best.signals, failures: combinations.reduce((a, c) => a + c.failures, 0), wall_ms: 0,
    sweep: {
      sweep_id: sweepId, combinations: combinations.length, objective,
      best: { run_id: best.runId, values: best.values, objective: best.objective, trades: best.trades }, walk_forward_objective: null, pbo: null,
    },
  };
}
