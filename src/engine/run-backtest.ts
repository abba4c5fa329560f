/**
 * runBacktest: resolve the run (src/plan), start a runner (src/pool), supervise its tasks (supervise-run.ts:
 * the retry, timeout and stop policy), record each task's days as they come (src/results, merged centrally),
 * and read the run's result back from what was recorded.
 */
import { performance } from 'node:perf_hooks';
import { BarwiseError } from '../errors.js';
import { DEFAULTS, type BacktestOptions } from '../config/backtest-options.js';
import { createFailureLimitError } from './failure-limit-error.js';
import { formatResumeCommand } from '../results/resume-command.js';
import { watchMarketDb } from '../data/watch-market-db.js';
import { LIBRARY, type Caller } from '../config/options.js';
import { completePlan, resolveRunFully, type ResolvedRun } from '../plan/resolve-run.js';
import type { CoveredDays } from '../plan/fingerprint-market.js';
import { createLateNames, joinOverlap, overlapFingerprint } from './overlap-fingerprint.js';
import { hashPlan, readTradeRules, type RunPlan } from '../plan/run-plan.js';
import { withMarket, withSkips } from '../plan/plan-tasks.js';
import { runsProcessPerStep } from '../plan/process-per-step.js';
import { startRunner } from '../pool/start-runner.js';
import { ResultsDb } from '../results/results-db.js';
import type { Task, WorkerConfig } from '../runtime/task-types.js';
import { openResumePoint, type ResumePoint } from './resume-run.js';
import { createTaskRecorder, finishRecording, type TaskRecorder } from './record-run.js';
import { KeptCandidates } from '../portfolio/kept-candidates.js';
import { superviseRun, type SuperviseOutcome } from './supervise-run.js';
import { collectRunNotices } from '../notices/collect-run-notices.js';
import { rememberFirstSteps, type FirstSteps } from '../notices/warmup-trap.js';
import { chooseWatchdogMs } from '../pool/step-watchdog.js';
import type { Progress, RunHooks, RunResult, RunStatus } from './run-result.js';
import { checkRunOutputs, createRunScratch, planRunTasks } from './run-setup.js';

/** How often finished ticker-days are committed to the results database. */
const RESULTS_FLUSH_MS = 250;
/**
 * On Ctrl-C, running tasks are first asked to hand back the ticker-days they finished (at the next day
 * boundary); workers still busy after this long are terminated, losing only the day they were on.
 */
const STOP_GRACE_MS = 1000;
/** Worker threads stuck in uninterruptible calls a run tolerates (at least; else one per thread). */
const MIN_STUCK_LIMIT = 4;
/** How often progress is reported while tasks run (steps of running tasks included). */
const PROGRESS_MS = 200;
/**
 * Task ends report progress at most this often: each report reads the probe of every task handed to the runner
 * (hundreds), and the universe's 2,046 tasks ending one by one made that ~0.15 s of main-thread time taken from
 * the workers. The bar draws 10 frames a second, so reports closer together than this are never seen.
 */
const TASK_END_PROGRESS_MS = 50;

export async function runBacktest(options: BacktestOptions, hooks: RunHooks = {}, caller: Caller = LIBRARY): Promise<RunResult> {
  const since = { t0: performance.now(), startedAt: new Date().toISOString() };
  return runResolved(await resolveRunFully(options, caller), hooks, caller, since);
}

/**
 * Runs a resolved run (a batch job resolves its run once, for its key, and runs that). `since`: when the
 * caller started resolving it, so that setup time counts resolution.
 */
