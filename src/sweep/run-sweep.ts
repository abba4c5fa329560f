/**
 * runSweep: a backtest per combination of a parameter grid, in one pass over the data. The run is resolved
 * once; each combination's plan is that plan with its parameter values (so its plan hash is the one a
 * `backtest` with those values has), and is recorded as a normal run, linked to the sweep in the results
 * database. One pool runs the tasks of the base plan; each worker evaluates every combination on each
 * ticker-day it builds (sweep-task-runner.ts), and the main thread records each combination's days on its own
 * run, then finishes each run exactly as runBacktest does (portfolio pass, statistics). A combination's
 * failures are its own: they mark its run partial and leave the others alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BarwiseError, type ErrorData } from '../errors.js';
import { DEFAULTS } from '../config/backtest-options.js';
import { resolveTradeRules, type TradeRulesInput } from '../config/trade-rules.js';
import { splitTradeParams, type SplitParams } from '../config/split-trade-params.js';
import { LIBRARY, TRADE_ROWS, nameKey, type Caller } from '../config/options.js';
import { checkOutputPaths } from '../config/check-output-paths.js';
import { watchMarketDb } from '../data/watch-market-db.js';
import { describeInputs } from '../engine/run-backtest.js';
import { createTaskRecorder, finishRecording, type TaskRecorder } from '../engine/record-run.js';
import { superviseRun, type SuperviseOutcome } from '../engine/supervise-run.js';
import { createFailureLimitError } from '../engine/failure-limit-error.js';
import type { RunCounts, RunHooks, RunResult, RunStatus } from '../engine/run-result.js';
import { collectRunNotices } from '../notices/collect-run-notices.js';
import { completePlan, resolveRunFully } from '../plan/resolve-run.js';
import { canonicalJson, hashPlan, readTradeRules, stripNulls, type RunPlan } from '../plan/run-plan.js';
import { planTasks } from '../plan/plan-tasks.js';
import { startRunner } from '../pool/start-runner.js';
import { ResultsDb } from '../results/results-db.js';
import { createChildTable, killRecordedChildren, killTaggedProcesses } from '../runtime/child-registry.js';
import type { Task, TaskResult, WorkerConfig } from '../runtime/task-types.js';
import { DayDb } from '../day-db/day-db.js';
import { inspectScanner } from '../scanners/load-scanner.js';
import { resolveParams, type ParamDecl } from '../scanners/scanner-params.js';
import type { ScannerSource } from '../scanners/scanner-source.js';
import { PERSISTENT_START_TIMEOUT_MS } from '../scanners/script/persistent-script.js';
import { buildGrid, type Combination } from './build-grid.js';
import { parseParamSpec, TRADE_PREFIX, type SweepParamType, type SweepValue } from './parse-param-spec.js';
import { rankCombinations } from './rank-combinations.js';
import { resolveSweepOptions, SWEEP_KEYS, type CombinationResult, type ResolvedSweepOptions, type SweepOptions, type SweepResult } from './sweep-options.js';
import { assessOverfitting, type SweepOverfitting } from './assess-overfitting.js';
import type { SweepMatrix } from './sweep-matrix.js';
import { isSweepResult } from './sweep-task-result.js';
import type { SweepWorkerPlan } from './sweep-worker-plan.js';

const RESULTS_FLUSH_MS = 250;
const STOP_GRACE_MS = 1000;
const MIN_STUCK_LIMIT = 4;
const PROGRESS_MS = 200;

export interface SweepHooks extends Omit<RunHooks, 'onStart'> {
  /** The combinations are recorded as runs and the tasks start. */
  onStart?(info: { sweepId: number; combinations: number; runIds: number[]; tasksTotal: number; threads: number; tickers: number; from: string; to: string }): void;
}

