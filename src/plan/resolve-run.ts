/**
 * resolveRun: options as a caller passed them → the run plan. The only place defaults are filled in; the
 * library, the CLI, batch jobs, `batch --check`, the audit and resume all go through here.
 */
import path from 'node:path';
import { DEFAULTS, resolveOptions, type BacktestOptions } from '../config/backtest-options.js';
import { LIBRARY, nameKey, type Caller } from '../config/options.js';
import { BarwiseError } from '../errors.js';
import { checkWarmScript } from '../scanners/script/check-warm.js';
import { ensureBundledStore } from '../data/bundled-store.js';
import { openMarketStore } from '../data/market-store.js';
import { DayDb } from '../day-db/day-db.js';
import { resolveContext } from '../engine/resolve-context.js';
import { resolveUniverse } from '../engine/resolve-universe.js';
import { inspectScanner } from '../scanners/load-scanner.js';
import { resolveParams } from '../scanners/scanner-params.js';
import type { ScannerSource } from '../scanners/scanner-source.js';
import { VERSION } from '../version.js';
import { measureMarket, type CoveredDays, type MarketFingerprint } from './fingerprint-market.js';
import { hashScanner } from './hash-scanner.js';
import { readQueueSecret } from '../cluster/shard-job.js';
import { stripNulls, type RunPlan } from './run-plan.js';

/** The plan, and what the engine needs beside it that is not plan data. */
export interface ResolvedRun {
  /** The plan but its market fingerprint: completePlan adds it (the engine does so while its workers start). */
  draft: Omit<RunPlan, 'market'>;
  market: MarketFingerprint | null;
  /** The ticker-days the run covers: measured with the fingerprint, not part of the plan. */
  covered: CoveredDays | null;
  source: ScannerSource;
  resultsDb: string;
  resume: number | null;
  /** What the user should know before the run starts (why a script does not run warm). */
  notices: string[];
  /** The queue the tasks run through (null: this machine's threads); not part of the plan, which it does not change. */
  queue: { url: string; secret: string; timeoutS: number } | null;
}

export async function resolveRun(options: BacktestOptions, caller: Caller = LIBRARY): Promise<RunPlan> {
  return completePlan(await resolveRunFully(options, caller));
}

/**
 * The whole plan: the draft with the fingerprint of the bars it reads, measured now if it was not yet (and
 * with it, in `run.covered`, the ticker-days the run covers).
 */
export function completePlan(run: ResolvedRun): RunPlan {
  if (run.market === null || run.covered === null) {
    const store = openMarketStore(run.draft.db);
    try {
      const measured = measureMarket(store, { ...run.draft.universe, timeframe: run.draft.options.timeframe }, run.draft.context);
      run.market = measured.fingerprint;
      run.covered = measured.covered;
    } finally {
      store.close();
    }
  }
  return { ...run.draft, market: run.market };
}

/**
 * Resolves everything but the market fingerprint (the one part that reads every bar in range): completePlan
 * measures it, so a caller can overlap it with other work.
 */
export async function resolveRunFully(options: BacktestOptions, caller: Caller = LIBRARY): Promise<ResolvedRun> {
  const db = path.resolve(options?.db ?? (await ensureBundledStore()));
  const o = resolveOptions({ ...options, db }, caller);
  const inspectDb = new DayDb();
  const { source, meta } = await inspectScanner(o.scanner, inspectDb, o.scannerKind ?? undefined).finally(() => inspectDb.close());
  const persistent = source.kind === 'script' && (o.persistent ?? ('persistent' in meta && meta.persistent));
  if (o.allowScannerWrites && source.kind !== 'script') {
    const flag = nameKey('run', 'allowScannerWrites', caller);
    throw new BarwiseError('USAGE', `${flag} applies to script scanners only: ${source.path} is ${source.kind === 'sql' ? 'an SQL' : 'a module'} scanner, whose statements on the day database are read-only by construction`,
      `Drop ${flag}; keep state in variables (a module scanner's init(ctx) state lasts the ticker-day).`);
  }
  const notices: string[] = [];
  if (o.warm === true && source.kind === 'script' && (persistent || o.mode === 'naive')) {
    const flag = nameKey('run', 'warm', caller);
    throw new BarwiseError('USAGE', persistent
      ? `${flag} does not apply to a persistent script: it is already started once per worker`
      : `${flag} does not apply to ${nameKey('run', 'mode', caller)} naive, which starts a process per step on purpose`, `Drop ${flag}.`);
  }
  const warm = source.kind === 'script' && !persistent && o.mode !== 'naive' && decideWarm(source.path, o.warm, notices, caller);
  const store = openMarketStore(o.db);
  let draft: Omit<RunPlan, 'market'>;
  try {
    const universe = resolveUniverse(store, o);
    const context = resolveContext(store, o, meta, universe.tickers);
    const scannerHash = hashScanner(source.path);
    draft = {
      version: VERSION,
      db,
      scanner: {
        path: source.path,
        kind: source.kind,
        name: meta.name,
        meta: stripNulls({
          description: meta.description, warmup: meta.warmup, references: meta.references, lookbackDays: meta.lookbackDays,
          dailyBars: meta.dailyBars, persistent: 'persistent' in meta ? meta.persistent : undefined,
        }),
        ...scannerHash,
      },
      universe: { tickers: universe.tickers, withoutBars: universe.withoutBars, from: universe.from, to: universe.to },
      options: {
        warmup: o.warmup ?? meta.warmup ?? DEFAULTS.warmup,
        signals: o.signals,
        session: o.session,
        timeframe: o.timeframe,
        mode: o.mode,
        persistent,
        ...(o.allowScannerWrites ? { allowScannerWrites: true } : {}),
        warm,
        ...(o.maxSignals !== null ? { maxSignals: o.maxSignals } : {}),
        ...(o.reportedTimeZone === 'UTC' ? { reportedTimeZone: 'UTC' as const } : {}),
        threads: o.threads,
        stepTimeoutMs: o.stepTimeoutMs,
        workerMemoryMb: o.workerMemoryMb,
        maxFailures: o.maxFailures,
      },
      context,
      params: resolveParams(meta.params ?? [], o.params, nameKey('run', 'params', caller)),
      ...(o.trade ? { trade: stripNulls(o.trade) } : {}),
    };
  } finally {
    store.close();
  }
  const queue = o.queue === null ? null : { url: o.queue, secret: readQueueSecret(o.queueSecret, nameKey('run', 'queueSecret', caller)), timeoutS: o.queueTimeout };
  return { draft, market: null, covered: null, source, resultsDb: o.resultsDb, resume: o.resume, notices, queue };
}

/**
 * Warm by default where the script can run warm (check-warm.ts); asked for explicitly, a script that cannot is
 * an error; left to the default, it runs a process per step and the notice says why.
 */
function decideWarm(file: string, asked: boolean | null, notices: string[], caller: Caller): boolean {
  if (asked === false) return false;
  const check = checkWarmScript(file);
  if (check.ok) return true;
  const flag = nameKey('run', 'warm', caller);
  if (asked === true) {
    throw new BarwiseError('USAGE', `${flag} was given, but ${path.basename(file)} cannot run warm: ${check.reason}`,
      `Drop ${flag}: the script then runs as a process per step.`);
  }
  if (!check.expected) notices.push(`${path.basename(file)} runs as a process per step, not warm: ${check.reason}`);
  return false;
}
