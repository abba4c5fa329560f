/**
 * The supervisor: runs a run's tasks on a Runner and applies the failure policy to each outcome. It is
 * policy, not mechanism, and knows nothing of threads:
 * - a scanner error fails its ticker-day inside the task and comes back as data (a `done` outcome);
 * - a step past the timeout (`timeout`) has its day recorded SCANNER_TIMEOUT and the task re-run without it;
 * - a task whose worker died before it started (a neighbour's crash, a stop) runs again without counting as
 *   a crash, at most MAX_REQUEUES times (a worker that dies before it can start anything must still end);
 * - a crashed ticker-day is retried once, then recorded WORKER_CRASHED and the task re-run without it;
 * - a stop hands back the days running tasks finished, then ends them after a grace period;
 * - the same failure (same code, message and first stack frame) on `maxFailures` ticker-days is a scanner bug,
 *   not bad data: the run stops there instead of failing every day of the universe the same way. Counting and
 *   the stop happen in the reaction to each task's outcome, which a local runner answers as the worker posts it
 *   and before that worker starts another task (src/pool/batch-runner.ts): at most N − 1 + threads × (days in
 *   a task) failures then, whatever the load;
 * - too many stuck workers, a changed input, a results write that fails, a worker that cannot load the
 *   scanner, or a queue worker refusing a shard (its secret or market data differ) stop the run as fatal;
 *   what was recorded is kept.
 */
import pLimit from 'p-limit';
import { BarwiseError, type ErrorData } from '../errors.js';
import type { CrashData, Runner } from '../pool/runner.js';
import type { Task, TaskResult } from '../runtime/task-types.js';

/**
 * Task errors that every other task would meet too, so they stop the run, with what to do: a scanner that loads
 * here but not in a worker, and a queue worker refusing a shard (its secret or its market data differ).
 */
const FATAL_TASK_ERRORS = {
  WORKER_INIT: 'The scanner loaded on the main thread but not in a worker thread; check what it does at import time.',
  WORKER_REFUSED: 'Give the coordinator and every worker the same --queue-secret (or BARWISE_QUEUE_SECRET); docs/cluster.md.',
  MARKET_MISMATCH: 'Give every worker a copy of the same market database as the coordinator; docs/cluster.md.',
  QUEUE_LOST: 'Once Redis answers again, continue the run with --resume (what finished is kept).',
} as const;

/** Re-runs of a task whose worker died before the task started. */
const MAX_REQUEUES = 3;

export interface SupervisePolicy {
  /** Tasks handed to the runner at once (the runner queues what it cannot start yet). */
  concurrency: number;
  stepTimeoutMs: number;
  workerMemoryMb: number;
  /** Stuck workers at which the run stops. */
  stuckLimit: number;
  /** After a stop request, how long running tasks get to hand back their finished days. */
  graceMs: number;
  /** How often the stuck workers, the inputs and the results are checked. */
  pollMs: number;
  /** Identical failures at which the run stops; 0: never. */
  maxFailures: number;
}

/** A failure as the supervisor counts it: the first of its kind, with the ticker-day it happened on. */
export interface FailureSample {
  ticker: string;
  date: string;
  error: ErrorData;
}

export interface SuperviseHooks {
  /** Records what a task answered. Throwing stops the run. */
  record(task: Task, result: TaskResult): void;
  /** Records a failure for one day of a task whose worker died (date null: the task's window). Throwing stops the run. */
  recordLost(task: Task, date: string | null, error: ErrorData): void;
  /** A task is over: everything of it is recorded. */
  onTaskEnd(): void;
  /** Called every poll: an error returned (an input changed) stops the run. */
  checkInputs(): unknown;
  /** Called every poll after the checks (commits finished days). Throwing stops the run. */
  flush(): void;
  /** The error that stops a run with this many stuck workers. */
  stuckError(stuck: number): unknown;
  /** The error that stops a run whose ticker-days failed `count` times the same way as `first`. */
  failureLimitError(first: FailureSample, count: number): unknown;
  /** A stop request from the caller (Ctrl-C). */
  signal?: AbortSignal;
  /**
   * Completes a task before it is first handed to the runner (its column cache name, known once the plan's
   * fingerprint has its ticker): the task waits for it in its place in the queue.
   */
  prepare?(task: Task): Task | Promise<Task>;
}

export interface SuperviseOutcome {
  /** Whether the run was stopped (by the caller, or by a fatal error). */
  interrupted: boolean;
  /** The error that stopped the run, if one did. */
  fatal: unknown;
}

