/**
 * runSweep: a backtest per combination of a parameter grid, in one pass over the data. The run is resolved
 * once; each combination's plan is that plan with its parameter values (so its plan hash is the one a
 * `backtest` with those values has), and is recorded as a normal run, linked to the sweep in the results
 * database. One pool runs the tasks of the base plan; each worker evaluates every combination on each
 * ticker-day it builds (sweep-task-runner.ts), and the main thread records each combination's days on its own
 * run, then finishes each run exactly as runBacktest does (portfolio pass, statistics). A combination's
 * failures are its own: they mark its run partial and leave the others alone. A resumed sweep (`resume`)
 * reopens its recorded runs instead and leaves out the ticker-days they finished (resume-sweep.ts).
 */
import { performance } from 'node:perf_hooks';
import { BarwiseError, type ErrorData } from '../errors.js';
import { DEFAULTS } from '../config/backtest-options.js';
import { LIBRARY, type Caller } from '../config/options.js';
import { watchMarketDb } from '../data/watch-market-db.js';
import { describeInputs } from '../engine/run-backtest.js';
import { createTaskRecorder, finishRecording, type TaskRecorder } from '../engine/record-run.js';
import { KeptCandidates } from '../portfolio/kept-candidates.js';
import { superviseRun, type SuperviseOutcome } from '../engine/supervise-run.js';
import { createFailureLimitError } from '../engine/failure-limit-error.js';
import type { RunCounts, RunHooks, RunResult, RunStatus } from '../engine/run-result.js';
import { collectRunNotices } from '../notices/collect-run-notices.js';
import { rememberFirstSteps, type FirstSteps } from '../notices/warmup-trap.js';
import { completePlan } from '../plan/resolve-run.js';
import { hashPlan, readTradeRules, type RunPlan } from '../plan/run-plan.js';
import { withMarket, withSkips } from '../plan/plan-tasks.js';
import { startRunner } from '../pool/start-runner.js';
import { ResultsDb } from '../results/results-db.js';
import type { Task, TaskResult, WorkerConfig } from '../runtime/task-types.js';
import { chooseWatchdogMs } from '../pool/step-watchdog.js';
import { formatResumeCommand } from '../results/resume-command.js';
import type { MarketFingerprint } from '../plan/fingerprint-market.js';
import type { Signal } from '../types.js';
import { mergeSignals } from '../merge/merge-signals.js';
import { rankCombinations } from './rank-combinations.js';
import type { CombinationResult, ResolvedSweepOptions, SweepOptions, SweepResult, SweepResumeOptions } from './sweep-options.js';
import { assessOverfitting, type SweepOverfitting } from './assess-overfitting.js';
import type { SweepMatrix } from './sweep-matrix.js';
import { isSweepResult } from './sweep-task-result.js';
import { prepareSweep } from './prepare-sweep.js';
import { checkCombinationPlan, intersectFinished, isKept, openSweepResume, type SweepSpec } from './resume-sweep.js';
import type { ResumePoint } from '../engine/resume-run.js';
import { checkRunOutputs, createRunScratch, planRunTasks } from '../engine/run-setup.js';
import { createLateNames, joinOverlap, overlapFingerprint } from '../engine/overlap-fingerprint.js';

const RESULTS_FLUSH_MS = 250;
const STOP_GRACE_MS = 1000;
const MIN_STUCK_LIMIT = 4;
const PROGRESS_MS = 200;

export interface SweepHooks extends Omit<RunHooks, 'onStart'> {
  /** The combinations are recorded as runs and the tasks start. */
  onStart?(info: { sweepId: number; combinations: number; runIds: number[]; tasksTotal: number; threads: number; tickers: number; from: string; to: string }): void;
}