export async function runResolved(
  resolved: ResolvedRun,
  hooks: RunHooks = {},
  caller: Caller = LIBRARY,
  since = { t0: performance.now(), startedAt: new Date().toISOString() },
): Promise<RunResult> {
  const { t0, startedAt } = since;
  const { draft, source, resultsDb, resume } = resolved;
  const { universe, context } = draft;
  const o = { ...draft.options, db: draft.db, scanner: draft.scanner.path, resultsDb, trade: readTradeRules(draft) };
  const { warmup, persistent } = o;
  const startsProcesses = o.mode === 'naive' || source.kind === 'script';
  const { planned, threads } = planRunTasks(universe, o.threads, !startsProcesses);
  checkRunOutputs(o, caller);
  // Over the queue, an unreachable Redis or a scanner the queue cannot ship stops the run before anything starts.
  if (resolved.queue) await (await import('../cluster/check-queue-run.js')).checkQueueRun(resolved.queue.url, source.path);
  const scratch = createRunScratch('barwise-run-', threads, startsProcesses);
  const { tempDir, children } = scratch;
  const config: WorkerConfig = {
    dbPath: o.db, scanner: source, warmup, signals: o.signals, session: o.session, timeframe: o.timeframe,
    mode: o.mode, tempDir, stepTimeoutMs: o.stepTimeoutMs, persistent, warm: o.warm ?? false, children, context, trade: o.trade,
    allowScannerWrites: o.allowScannerWrites === true,
    reportedTimeZone: draft.options.reportedTimeZone,
    params: draft.params,
  };
  // The workers start (and load the scanner) while this thread fingerprints the market data, which reads every
  // bar in range (bench/measure-fingerprint.ts): the two overlap instead of adding up. The queue runner reads
  // the fingerprint when it enqueues the first task, after completePlan below.
  // A runner that cannot start (threads refused, the queue unreachable since it was checked) takes the scratch
  // dir with it now, not at process exit: a long-lived process running many backtests would keep each.
  const runner = await startRunner(resolved.queue ? 'queue' : 'threads', config, {
    threads, workerMemoryMb: o.workerMemoryMb, watchdogMs: chooseWatchdogMs(config),
    ...(resolved.queue ? { queue: { ...resolved.queue, scope: () => ({ from: universe.from, to: universe.to, market: plan.market }) } } : {}),
  }).catch((err: unknown) => {
    scratch.dispose();
    throw err;
  });
  // From here on this thread (the fingerprint) and then the workers read the market database: a commit to it
  // by another process fails the run.
  const market = watchMarketDb(o.db);
  const marketChanged = () => new BarwiseError('DB_CHANGED',
    `market database ${o.db} changed during the run (another process committed to it, e.g. an import): the ticker-days read before and after the change come from different data`,
    `Re-run once the change is finished; this run is kept as run #${runId} of ${o.resultsDb} with status error.`);
  // A fresh run on this machine's threads scans while this thread measures the fingerprint (overlap-fingerprint.ts).
  const overlap = resolved.market === null && resume === null && !resolved.queue && !startsProcesses;
  let results = null as ResultsDb | null;
  let plan!: RunPlan;
  let planHash!: string;
  let inputs!: ReturnType<typeof describeInputs>;
  let resumed = null as ResumePoint | null;
  let runId!: number;
  let covered!: CoveredDays;
  let stepsPlanned!: number;
  let recorder: TaskRecorder | null = null;
  let recorded: KeptCandidates | null = null;
  const held: (() => void)[] = [];
  const counts = {
    tasks: planned.length, ticker_days_planned: 0, ticker_days: 0, ticker_days_skipped: 0, ticker_days_failed: 0, longest_day_bars: 0,
    steps: 0, signals: 0, failures: 0,
  };
  const kept = { tickerDays: 0, steps: 0 };
  /** The plan is complete: its hash, the run's row (or the run it resumes), the recorder; then what was held. */
  const begin = async () => {
    plan = completePlan(resolved);
    planHash = hashPlan(plan);
    inputs = describeInputs(plan, planHash, threads);
    covered = resolved.covered!; // measured with the fingerprint
    stepsPlanned = covered.tickerDays === 0 ? 0 : Math.max(1, Math.round(covered.bars / covered.tickerDays) - warmup) * covered.tickerDays;
    await hooks.onPlan?.({
      tickerDays: covered.tickerDays,
      steps: stepsPlanned,
      workers: threads,
      processPerStep: runsProcessPerStep(plan),
    });
    results = new ResultsDb(o.resultsDb);
    resumed = resume === null ? null : openResumePoint(results, resume, plan, caller);
    runId = resumed ? resumed.runId : results.startRun({
      started_at: startedAt, scanner: o.scanner, scanner_name: plan.scanner.name, db: o.db, from_date: universe.from,
      to_date: universe.to, threads: o.threads, warmup, mode: o.mode, version: plan.version, inputs, plan, plan_hash: planHash,
    });
    Object.assign(counts, {
      ticker_days_planned: covered.tickerDays, ticker_days: resumed?.tickerDays ?? 0, ticker_days_skipped: resumed?.skipped ?? 0, steps: resumed?.steps ?? 0,
    });
    Object.assign(kept, { tickerDays: resumed?.tickerDays ?? 0, steps: resumed?.steps ?? 0 });
    // A run that records every candidate itself passes over them as recorded; a resumed or capped one reads them back.
    recorded = o.trade && !resumed && o.maxSignals === undefined ? new KeptCandidates() : null;
    recorder = createTaskRecorder(results, runId, counts, hooks.onFailure, recorded ?? undefined);
    for (const replay of held.splice(0)) replay();
  };
  // Errors that name the run, raised while it has no row yet: named once it has.
  const { later: nameLater, named } = createLateNames(() => recorder !== null);

  let tasks: Task[] = planned;
  let measure: (() => Promise<void>) | null = null;
  const stopEarly = new AbortController();
  /**
   * Once the run has its row (begin() started or reopened it), an error that stops it ends the row as an
   * error, with what was committed kept (a resume continues it), not `running` forever. The error the run
   * stopped with is the one thrown: a results file that cannot take even the ending leaves the row as it is.
   */
  const endRow = () => {
    if (!results || runId === undefined) return;
    try {
      results.endWithError([runId], new Date().toISOString(), performance.now() - t0);
    } catch {
      // The stopping error says what to do; the ending's own failure adds nothing to it.
    }
  };
  const fail = async (err: unknown): Promise<never> => {
    endRow();
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
  let prepare: ((task: Task) => Promise<Task>) | undefined;
  if (overlap) {
    ({ measure, prepare } = overlapFingerprint(resolved));
  } else {
    try {
      await begin();
    } catch (err) {
      await fail(err);
    }
    // A resumed run leaves out the ticker-days it finished before; tasks and their keys are planned as before.
    // Each task carries its ticker's fingerprint: its window's name in the column cache (src/data/column-cache.ts).
    const finished = resumed?.finished;
    tasks = planned.map((t) => withMarket(finished ? withSkips(t, finished.get(t.ticker)) : t, plan));
  }
  let tasksDone = 0;
  const setupMs = performance.now() - t0;
  const scanStart = performance.now();

  let lastEmit = -Infinity;
  const emit = () => {
    if (!hooks.onProgress || !recorder) return;
    lastEmit = performance.now();
    const running = runner.readRunning?.() ?? { steps: 0, tickerDays: 0 };
    const p: Progress = {
      runId, tasksDone, tasksTotal: tasks.length, ...counts, elapsedMs: performance.now() - scanStart,
      tickerDaysDone: counts.ticker_days + running.tickerDays, stepsDone: counts.steps + running.steps,
      tickerDaysKept: kept.tickerDays, stepsKept: kept.steps, stepsPlanned,
    };
    hooks.onProgress(p);
  };
  let progressTimer: NodeJS.Timeout | null = null;
  const announce = () => {
    for (const notice of resolved.notices ?? []) hooks.onNotice?.(notice);
    hooks.onStart?.({
      runId, tasksTotal: tasks.length, tickers: universe.tickers.length, threads, from: universe.from, to: universe.to,
      tickerDaysTotal: covered.tickerDays, resumed: resumed !== null, tickerDaysKept: kept.tickerDays,
    });
    // Tasks answer at their end, minutes apart for a slow scanner: the bar also moves with the steps of running tasks.
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

  // Each worker stuck in a call that cannot be interrupted keeps a core busy until the process ends: past a
  // few, the run stops rather than pile them up (a runaway query on every ticker of a universe).
  const stuckLimit = Math.max(MIN_STUCK_LIMIT, threads);
  const stuckError = (stuck: number) => new BarwiseError('WORKER_STUCK',
    `stopped the run: ${stuck} worker threads are stuck in scanner calls that cannot be interrupted (an SQL query or a native call that does not return within the step timeout); each keeps a core busy until barwise exits`,
    `Bound the scanner's work (e.g. a LIMIT on a recursive CTE), then continue with: ${formatResumeCommand(runId, o.resultsDb)}`);
  const closeRunner = () => runner.close().finally(() => scratch.dispose());
  let supervised: SuperviseOutcome;
  const signal = hooks.signal ? AbortSignal.any([hooks.signal, stopEarly.signal]) : stopEarly.signal;
  const supervising = superviseRun(runner, tasks, {
    // As many as the runner forms its worker calls from (src/pool/batch-runner.ts). (Handing each worker a
    // second call of its own, Piscina's concurrentTasksPerWorker: 2, was measured slower: 5.9 s against
    // 4.7 s on the universe with the SQL scanner at 2 threads.)
    concurrency: runner.queueDepth ?? runner.threads * 2,
    stepTimeoutMs: o.stepTimeoutMs,
    workerMemoryMb: o.workerMemoryMb,
    stuckLimit,
    graceMs: runner.stopGraceMs ?? STOP_GRACE_MS,
    pollMs: RESULTS_FLUSH_MS,
    maxFailures: o.maxFailures ?? DEFAULTS.maxFailures,
  }, {
    record: (task, res) => (recorder ? recorder.record(task, res) : held.push(() => recorder!.record(task, res))),
    recordLost: (task, date, error) => (recorder ? recorder.recordLost(task, date, error) : held.push(() => recorder!.recordLost(task, date, error))),
    onTaskEnd: () => {
      tasksDone++;
      if (tasksDone === tasks.length || performance.now() - lastEmit >= TASK_END_PROGRESS_MS) emit();
    },
    checkInputs: () => (market.changed() ? nameLater(marketChanged) : null),
    // While another process holds the results database, finished ticker-days stay queued (see results-db.ts).
    flush: () => results?.flushIfFree(),
    stuckError: (stuck) => nameLater(() => stuckError(stuck)),
    failureLimitError: (first, count) => nameLater(() => createFailureLimitError(first, count, {
      runId, resultsDb: o.resultsDb, scanner: o.scanner, tickerDaysDone: counts.ticker_days,
    })),
    signal,
    prepare,
  });
  // Awaited only after the fingerprint measured beside the scan: a rejection meanwhile must not reach
  // Node's unhandled-rejection exit (the await below still receives it).
  supervising.catch(() => {});
  if (measure) {
    await joinOverlap(measure, { begin, announce, emit, stopProgress: () => progressTimer && clearInterval(progressTimer) }, supervising, stopEarly, fail);
  }
  try {
    supervised = await supervising;
  } catch (err) {
    if (progressTimer) clearInterval(progressTimer);
    return fail(err);
  } finally {
    if (progressTimer) clearInterval(progressTimer);
  }
  // The worker threads end (the pool waits for each to exit) while this thread reads the result back: the
  // run returns only once both are done, so no thread or scratch file outlives it.
  const closed = closeRunner();
  let fatal = named(supervised.fatal);
  const { interrupted } = supervised;
  // A change in the last moments of the run, after the last periodic check.
  if (!fatal && market.changed()) fatal = marketChanged();
  if (fatal instanceof BarwiseError && fatal.code === 'QUEUE_LOST') {
    fatal = new BarwiseError('QUEUE_LOST', fatal.message, `What finished is kept as run #${runId} of ${o.resultsDb}; once Redis answers there again, continue with: ${formatResumeCommand(runId, o.resultsDb)}`);
  }
  market.close();

  const written = results!; // opened by begin(), which every run that gets here went through
  const status: RunStatus = fatal ? 'error' : interrupted ? 'interrupted' : counts.failures > 0 ? 'partial' : 'completed';
  try {
    const result = finishRecording(written, runId, {
      status, inputs, resultsDb: o.resultsDb, counts, stepsKept: kept.steps, maxSignals: o.maxSignals, trade: o.trade, kept: recorded, startedAt, t0, scanStart, setupMs,
    }, () => performance.now());
    if (fatal) throw fatal;
    if (status !== 'interrupted') {
      const firstSteps: FirstSteps = new Map();
      const keptDays = recorded as KeptCandidates | null; // set by begin(), which TypeScript does not follow
      if (keptDays) rememberFirstSteps(firstSteps, plan, keptDays.firstSteps());
      result.notices = collectRunNotices(result, plan, firstSteps);
    }
    return result;
  } catch (err) {
    // Finishing failed (the results file refuses the last ticker-days, as it refused those that stopped the
    // run): the row still ends as an error, and the error that stopped the run is the one the user sees.
    endRow();
    throw fatal ?? err;
  } finally {
    written.close();
    await closed;
  }
}

/** The run as the JSON output and runs.inputs_json show it (snake_case, one level), from its plan. */
export function describeInputs(plan: RunPlan, planHash: string, workers: number) {
  const o = plan.options;
  return {
    scanner: { path: plan.scanner.path, name: plan.scanner.name, kind: plan.scanner.kind },
    db: plan.db,
    from: plan.universe.from,
    to: plan.universe.to,
    tickers: plan.universe.tickers,
    tickers_without_bars: plan.universe.withoutBars,
    threads: o.threads,
    workers,
    warmup: o.warmup,
    signals_mode: o.signals,
    session: o.session,
    timeframe: o.timeframe,
    mode: o.mode,
    persistent: o.persistent,
    warm: o.warm ?? false,
    max_signals: o.maxSignals ?? null,
    step_timeout_ms: o.stepTimeoutMs,
    references: plan.context.references,
    lookback_days: plan.context.lookbackDays,
    daily_bars: plan.context.dailyBars,
    version: plan.version,
    trade: readTradeRules(plan),
    // The scanner's parameter values; absent for a scanner that declares none.
    ...(Object.keys(plan.params).length > 0 ? { params: plan.params } : {}),
    scanner_sha256: plan.scanner.sha256,
    plan_hash: planHash,
  };
}