export async function superviseRun(runner: Runner, tasks: readonly Task[], policy: SupervisePolicy, hooks: SuperviseHooks): Promise<SuperviseOutcome> {
  let interrupted = false;
  let fatal: unknown = null;
  const crashed = new Set<string>();
  const requeued = new Map<string, number>();
  const alike = new Map<string, { first: FailureSample; count: number }>();
  const countFailure = (ticker: string, date: string, error: ErrorData) => {
    if (policy.maxFailures <= 0) return;
    const key = identifyFailure(error);
    const seen = alike.get(key) ?? { first: { ticker, date, error }, count: 0 };
    alike.set(key, seen);
    if (++seen.count === policy.maxFailures && !fatal) stopWith(hooks.failureLimitError(seen.first, seen.count));
  };
  const countResult = (task: Task, res: TaskResult) => {
    if (!res.ok) countFailure(task.ticker, windowLabel(task), res.error);
    else for (const d of res.days) if (d.error) countFailure(task.ticker, d.date, d.error);
  };

  let graceTimer: NodeJS.Timeout | null = null;
  const onInterrupt = () => {
    if (interrupted) return;
    interrupted = true;
    // Tasks not handed to the runner yet see the flag and return at once (not limit.clearQueue(): cleared
    // calls never settle).
    runner.requestStop();
    graceTimer = setTimeout(() => runner.abort(), policy.graceMs);
    graceTimer.unref();
  };
  const stopWith = (err: unknown) => {
    fatal ??= err;
    onInterrupt();
  };
  const poll = setInterval(() => {
    if (!fatal) {
      const changed = hooks.checkInputs();
      if (changed) stopWith(changed);
    }
    const stuck = fatal || interrupted ? 0 : runner.countStuck();
    if (stuck >= policy.stuckLimit) stopWith(hooks.stuckError(stuck));
    try {
      hooks.flush();
    } catch (err) {
      stopWith(err);
    }
  }, policy.pollMs);
  if (hooks.signal?.aborted) onInterrupt();
  hooks.signal?.addEventListener('abort', onInterrupt);

  const runTask = async (task: Task): Promise<void> => {
    if (interrupted || fatal) return;
    const out = await runner.run(task);
    if (out.kind === 'done') {
      const res = out.result;
      const fatalHint = res.ok ? undefined : FATAL_TASK_ERRORS[res.error.code as keyof typeof FATAL_TASK_ERRORS];
      if (!res.ok && fatalHint) throw new BarwiseError(res.error.code, res.error.message, fatalHint);
      hooks.record(task, res);
      countResult(task, res);
      hooks.onTaskEnd();
      return;
    }
    if (interrupted && out.kind !== 'timeout') return;
    if (out.kind === 'crashed' && !out.started && (requeued.get(task.key) ?? 0) < MAX_REQUEUES) {
      requeued.set(task.key, (requeued.get(task.key) ?? 0) + 1);
      return runTask(task);
    }
    // The worker is gone and so is its result: re-run the task's other days on a fresh worker.
    const date = out.date;
    if (out.kind === 'timeout') {
      const error: ErrorData = {
        code: 'SCANNER_TIMEOUT',
        message: `a scanner call took longer than the step timeout (${policy.stepTimeoutMs / 1000} s); its worker was stopped`,
      };
      hooks.recordLost(task, date, error);
      countFailure(task.ticker, date ?? windowLabel(task), error);
    } else {
      const key = `${task.ticker}|${date ?? windowLabel(task)}`;
      if (!crashed.has(key)) {
        crashed.add(key);
        return runTask(task);
      }
      const error: ErrorData = { code: 'WORKER_CRASHED', message: `the worker running the scanner died twice: ${describeCrash(out.error, policy.workerMemoryMb)}` };
      hooks.recordLost(task, date, error);
      countFailure(task.ticker, date ?? windowLabel(task), error);
    }
    if (date === null) {
      hooks.onTaskEnd();
      return;
    }
    return runTask({ ...task, skipDates: [...(task.skipDates ?? []), date] });
  };

  const limit = pLimit(policy.concurrency);
  try {
    // Results could not be written, or workers cannot start: stop the run, keep what was committed.
    const prepare = hooks.prepare;
    await Promise.all(tasks.map((t) => limit(() => (prepare ? Promise.resolve(prepare(t)).then(runTask) : runTask(t)).catch(stopWith))));
  } finally {
    clearInterval(poll);
    if (graceTimer) clearTimeout(graceTimer);
    hooks.signal?.removeEventListener('abort', onInterrupt);
  }
  return { interrupted, fatal };
}

/**
 * What makes two failures the same: code, message and the first frame of the stack (where it was thrown), so
 * one bug hit on every ticker-day is counted as one, while the same message from two places is not.
 */
export function identifyFailure(error: ErrorData): string {
  return `${error.code}\0${error.message}\0${findFirstFrame(error.stack) ?? ''}`;
}

/** The first `at …` line of a stack, trimmed; null without one. */
export function findFirstFrame(stack: string | undefined): string | null {
  const line = stack?.split('\n').find((l) => /^\s*at /.test(l));
  return line ? line.trim() : null;
}

/** A task's dates as a failure names them when no single day can be: `from..to`. */
export function windowLabel(task: Task): string {
  return task.fromDate === task.toDate ? task.fromDate : `${task.fromDate}..${task.toDate}`;
}

/** Why a worker died, in the user's terms, with what to do. */
export function describeCrash(err: CrashData, workerMemoryMb: number): string {
  const text = err.message;
  if (err.code === 'ERR_WORKER_OUT_OF_MEMORY' || /memory limit|out of memory/i.test(text)) {
    return `the scanner ran out of memory (${text}); the limit per worker is ${workerMemoryMb} MB: fix what the scanner keeps, or raise --worker-memory`;
  }
  const exit = /worker exited with code:? (\d+)/i.exec(text);
  if (exit) return `the scanner ended its worker thread (exit code ${exit[1]}, e.g. process.exit()); scanners must return, not exit`;
  return `${text}; an uncaught error in a callback (a timer, an event) ends the worker: catch it inside the scanner`;
}
