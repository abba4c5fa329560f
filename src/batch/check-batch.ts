/**
 * `batch --check`: everything a batch would find wrong before scanning a bar, and the plan of each job's run.
 * Each job goes through the same resolveRun as the real batch (scanner, tickers, reference tickers, dates,
 * context, trade rules; a sweep job's grid against its scanner's parameters), so a job the check passes does not fail at 3 a.m. for a reason it could have seen.
 */
import os from 'node:os';
import { BarwiseError } from '../errors.js';
import { hashPlan, type RunPlan } from '../plan/run-plan.js';
import type { BatchConfig } from './batch-config.js';
import { resolveJob } from './resolve-job.js';
import { checkSweepJob, hashSweepJob } from './run-sweep-job.js';

export interface JobCheck {
  name: string;
  ok: boolean;
  scanner?: string;
  from?: string;
  to?: string;
  tickers?: number;
  threads?: number;
  /** The run plan the job would run, and its hash (the run's identity). */
  plan_hash?: string;
  plan?: RunPlan;
  /** A sweep job: how many combinations it runs, and its key (the plan's hash with the sweep's keys). */
  sweep?: { combinations: number; key: string };
  error?: string;
}

export async function checkBatch(config: BatchConfig, opts: { maxThreads?: number } = {}): Promise<JobCheck[]> {
  const maxThreads = opts.maxThreads ?? config.maxThreads ?? os.availableParallelism();
  const share = Math.max(1, Math.floor(maxThreads / Math.min(config.concurrency, maxThreads)));
  const out: JobCheck[] = [];
  for (const entry of config.jobs) {
    if (!entry.ok) {
      out.push({ name: entry.name, ok: false, error: entry.error });
      continue;
    }
    try {
      const resolved = await resolveJob(entry.job, config, { resultsDb: ':memory:', threads: share });
      const { plan } = resolved;
      const sweep = entry.job.sweep
        ? { combinations: await checkSweepJob({ ...entry.job, sweep: entry.job.sweep }, resolved), key: hashSweepJob(plan, entry.job.sweep) }
        : undefined;
      out.push({
        name: entry.job.name, ok: true, scanner: `${plan.scanner.name} (${plan.scanner.path})`, from: plan.universe.from, to: plan.universe.to,
        tickers: plan.universe.tickers.length, threads: plan.options.threads, plan_hash: hashPlan(plan), plan, ...(sweep ? { sweep } : {}),
      });
    } catch (err) {
      const e = err as Error;
      out.push({ name: entry.job.name, ok: false, error: `job ${entry.job.name}: ${err instanceof BarwiseError && err.hint ? `${e.message} (${err.hint})` : e.message}` });
    }
  }
  return out;
}
