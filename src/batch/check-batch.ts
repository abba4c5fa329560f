/**
 * `batch --check`: everything a batch would find wrong before scanning a bar (the file, each job's scanner,
 * tickers and dates), so a broken nightly file is found in the afternoon, not at 3 a.m.
 */
import os from 'node:os';
import { BarwiseError } from '../errors.js';
import { resolveOptions } from '../config/backtest-options.js';
import { DayDb } from '../day-db/day-db.js';
import { resolveUniverseIn } from '../engine/resolve-universe.js';
import { inspectScanner } from '../scanners/load-scanner.js';
import type { BatchConfig } from './batch-config.js';
import { resolveJob } from './resolve-job.js';

export interface JobCheck {
  name: string;
  ok: boolean;
  scanner?: string;
  from?: string;
  to?: string;
  tickers?: number;
  threads?: number;
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
      const job = await resolveJob(entry.job, config, { resultsDb: ':memory:', threads: share });
      const o = resolveOptions(job.options);
      const dayDb = new DayDb();
      const { meta } = await inspectScanner(o.scanner, dayDb, o.scannerKind ?? undefined).finally(() => dayDb.close());
      const universe = resolveUniverseIn(o.db, o);
      out.push({ name: entry.job.name, ok: true, scanner: `${meta.name} (${o.scanner})`, from: universe.from, to: universe.to, tickers: universe.tickers.length, threads: o.threads });
    } catch (err) {
      const e = err as Error;
      out.push({ name: entry.job.name, ok: false, error: err instanceof BarwiseError && err.hint ? `${e.message} (${err.hint})` : e.message });
    }
  }
  return out;
}