export async function runSweep(options: SweepOptions, hooks: SweepHooks = {}, caller: Caller = LIBRARY): Promise<SweepResult> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  if (options === null || typeof options !== 'object') throw new BarwiseError('USAGE', 'options must be an object');
  const sweepOptions = resolveSweepOptions(options, caller);
  const base = Object.fromEntries(Object.entries(options).filter(([k]) => !(SWEEP_KEYS as readonly string[]).includes(k))) as SweepOptions;
  if (base.resume !== undefined) {
    throw new BarwiseError('NOT_YET', 'sweep --resume is not supported yet',
      'Run the sweep again; each finished combination is kept as its own run (`barwise runs`), and `barwise backtest --resume N` continues one of them.');
  }
  if (base.mode !== undefined && base.mode !== 'realtime') {
    throw new BarwiseError('USAGE', `a sweep replays in realtime mode only, got ${nameKey('run', 'mode', caller)} ${base.mode}`, 'Drop the mode option.');
  }
  // Values given for the whole sweep (options.params, trade rules): every combination has them.
  const fixed = splitTradeParams(base.params, base.trade, caller);
  for (const name of Object.keys(options.grid ?? {})) checkNotFixed(name, fixed, caller);
  // A sweep ranks trade statistics: it always trades (the rules given, or the defaults), as --report does.
  const baseTrade: TradeRulesInput = fixed.trade ?? {};
  const resolved = await resolveRunFully({ ...base, params: fixed.scanner, trade: baseTrade }, caller);

  const decls = await readParamDecls(resolved.source);
  const declared = new Map<string, SweepParamType>(decls.map((d) => [d.name, d.type]));
  const specs = Object.entries(options.grid).map(([name, v]) => parseParamSpec(`${name}=${typeof v === 'string' ? v : v.join(',')}`, declared));
  const combinations = buildGrid(specs, sweepOptions.samples === null ? undefined : { samples: sweepOptions.samples, seed: sweepOptions.seed });

  // Each combination's plan: the base plan with its parameters and trade rules, resolved as a backtest resolves them.
  const drafts = combinations.map((c) => ({
    ...resolved.draft,
    params: resolveParams(decls, { ...fixed.scanner, ...readScannerValues(c) }, nameKey('run', 'params', caller)),
    trade: stripNulls(resolveTradeRules({ ...baseTrade, ...readTradeValues(c) }, caller)),
  }));
  const scanKeys: string[] = [];
  const workerPlan: SweepWorkerPlan = { scans: [], combinations: [] };
  for (let c = 0; c < combinations.length; c++) {
    const params = drafts[c].params;
    const key = canonicalJson(params);
    let scan = scanKeys.indexOf(key);
    if (scan < 0) {
      scan = scanKeys.push(key) - 1;
      workerPlan.scans.push(params);
    }
    workerPlan.combinations.push({ scan, trade: readTradeRules(drafts[c])! });
  }

  const { draft, source, resultsDb } = resolved;
  const { universe, context } = draft;
  const o = { ...draft.options, db: draft.db, scanner: draft.scanner.path, resultsDb };
  const cpuBound = source.kind !== 'script';
  const planned = planTasks(universe.tickers, universe.from, universe.to, o.threads);
  const threads = Math.max(1, Math.min(o.threads, planned.length, cpuBound ? os.availableParallelism() : Infinity));
  const named = (key: string) => nameKey('run', key, caller);
  checkOutputPaths(
    [{ option: named('db'), path: o.db, sqlite: true }, { option: named('scanner'), path: o.scanner }],
    [{ option: named('resultsDb'), path: o.resultsDb, sqlite: true }],
  );

  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'barwise-sweep-'));
  // Each scanner instance of a worker may start its own process (a persistent script per parameter set).
  const children = createChildTable(threads * workerPlan.scans.length);
  const cleanup = () => {
    killRecordedChildren(children);
    if (source.kind === 'script') killTaggedProcesses(path.basename(tempDir));
    fs.rmSync(tempDir, { recursive: true, force: true });
  };
  process.once('exit', cleanup);
  const config: WorkerConfig = {
    dbPath: o.db, scanner: source, warmup: o.warmup, signals: o.signals, session: o.session, timeframe: o.timeframe,
    mode: 'realtime', tempDir, stepTimeoutMs: o.stepTimeoutMs, persistent: o.persistent, children, context, trade: null,
    allowScannerWrites: o.allowScannerWrites === true, reportedTimeZone: draft.options.reportedTimeZone, sweep: workerPlan,
  };
  const watchdogMs = source.kind === 'script' ? Math.max(o.stepTimeoutMs, PERSISTENT_START_TIMEOUT_MS) + 5_000 : o.stepTimeoutMs;
  const runner = startRunner('threads', config, { threads, workerMemoryMb: o.workerMemoryMb, watchdogMs });
  const market = watchMarketDb(o.db);
  let results: ResultsDb | null = null;
  let sweepId = 0;
  const runs: { plan: RunPlan; inputs: ReturnType<typeof describeInputs>; runId: number; counts: RunCounts; recorder: TaskRecorder }[] = [];
  let stepsPlanned = 0;
  try {
    // The market is fingerprinted once: every combination reads the same bars.
    const first = completePlan(resolved);
    const covered = resolved.covered!;
    stepsPlanned = covered.tickerDays === 0 ? 0 : Math.max(1, Math.round(covered.bars / covered.tickerDays) - o.warmup) * covered.tickerDays;
    await hooks.onPlan?.({ tickerDays: covered.tickerDays, steps: stepsPlanned * workerPlan.scans.length, workers: threads, processPerStep: false });
    results = new ResultsDb(o.resultsDb);
    sweepId = results.startSweep({
      started_at: startedAt, objective: sweepOptions.objective,
      spec: { params: specs, samples: sweepOptions.samples, seed: sweepOptions.samples === null ? null : sweepOptions.seed, min_trades: sweepOptions.minTrades },
    });
    for (let c = 0; c < combinations.length; c++) {
      const plan: RunPlan = { ...drafts[c], market: first.market };
      const planHash = hashPlan(plan);
      const inputs = describeInputs(plan, planHash, threads);
      const runId = results.startRun({
        started_at: startedAt, scanner: o.scanner, scanner_name: plan.scanner.name, db: o.db, from_date: universe.from,
        to_date: universe.to, threads: o.threads, warmup: o.warmup, mode: o.mode, version: plan.version, inputs, plan, plan_hash: planHash,
      });
      results.linkSweepRun(sweepId, c, runId, combinations[c].values);
      const counts: RunCounts = {
        tasks: planned.length, ticker_days_planned: covered.tickerDays, ticker_days: 0, ticker_days_skipped: 0, ticker_days_failed: 0,
        longest_day_bars: 0, steps: 0, signals: 0, failures: 0,
      };
      runs.push({ plan, inputs, runId, counts, recorder: createTaskRecorder(results, runId, counts, hooks.onFailure) });
    }
  } catch (err) {
    results?.close();
    market.close();
    await runner.close();
    cleanup();
    process.off('exit', cleanup);
    throw err;
  }
  const db = results;
  const setupMs = performance.now() - t0;
  const scanStart = performance.now();
  let tasksDone = 0;
  // The progress of the whole sweep reads as one run's: ticker-days once, steps of every scan.
  const total = { ticker_days: 0, steps: 0, signals: 0, failures: 0 };
  const emit = () => {
    const running = runner.readRunning?.() ?? { steps: 0, tickerDays: 0 };
    const c0 = runs[0].counts;
    hooks.onProgress?.({
      runId: runs[0].runId, tasksDone, tasksTotal: planned.length, ...c0, ...total, elapsedMs: performance.now() - scanStart,
      tickerDaysDone: total.ticker_days + running.tickerDays, stepsDone: total.steps + running.steps,
      tickerDaysKept: 0, stepsKept: 0, stepsPlanned: stepsPlanned * workerPlan.scans.length,
    });
  };
  hooks.onStart?.({
    sweepId, combinations: combinations.length, runIds: runs.map((r) => r.runId), tasksTotal: planned.length, threads,
    tickers: universe.tickers.length, from: universe.from, to: universe.to,
  });
  const progressTimer = hooks.onProgress ? setInterval(emit, PROGRESS_MS) : null;
  progressTimer?.unref();

  const record = (task: Task, res: TaskResult) => {
    if (isSweepResult(res)) {
      for (let c = 0; c < runs.length; c++) runs[c].recorder.record(task, { ok: true, days: res.combinations[c] });
      const days = res.combinations[0] ?? [];
      total.ticker_days += days.length;
      for (let s = 0; s < workerPlan.scans.length; s++) {
        const c = workerPlan.combinations.findIndex((x) => x.scan === s);
        for (const d of res.combinations[c]) total.steps += d.steps;
      }
    } else {
      for (const r of runs) r.recorder.record(task, res);
    }
  };
  const recordLost = (task: Task, date: string | null, error: ErrorData) => {
    for (const r of runs) r.recorder.recordLost(task, date, error);
    if (date) total.ticker_days++;
  };
  const marketChanged = () => new BarwiseError('DB_CHANGED',
    `market database ${o.db} changed during the sweep (another process committed to it, e.g. an import): the ticker-days read before and after the change come from different data`,
    `Run the sweep again once the change is finished; what finished is kept as runs ${runs[0].runId}..${runs[runs.length - 1].runId} of ${o.resultsDb} with status error.`);
  let supervised: SuperviseOutcome;
  try {
    supervised = await superviseRun(runner, planned, {
      concurrency: threads * 2,
      stepTimeoutMs: o.stepTimeoutMs,
      workerMemoryMb: o.workerMemoryMb,
      stuckLimit: Math.max(MIN_STUCK_LIMIT, threads),
      graceMs: STOP_GRACE_MS,
      pollMs: RESULTS_FLUSH_MS,
      maxFailures: o.maxFailures ?? DEFAULTS.maxFailures,
    }, {
      record,
      recordLost,
      onTaskEnd: () => {
        tasksDone++;
        emit();
      },
      checkInputs: () => (market.changed() ? marketChanged() : null),
      flush: () => db.flushIfFree(),
      stuckError: (stuck) => new BarwiseError('WORKER_STUCK',
        `stopped the sweep: ${stuck} worker threads are stuck in scanner calls that cannot be interrupted (an SQL query or a native call that does not return within the step timeout)`,
        "Bound the scanner's work (e.g. a LIMIT on a recursive CTE), then run the sweep again."),
      failureLimitError: (f, count) => createFailureLimitError(f, count, { runId: runs[0].runId, resultsDb: o.resultsDb, scanner: o.scanner, tickerDaysDone: total.ticker_days }),
      signal: hooks.signal,
    });
  } finally {
    if (progressTimer) clearInterval(progressTimer);
    await runner.close();
    cleanup();
    process.off('exit', cleanup);
  }
  let { fatal } = supervised;
  if (!fatal && market.changed()) fatal = marketChanged();
  market.close();

  try {
    const out: CombinationResult[] = [];
    const noticesByScan = new Map<number, RunResult['notices']>();
    for (let c = 0; c < runs.length; c++) {
      const r = runs[c];
      const status: RunStatus = fatal ? 'error' : supervised.interrupted ? 'interrupted' : r.counts.failures > 0 ? 'partial' : 'completed';
      const result: RunResult = finishRecording(db, r.runId, {
        status, inputs: r.inputs, resultsDb: o.resultsDb, counts: r.counts, stepsKept: 0, maxSignals: o.maxSignals,
        trade: readTradeRules(r.plan), startedAt, t0, scanStart, setupMs,
      }, () => performance.now());
      if (status !== 'interrupted' && !fatal) {
        // The notices read the signals and the run options, which combinations sharing a scan share (and the
        // warmup check re-reads bars): computed once per scan.
        const scan = workerPlan.combinations[c].scan;
        result.notices = noticesByScan.get(scan) ?? collectRunNotices(result, r.plan);
        noticesByScan.set(scan, result.notices);
      }
      const value = result.stats ? (result.stats as unknown as Record<string, unknown>)[sweepOptions.objective] : null;
      const trades = result.trades?.length ?? 0;
      out.push({
        index: c, values: combinations[c].values, result, objective: typeof value === 'number' && Number.isFinite(value) ? value : null,
        trades, belowMinTrades: trades < sweepOptions.minTrades,
      });
    }
    const status: RunStatus = fatal ? 'error' : supervised.interrupted ? 'interrupted' : out.some((c) => c.result.run.status !== 'completed') ? 'partial' : 'completed';
    db.finishSweep(sweepId, status, new Date().toISOString());
    if (fatal) throw fatal;
    const ranking = rankCombinations(out);
    const overfitting = status === 'interrupted'
      ? { days: 0, walkForward: null, pbo: null, deflatedSharpe: null, notes: ['walk-forward, PBO and deflated Sharpe skipped: the sweep was interrupted, so its combinations cover only part of the range'] }
      : assessSweep(db, runs, out, ranking[0], sweepOptions);
    return { sweepId, status, objective: sweepOptions.objective, minTrades: sweepOptions.minTrades, combinations: out, ranking, overfitting };
  } finally {
    db.close();
  }
}

