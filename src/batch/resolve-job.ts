/**
 * A job of the batch file → the BacktestOptions of its run, resolved once: paths against the batch file's
 * folder, a ticker file read, a relative range turned into dates of the market store. The job key identifies
 * "the same job" across nights and restarts: the same key finds the run to continue.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { BarwiseError } from '../errors.js';
import type { BacktestOptions } from '../config/backtest-options.js';
import { readTickersFile } from '../config/read-tickers-file.js';
import { DEFAULTS } from '../config/backtest-options.js';
import { exchangeDate } from '../data/exchange-time.js';
import { ensureBundledStore } from '../data/bundled-store.js';
import { openMarketStore } from '../data/market-store.js';
import { listLastTradingDays } from '../data/trading-days.js';
import { canonicalJson, hashFile } from '../engine/resume-run.js';
import { RELATIVE_RANGE, asBacktestOptions, type BatchConfig, type JobConfig } from './batch-config.js';

export interface ResolvedJob {
  name: string;
  options: BacktestOptions & { db: string; resultsDb: string; threads: number };
  /** Same key, same work: scanner (path and content), data, tickers, dates and result-shaping options. */
  key: string;
}

/** Options that change how fast a job runs, never what it finds: left out of the job key. */
const SPEED_ONLY: readonly (keyof BacktestOptions)[] = ['threads', 'workerMemoryMb', 'stepTimeoutMs'];

export async function resolveJob(job: JobConfig, batch: BatchConfig, run: { resultsDb: string; threads: number }): Promise<ResolvedJob> {
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
  // Dates and the "all" universe are resolved here, not left to the engine, so that the job key changes when
  // the store grows: tomorrow's "whole store" is another job than tonight's.
  let from: string;
  let to: string;
  let universe: string[];
  const store = openMarketStore(db);
  try {
    universe = tickers ?? store.listTickers(timeframe);
    const bounds = store.timeBounds(timeframe);
    if (!bounds) throw new BarwiseError('NO_BARS', `job ${job.name}: ${db} holds no bars with timeframe "${timeframe}"`);
    if (typeof job.range === 'string') {
      const n = Number(RELATIVE_RANGE.exec(job.range.trim())?.[1] ?? 1);
      const days = listLastTradingDays(store, universe, timeframe, n);
      if (days.length === 0) throw new BarwiseError('NO_BARS', `job ${job.name}: no trading days in ${db} for "${job.range}"`);
      [from, to] = [days[0], days[days.length - 1]];
    } else {
      from = job.range?.from ?? exchangeDate(bounds.min);
      to = job.range?.to ?? exchangeDate(bounds.max);
    }
  } finally {
    store.close();
  }
  const scanner = inDir(job.scanner);
  const resolved = {
    ...options,
    db,
    scanner,
    ...(tickers ? { tickers } : {}),
    from,
    to,
    resultsDb: run.resultsDb,
    // A job may ask for fewer threads than its share, never more: jobs running side by side share the cores.
    threads: Math.min(options.threads ?? run.threads, run.threads),
  };
  const identity: Record<string, unknown> = { ...resolved, universe, scannerSha256: hashFile(scanner) };
  for (const k of [...SPEED_ONLY, 'resultsDb']) delete identity[k];
  return { name: job.name, options: resolved, key: createHash('sha256').update(canonicalJson(identity)).digest('hex').slice(0, 16) };
}