export async function runSweep(given: SweepOptions | SweepResumeOptions, hooks: SweepHooks = {}, caller: Caller = LIBRARY): Promise<SweepResult> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const { recorded, sweepOptions, resolved, specs, combinations, drafts, workerPlan } = await prepareSweep(given, caller);
  const { draft, source, resultsDb } = resolved;
  const { universe, context } = draft;
  const o = { ...draft.options, db: draft.db, scanner: draft.scanner.path, resultsDb };
  const startsProcesses = source.kind === 'script';
  const { planned, threads } = planRunTasks(universe, o.threads, !startsProcesses);
  checkRunOutputs(o, caller);
  if (resolved.queue) await (await import('../cluster/check-queue-run.js')).checkQueueRun(resolved.queue.url, source.path);
  // Each scanner instance of a worker may start its own process (a persistent script per parameter set).
  const scratch = createRunScratch('barwise-sweep-', threads * workerPlan.scans.length, startsProcesses);
  const { tempDir, children } = scratch;
  const config: WorkerConfig = {
    dbPath: o.db, scanner: source, warmup: o.warmup, signals: o.signals, session: o.session, timeframe: o.timeframe,
    mode: 'realtime', tempDir, stepTimeoutMs: o.stepTimeoutMs, persistent: o.persistent, children, context, trade: null,
    allowScannerWrites: o.allowScannerWrites === true, reportedTimeZone: draft.options.reportedTimeZone, sweep: workerPlan,
  };
  let fingerprint: MarketFingerprint | null = null;
  // A runner that cannot start (threads refused, the queue unreachable since it was checked) takes the scratch
  // dir with it now, not at process exit: a long-lived process running many backtests would keep each.
  const runner = await startRunner(resolved.queue ? 'queue' : 'threads', config, {
    threads, workerMemoryMb: o.workerMemoryMb, watchdogMs: chooseWatchdogMs(config),
    ...(resolved.queue ? { queue: { ...resolved.queue, scope: () => ({ from: universe.from, to: universe.to, market: fingerprint! }) } } : {}),
  }).catch((err: unknown) => {
    scratch.dispose();
    throw err;
  });
  const market = watchMarketDb(o.db);
  let results = null as ResultsDb | null;
  let sweepId = 0;
  const runs: { plan: RunPlan; inputs: ReturnType<typeof describeInputs>; runId: number; counts: RunCounts; point: ResumePoint | null; recorder: TaskRecorder; kept: KeptCandidates | null }[] = [];
  let points: ResumePoint[] | null = null;
  let stepsPlanned = 0;
  /** The rows this sweep started or reopened: an error that stops it ends them (and the sweep's row) as errors. */
  const opened: number[] = [];
  let sweepOpened = false;
  const endRows = () => {
    if (!results || !sweepOpened) return;
    try {
      results.endWithError(opened, new Date().toISOString(), performance.now() - t0, sweepId);
    } catch {
      // The stopping error says what to do; the ending's own failure adds nothing to it.
    }
  };
  const fail = async (err: unknown): Promise<never> => {
    endRows();
    try {
      results?.close();
    } catch {
      // As above: what could not be committed is the stopping error's to report.
    }
    market.close();
    await runner.close();
    scratch.dispose();
    throw err;
  };
  // A fresh sweep on this machine's threads scans while this thread measures the fingerprint, as a backtest does
  // (overlap-fingerprint.ts): what the tasks answer is held until every combination has its run.
  const overlap = !recorded && resolved.market === null && !resolved.queue && !startsProcesses;
  const held: (() => void)[] = [];
  let ready = false;
  const { later: nameLater, named } = createLateNames(() => ready);
  const kept = { tickerDays: 0, steps: 0 };
  const total = { ticker_days: 0, steps: 0, signals: 0, failures: 0 };
  // The progress of the whole sweep reads as one run's: ticker-days once, and steps once per scan
  // (combinations that share a scan share its steps).
  const firstOfScan = workerPlan.scans.map((_, s) => workerPlan.combinations.findIndex((x) => x.scan === s));
  const scanSteps = (stepsOf: (c: number) => number) => firstOfScan.reduce((a, c) => a + stepsOf(c), 0);
  /** The plan is complete (the market fingerprinted once: every combination reads the same bars): each combination's run, then what was held. */
  const begin = async () => {
    const first = completePlan(resolved);
    fingerprint = first.market;
    const covered = resolved.covered!;
    stepsPlanned = covered.tickerDays === 0 ? 0 : Math.max(1, Math.round(covered.bars / covered.tickerDays) - o.warmup) * covered.tickerDays;
    await hooks.onPlan?.({ tickerDays: covered.tickerDays, steps: stepsPlanned * workerPlan.scans.length, workers: threads, processPerStep: false });
    results = new ResultsDb(o.resultsDb);
    const plans = drafts.map((d): RunPlan => ({ ...d, market: first.market }));
    if (recorded) {
      sweepId = recorded.id;
      points = openSweepResume(results, recorded, plans, caller);
      sweepOpened = true;
      // A write that fails names the command that continues the sweep, not its last combination's run.
      results.continueWith(formatResumeCommand(sweepId, o.resultsDb, undefined, 'sweep'));
      opened.push(...points.map((p) => p.runId));
    } else {
      const spec: SweepSpec = {
        params: specs, samples: sweepOptions.samples, seed: sweepOptions.samples === null ? null : sweepOptions.seed, min_trades: sweepOptions.minTrades,
        walk_forward: sweepOptions.walkForward, pbo_blocks: sweepOptions.pboBlocks,
      };
      sweepId = results.startSweep({ started_at: startedAt, objective: sweepOptions.objective, spec });
      sweepOpened = true;
      // A write that fails names the command that continues the sweep, not its last combination's run.
      results.continueWith(formatResumeCommand(sweepId, o.resultsDb, undefined, 'sweep'));
    }
    for (let c = 0; c < combinations.length; c++) {
      const plan = plans[c];
      const planHash = hashPlan(plan);
      const inputs = describeInputs(plan, planHash, threads);
      const point = points?.[c] ?? null;
      // Combinations sharing a scan record the same signals: the first of them holds the rows (runs.signals_of).
      const first = workerPlan.combinations.findIndex((x) => x.scan === workerPlan.combinations[c].scan);
      const signalsOf = first < c ? runs[first].runId : undefined;
      let runId: number;
      if (point) {
        runId = point.runId;
        if (signalsOf !== undefined) results.shareSignalsWhileRecording(runId, signalsOf);
      } else {
        runId = results.startRun({
          started_at: startedAt, scanner: o.scanner, scanner_name: plan.scanner.name, db: o.db, from_date: universe.from,
          to_date: universe.to, threads: o.threads, warmup: o.warmup, mode: o.mode, version: plan.version, inputs, plan, plan_hash: planHash,
        }, signalsOf);
        opened.push(runId);
        results.linkSweepRun(sweepId, c, runId, combinations[c].values);
      }
      const counts: RunCounts = {
        tasks: planned.length, ticker_days_planned: covered.tickerDays, ticker_days: point?.tickerDays ?? 0, ticker_days_skipped: point?.skipped ?? 0,
        ticker_days_failed: 0, longest_day_bars: 0, steps: point?.steps ?? 0, signals: 0, failures: 0,
      };
      // As in runBacktest: a combination that records all of its candidates itself keeps them for its portfolio
      // pass instead of reading them back (kept-candidates.ts); a resumed or capped one reads them back.
      const keptCandidates = !point && o.maxSignals === undefined ? new KeptCandidates() : null;
      runs.push({ plan, inputs, runId, counts, point, kept: keptCandidates, recorder: createTaskRecorder(results, runId, counts, hooks.onFailure, keptCandidates ?? undefined) });
    }
    kept.tickerDays = runs[0].counts.ticker_days;
    kept.steps = scanSteps((c) => runs[c].counts.steps);
    total.ticker_days += kept.tickerDays;
    total.steps += kept.steps;
    ready = true;
    for (const replay of held.splice(0)) replay();
  };
  let tasks: Task[] = planned;
  let prepare: ((task: Task) => Promise<Task>) | undefined;
  let measure: (() => Promise<void>) | null = null;
  if (overlap) {
    ({ measure, prepare } = overlapFingerprint(resolved));
  } else {
    try {
      await begin();
    } catch (err) {
      await fail(err);
    }
    // A resumed sweep leaves out the ticker-days every combination finished; tasks and their keys are planned as before.
    // Each task carries its ticker's fingerprint, as a backtest's does: its window's name in the column cache.
    const finished = points ? intersectFinished(points) : null;
    tasks = planned.map((t) => withMarket(finished ? withSkips(t, finished.get(t.ticker)) : t, runs[0].plan));
  }
  const setupMs = performance.now() - t0;
  const scanStart = performance.now();
  let tasksDone = 0;
  const emit = () => {
    if (!ready) return;
    const running = runner.readRunning?.() ?? { steps: 0, tickerDays: 0 };
    const c0 = runs[0].counts;
    hooks.onProgress?.({
      runId: runs[0].runId, tasksDone, tasksTotal: tasks.length, ...c0, ...total, elapsedMs: performance.now() - scanStart,
      tickerDaysDone: total.ticker_days + running.tickerDays, stepsDone: total.steps + running.steps,
      tickerDaysKept: kept.tickerDays, stepsKept: kept.steps, stepsPlanned: stepsPlanned * workerPlan.scans.length,
    });
  };
  let progressTimer: NodeJS.Timeout | null = null;
  const announce = () => {
    hooks.onStart?.({
      sweepId, combinations: combinations.length, runIds: runs.map((r) => r.runId), tasksTotal: tasks.length, threads,
      tickers: universe.tickers.length, from: universe.from, to: universe.to,
    });
    progressTimer = hooks.onProgress ? setInterval(emit, PROGRESS_MS) : null;
    progressTimer?.unref();
  };
  if (!overlap) {
    try {
      announce();
    } catch (err) {
      await fail(err);
    }
  }

  const recordNow = (task: Task, res: TaskResult) => {
    if (isSweepResult(res)) {
      // A day a combination kept from before the resume is not recorded twice (see intersectFinished).
      const fresh = res.combinations.map((days, c) => (runs[c].point ? days.filter((d) => !isKept(runs[c].point, task.ticker, d.date)) : days));
      // Combinations sharing a scan answer the very same signal lists: merged once per scan, when all of the
      // task's days are recorded (a resumed combination may keep some of them from before).
      const mergedByScan = new Map<number, Signal[]>();
      for (let c = 0; c < runs.length; c++) {
        let merged: Signal[] | undefined;
        if (!runs[c].point) {
          const scan = workerPlan.combinations[c].scan;
          merged = mergedByScan.get(scan);
          if (!merged) mergedByScan.set(scan, (merged = mergeSignals(fresh[c].flatMap((d) => d.signals))));
        }
        runs[c].recorder.record(task, { ok: true, days: fresh[c] }, merged);
      }
      total.ticker_days += fresh[0]?.length ?? 0;
      total.steps += scanSteps((c) => res.combinations[c].reduce((a, d) => a + d.steps, 0));
    } else {
      for (const r of runs) r.recorder.record(task, res);
    }
  };
  const record = (task: Task, res: TaskResult) => (ready ? recordNow(task, res) : held.push(() => recordNow(task, res)));
  const recordLostNow = (task: Task, date: string | null, error: ErrorData) => {
    for (const r of runs) if (!(date && isKept(r.point, task.ticker, date))) r.recorder.recordLost(task, date, error);
    if (date) total.ticker_days++;
  };
  const recordLost = (task: Task, date: string | null, error: ErrorData) => (ready ? recordLostNow(task, date, error) : held.push(() => recordLostNow(task, date, error)));
  const marketChanged = () => new BarwiseError('DB_CHANGED',
    `market database ${o.db} changed during the sweep (another process committed to it, e.g. an import): the ticker-days read before and after the change come from different data`,
    `Run the sweep again once the change is finished; what finished is kept as runs ${runs[0].runId}..${runs[runs.length - 1].runId} of ${o.resultsDb} with status error.`);
  let supervised: SuperviseOutcome;
  const stopEarly = new AbortController();
  const supervising = superviseRun(runner, tasks, {
    concurrency: runner.queueDepth ?? runner.threads * 2,
    stepTimeoutMs: o.stepTimeoutMs,
    workerMemoryMb: o.workerMemoryMb,
    stuckLimit: Math.max(MIN_STUCK_LIMIT, threads),
    graceMs: runner.stopGraceMs ?? STOP_GRACE_MS,
    pollMs: RESULTS_FLUSH_MS,
    maxFailures: o.maxFailures ?? DEFAULTS.maxFailures,
  }, {
    record,
    recordLost,
    onTaskEnd: () => {
      tasksDone++;
      emit();
    },
    checkInputs: () => (market.changed() ? nameLater(marketChanged) : null),
    flush: () => results?.flushIfFree(),
    stuckError: (stuck) => new BarwiseError('WORKER_STUCK',
      `stopped the sweep: ${stuck} worker threads are stuck in scanner calls that cannot be interrupted (an SQL query or a native call that does not return within the step timeout)`,
      "Bound the scanner's work (e.g. a LIMIT on a recursive CTE), then run the sweep again."),
    failureLimitError: (f, count) => nameLater(() => createFailureLimitError(f, count, { runId: runs[0].runId, resultsDb: o.resultsDb, scanner: o.scanner, tickerDaysDone: total.ticker_days })),
    signal: hooks.signal ? AbortSignal.any([hooks.signal, stopEarly.signal]) : stopEarly.signal,
    prepare,
  });
  // Awaited only after the fingerprint measured beside the scan: a rejection meanwhile must not reach Node's
  // unhandled-rejection exit (the await below still receives it).
  supervising.catch(() => {});
  if (measure) {
    await joinOverlap(measure, { begin, announce, emit, stopProgress: () => progressTimer && clearInterval(progressTimer) }, supervising, stopEarly, fail);
  }
  try {
    supervised = await supervising;
  } catch (err) {
    endRows();
    try {
      results?.close();
    } catch {
      // The supervisor's error is the one to report.
    }
    market.close();
    throw err;
  } finally {
    if (progressTimer) clearInterval(progressTimer);
    await runner.close();
    scratch.dispose();
  }
  const db = results!; // opened by begin(), which every sweep that gets here went through
  let fatal = named(supervised.fatal);
  if (!fatal && market.changed()) fatal = marketChanged();
  if (fatal instanceof BarwiseError && fatal.code === 'QUEUE_LOST') {
    fatal = new BarwiseError('QUEUE_LOST', fatal.message, `What finished is kept as sweep #${sweepId} of ${o.resultsDb}; once Redis answers there again, continue with: ${formatResumeCommand(sweepId, o.resultsDb, undefined, 'sweep')}`);
  }
  market.close();

  try {
    const out: CombinationResult[] = [];
    const noticesByScan = new Map<number, RunResult['notices']>();
    const firstSteps: FirstSteps = new Map();
    // Every combination replayed the same ticker-days: the first one's kept days tell their first steps.
    const keeping = runs.find((r) => r.kept);
    if (keeping?.kept) rememberFirstSteps(firstSteps, keeping.plan, keeping.kept.firstSteps());
    // Combinations sharing a scan that recorded all of their days in this session recorded the very same
    // signals (one task answer each, capped alike): read back once per scan, shared by their results.
    const signalsByScan = new Map<number, Signal[]>();
    for (let c = 0; c < runs.length; c++) {
      const r = runs[c];
      const status: RunStatus = fatal ? 'error' : supervised.interrupted ? 'interrupted' : r.counts.failures > 0 ? 'partial' : 'completed';
      const scan = workerPlan.combinations[c].scan;
      const result: RunResult = finishRecording(db, r.runId, {
        status, inputs: r.inputs, resultsDb: o.resultsDb, counts: r.counts, stepsKept: r.point?.steps ?? 0, maxSignals: o.maxSignals,
        trade: readTradeRules(r.plan), kept: r.kept, signals: r.point ? undefined : signalsByScan.get(scan), startedAt, t0, scanStart, setupMs,
      }, () => performance.now());
      if (!r.point && !signalsByScan.has(scan)) signalsByScan.set(scan, result.signals);
      if (status !== 'interrupted' && !fatal) {
        // The notices read the signals and the run options, which combinations sharing a scan share (and the
        // warmup check re-reads bars, the same ones for every scan): computed once per scan, the bars read once.
        result.notices = noticesByScan.get(scan) ?? collectRunNotices(result, r.plan, firstSteps);
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
  } catch (err) {
    // A combination that could not be finished (the results file refuses the last ticker-days, as it refused
    // those that stopped the sweep): it, the combinations after it and the sweep still end as errors, and the
    // error that stopped the sweep is the one the user sees.
    endRows();
    throw fatal ?? err;
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
  db: ResultsDb, runs: readonly { plan: RunPlan; runId: number; kept: KeptCandidates | null }[], out: readonly CombinationResult[], best: number, o: ResolvedSweepOptions,
): SweepOverfitting {
  const capitals = new Set(runs.map((r) => readTradeRules(r.plan)!.capital));
  if (capitals.size > 1) {
    return { days: 0, walkForward: null, pbo: null, deflatedSharpe: null, notes: ['walk-forward, PBO and deflated Sharpe skipped: the combinations start from different capitals, so their daily returns do not compare'] };
  }
  // Completed combinations ran the same ticker-days: one of them tells the dates. A partial one lacks its
  // failed days, which another may have: its own dates are added, so that no combination's day is left out.
  const days = new Set<string>();
  out.forEach((c, k) => {
    if (k === 0 || c.result.run.status !== 'completed') for (const d of (runs[k].kept?.tradeContext() ?? db.readTradeContext(runs[k].runId)).sessions.keys()) days.add(d);
  });
  for (const c of out) for (const t of c.result.trades ?? []) days.add(t.date);
  const matrix: SweepMatrix = { days: [...days].sort(), capital: [...capitals][0], trades: out.map((c) => c.result.trades ?? []) };
  return assessOverfitting(matrix, { objective: o.objective, minTrades: o.minTrades, best, walkForward: o.walkForward, pboBlocks: o.pboBlocks });
}

/**
 * Whether the sweep `options.resume` names is completed and would be resumed as recorded: its grid and every
 * combination's plan are checked as a resume checks them (RESUME_MISMATCH names what changed), so "already
 * complete" is never said of a sweep whose data, code or options have changed since. Reads only.
 */
export async function isSweepCompleteAsRecorded(options: SweepOptions | SweepResumeOptions, caller: Caller): Promise<boolean> {
  const { recorded, resolved, drafts } = await prepareSweep(options, caller);
  if (recorded?.status !== 'completed') return false;
  const { market } = completePlan(resolved);
  const results = new ResultsDb(resolved.resultsDb);
  try {
    recorded.runs.forEach((r, c) => checkCombinationPlan(results, recorded.id, r.runId, { ...drafts[c], market }, caller));
    return true;
  } finally {
    results.close();
  }
}