/**
 * The SweepMatrix of the finished combinations: each one's trades over the run's trading dates (the dates
 * its recorded ticker-days have bars on, as its Sharpe ratio takes them), then the overfitting figures over it. The figures compare returns on one capital: a sweep
 * of the capital itself has none.
 */
function assessSweep(
  db: ResultsDb, runs: readonly { plan: RunPlan; runId: number }[], out: readonly CombinationResult[], best: number, o: ResolvedSweepOptions,
): SweepOverfitting {
  const capitals = new Set(runs.map((r) => readTradeRules(r.plan)!.capital));
  if (capitals.size > 1) {
    return { days: 0, walkForward: null, pbo: null, deflatedSharpe: null, notes: ['walk-forward, PBO and deflated Sharpe skipped: the combinations start from different capitals, so their daily returns do not compare'] };
  }
  // Completed combinations ran the same ticker-days: one of them tells the dates. A partial one lacks its
  // failed days, which another may have: its own dates are added, so that no combination's day is left out.
  const days = new Set<string>();
  out.forEach((c, k) => {
    if (k === 0 || c.result.run.status !== 'completed') for (const d of db.readTradeContext(runs[k].runId).sessions.keys()) days.add(d);
  });
  for (const c of out) for (const t of c.result.trades ?? []) days.add(t.date);
  const matrix: SweepMatrix = { days: [...days].sort(), capital: [...capitals][0], trades: out.map((c) => c.result.trades ?? []) };
  return assessOverfitting(matrix, { objective: o.objective, minTrades: o.minTrades, best, walkForward: o.walkForward, pboBlocks: o.pboBlocks });
}

