/**
 * A job of the batch file → the BacktestOptions of its run and its run plan, resolved once: paths against the
 * batch file's folder, a ticker file read, a relative range turned into dates of the market store. The job key
 * is the plan's hash: the same key finds the run to continue, and a changed scanner, option or market data
 * (tomorrow's "whole store" included) is another job.
 */
import path from 'node:path';
import { BarwiseError } from '../errors.js';
import type { BacktestOptions } from '../config/backtest-options.js';
import { readTickersFile } from '../config/read-tickers-file.js';
import { DEFAULTS } from '../config/backtest-options.js';
import type { Caller } from '../config/options.js';
import { exchangeDate } from '../data/exchange-time.js';
import { ensureBundledStore } from '../data/bundled-store.js';
import { openMarketStore } from '../data/market-store.js';
import { listLastTradingDays } from '../data/trading-days.js';
import { resolveScannerPath } from '../scanners/shipped-scanners.js';
import { completePlan, resolveRunFully, type ResolvedRun } from '../plan/resolve-run.js';
import { hashPlan, type RunPlan } from '../plan/run-plan.js';
import { RELATIVE_RANGE, asBacktestOptions, type BatchConfig, type JobConfig } from './batch-config.js';

export interface ResolvedJob {
  name: string;
  options: BacktestOptions & { db: string; resultsDb: string; threads: number };
  /** How messages name the job's options: `jobs[2].options.threads`. */
  caller: Caller;
  /** The job's run, resolved: what runResolved runs (with `resume` set to continue an earlier run). */
  run: ResolvedRun;
  plan: RunPlan;
  /** The plan's hash: same key, same work. */
  key: string;
}

export async function resolveJob(job: JobConfig, batch: BatchConfig, run: { resultsDb: string; threads: number; queue?: { url: string; secret: string } }): Promise<ResolvedJob> {
  const dir = path.dirname(batch.file);
  const inDir = (p: string) => path.resolve(dir, p);
  const db = job.db ? inDir(job.db) : batch.db ? inDir(batch.db) : await ensureBundledStore();
  const options = { ...asBacktestOptions(batch.defaults), ...asBacktestOptions(job.options) };
  // A trade rules file named in the batch is found beside the batch file, like scanners and ticker files.
  if (options.trade?.config) options.trade = { ...options.trade, config: inDir(options.trade.config) };
  const tickers = job.universe === 'all' ? undefined
    : Array.isArray(job.universe) ? job.universe.map((t) => t.trim().toUpperCase())
    : readTickersFile(inDir(job.universe.file)).map((t) => t.toUpperCase());
  const timeframe = options.timeframe ?? DEFAULTS.timeframe;
  let from: string;
  let to: string;
  const store = openMarketStore(db);
  try {
    const bounds = store.timeBounds(timeframe);
    if (!bounds) throw new BarwiseError('NO_BARS', `job ${job.name}: ${db} holds no bars with timeframe "${timeframe}"`);
    if (typeof job.range === 'string') {
      const n = Number(RELATIVE_RANGE.exec(job.range.trim())?.[1] ?? 1);
      const days = listLastTradingDays(store, tickers ?? store.listTickers(timeframe), timeframe, n);
      if (days.length === 0) throw new BarwiseError('NO_BARS', `job ${job.name}: no trading days in ${db} for "${job.range}"`);
      [from, to] = [days[0], days[days.length - 1]];
    } else {
      from = job.range?.from ?? exchangeDate(bounds.min);
      to = job.range?.to ?? exchangeDate(bounds.max);
    }
  } finally {
    store.close();
  }
  const resolved = {
    ...options,
    db,
    // Beside the batch file; a bare name found nowhere there is a shipped example (shipped-scanners.ts).
    scanner: resolveScannerPath(job.scanner, dir),
    ...(tickers ? { tickers } : {}),
    from,
    to,
    resultsDb: run.resultsDb,
    // A job may ask for fewer threads than its share, never more: jobs running side by side share the cores.
    threads: Math.min(options.threads ?? run.threads, run.threads),
    // Where tasks run is the batch's choice (`batch --queue`), not a job's: no job file sets it.
    ...(run.queue ? { queue: run.queue.url, queueSecret: run.queue.secret } : {}),
  };
  const caller: Caller = { kind: 'batch', at: `jobs[${job.index}].options` };
  const fully = await resolveRunFully(resolved, caller);
  const plan = completePlan(fully);
  return { name: job.name, options: resolved, caller, run: fully, plan, key: hashPlan(plan).slice(0, 16) };
}