/** The parameters the scanner declares, read as the main thread read it to plan the run. */
export async function readParamDecls(source: ScannerSource): Promise<readonly ParamDecl[]> {
  const dayDb = new DayDb();
  try {
    return (await inspectScanner(source.path, dayDb, source.kind)).meta.params ?? [];
  } finally {
    dayDb.close();
  }
}

/** A swept parameter may not also be given one value for the whole sweep: which one counts would be a guess. */
function checkNotFixed(name: string, fixed: SplitParams, caller: Caller): void {
  const rule = name.startsWith(TRADE_PREFIX) ? name.slice(TRADE_PREFIX.length) : null;
  const given = rule ? fixed.trade?.[rule as keyof TradeRulesInput] !== undefined : fixed.scanner[name] !== undefined;
  if (!given) return;
  const as = rule && TRADE_ROWS.some((r) => r.key === rule) ? `${nameKey('trade', rule, caller)} (or ${nameKey('run', 'params', caller)}.${name})` : `${nameKey('run', 'params', caller)}.${name}`;
  throw new BarwiseError('USAGE', `${name} is both swept and given one value (${as})`, `Sweep it, or give it one value: not both.`);
}

/** A combination's trade rules, as keys of TradeRulesInput. */
function readTradeValues(c: Combination): TradeRulesInput {
  const out: Record<string, SweepValue> = {};
  for (const [k, v] of Object.entries(c.values)) if (k.startsWith(TRADE_PREFIX)) out[k.slice(TRADE_PREFIX.length)] = v;
  return out as TradeRulesInput;
}

/** A combination's scanner parameters (every swept name that is not a trade rule). */
function readScannerValues(c: Combination): Record<string, SweepValue> {
  return Object.fromEntries(Object.entries(c.values).filter(([k]) => !k.startsWith(TRADE_PREFIX)));
}
