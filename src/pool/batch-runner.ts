/**
 * A Runner over worker calls that each carry a batch of tasks. A worker call costs a round trip to the main
 * thread (the worker idles while the main thread records the last answer and posts the next call); one task
 * per call paid it 2,046 times on the bench universe. Here `run(task)` only queues the task, and calls are
 * formed from the queue, each sized by measurement to about BATCH_TARGET_MS of the worker's own time.
 *
 * Every task keeps its own progress probe and its own outcome, exactly as if it had run alone:
 * - the step watchdog watches each task's probe, so a timeout names its task and day;
 * - a stop request reaches every task queued or in a batch, at its next day boundary;
 * - each task's result leaves the worker as soon as the task has it (posted, not held for the call's answer),
 *   and the task answers it the moment it arrives: the supervisor records it, counts its failures and shows it
 *   in the progress while the rest of the call runs, and a stop it requests (--max-failures) reaches the
 *   call's next tasks. A worker that posted a failure holds its next task until the result was acted on
 *   (markHeard, after the answer's promise reactions ran), so the stop is there before that task starts;
 * - when a batch's worker dies or is stopped for a timeout, the tasks of the batch that finished have answered
 *   their results already, run or stopping alike (a step timeout after Ctrl-C keeps the days its neighbours
 *   finished), and nothing the call answered is answered again;
 * - the task that was running takes the outcome (`crashed` on its day, or `timeout`); the others, not started
 *   (or finished without their result reaching the main thread), lost nothing the supervisor saw and run
 *   again, at the front of the queue; a task that took such an outcome runs alone from then on, so its
 *   retries cost no neighbour anything. A worker that died while no task of the batch was running (between
 *   tasks, or before the first) leaves no one to blame: each unanswered task answers `crashed` as not started,
 *   which the supervisor re-runs a bounded number of times.
 */
import { createProbe, markHeard, readProbe, readProgress, requestStop } from '../runtime/progress-probe.js';
import type { BatchAnswer, PostedResult, Task } from '../runtime/task-types.js';
import { toCrashData, type Runner, type TaskOutcome } from './runner.js';
import { StepWatchdog } from './step-watchdog.js';

/** Worker time a call aims at: far above the ~25–55 µs round trip, small enough to balance the tail. */
export const BATCH_TARGET_MS = 30;
/**
 * Fewest tasks in a call while the queue has enough for every thread. The worker's time is wall time: on a
 * loaded machine a task's measured time swells with the waits for a core, and the measured size alone would
 * fall back to a task per call just when every round trip costs most.
 */
export const MIN_BATCH = 8;
/** Most tasks in one call. */
export const MAX_BATCH = 64;
/** Worker calls in flight per thread: one running, one queued in the pool, so a worker never waits on a post. */
const CALLS_PER_THREAD = 2;

export interface BatchRunnerOptions {
  threads: number;
  /** How long a step may run before its worker is stopped. */
  watchdogMs: number;
  /**
   * Runs the tasks in one worker call, in order; rejects when the worker dies or `signal` aborts it. Each
   * result the worker posts goes to `onResult` as it arrives, every one before the call settles (the answer
   * then carries none).
   */
  runBatch(tasks: Task[], signal: AbortSignal, onResult: (posted: PostedResult) => void): Promise<BatchAnswer>;
  countStuck(): number;
  close(): Promise<number>;
  /** How the watchdog reads the clock (tests). */
  now?: () => number;
}

interface Entry {
  task: Task;
  probe: SharedArrayBuffer;
  resolve(outcome: TaskOutcome): void;
  unwatch(): void;
  timedOut: { date: string | null } | null;
}

interface Call {
  entries: Entry[];
  ac: AbortController;
}

export function createBatchRunner(options: BatchRunnerOptions): Runner {
  const watchdog = new StepWatchdog(options.watchdogMs, options.now);
  const queue: Entry[] = [];
  /** Every task asked for and not answered yet, queued or in a call. */
  const live = new Set<Entry>();
  const calls = new Set<Call>();
  /** Tasks that took a crash or timeout in a batch: they run alone. */
  const alone = new Set<string>();
  let msPerTask: number | null = null;
  let stopping = false;
  let aborting = false;
  let dispatchScheduled = false;

  const watch = (entry: Entry, call: () => Call | undefined) => {
    entry.unwatch = watchdog.watch(entry.probe, (date) => {
      entry.timedOut = { date };
      call()?.ac.abort();
    });
  };

  /** Every entry answers once: `live` holds those that have not. */
  const answer = (entry: Entry, outcome: TaskOutcome) => {
    if (!live.has(entry)) return;
    entry.unwatch();
    live.delete(entry);
    entry.resolve(outcome);
  };

  /** How many tasks the next call takes: about BATCH_TARGET_MS of work, and a fair share of what is queued. */
  const nextSize = () => {
    // Until a call has been measured, one task: a slow scanner's first calls must not hold many tasks.
    const measured = msPerTask === null ? 1 : Math.max(MIN_BATCH, Math.round(BATCH_TARGET_MS / Math.max(msPerTask, 1e-3)));
    const share = Math.ceil(queue.length / options.threads);
    return Math.max(1, Math.min(MAX_BATCH, measured, share));
  };

  const dispatch = () => {
    dispatchScheduled = false;
    while (calls.size < options.threads * CALLS_PER_THREAD && queue.length > 0) {
      const size = alone.has(queue[0].task.key) ? 1 : nextSize();
      const entries: Entry[] = [];
      while (entries.length < size && queue.length > 0 && !alone.has(queue[0].task.key)) entries.push(queue.shift()!);
      if (entries.length === 0) entries.push(queue.shift()!);
      start({ entries, ac: new AbortController() });
    }
  };
  // Deferred to the next turn, so the tasks the supervisor hands over together form one call.
  const scheduleDispatch = () => {
    if (dispatchScheduled) return;
    dispatchScheduled = true;
    setImmediate(dispatch);
  };

  const start = (call: Call) => {
    calls.add(call);
    for (const e of call.entries) watch(e, () => call);
    const tasks = call.entries.map((e) => ({ ...e.task, probe: e.probe }));
    const onResult = (p: PostedResult) => {
      const e = call.entries[p.index];
      answer(e, { key: e.task.key, kind: 'done', result: p.result });
      // After the answer's reactions (the supervisor's record, failure count and any stop it requests): a
      // worker holding its next task on this result goes on only now. Marked whatever the result, so no
      // worker can wait on a result the main thread judged otherwise.
      const probe = tasks[p.index].probe!;
      setImmediate(() => markHeard(probe));
    };
    options.runBatch(tasks, call.ac.signal, onResult).then(
      (got) => {
        const perTask = got.ms / call.entries.length;
        msPerTask = msPerTask === null ? perTask : (msPerTask + perTask) / 2;
        calls.delete(call);
        dispatch();
        // Posted results answered as they arrived; a worker answering in the call itself (no port) answers here.
        call.entries.forEach((e, i) => answer(e, { key: e.task.key, kind: 'done', result: got.results[i] }));
      },
      (err) => {
        calls.delete(call);
        settleFailed(call, err);
        dispatch();
      },
    );
  };

  const settleFailed = (call: Call, err: unknown) => {
    // A task whose result reached the main thread before the worker went has answered it (onResult): it is
    // done, whatever came after, and neither blamed nor re-run.
    const unanswered = call.entries.filter((e) => live.has(e));
    const states = unanswered.map((e) => readProbe(e.probe));
    const culprit = unanswered.findIndex((e, i) => e.timedOut !== null || (states[i].started && !states[i].finished));
    const rerun: Entry[] = [];
    unanswered.forEach((e, i) => {
      const { started, date } = states[i];
      if (e.timedOut) {
        alone.add(e.task.key);
        answer(e, { key: e.task.key, kind: 'timeout', date: e.timedOut.date });
      } else if (i === culprit || culprit < 0 || aborting || stopping) {
        // Aborted or stopping: the supervisor keeps nothing of these, as of a task alone.
        if (i === culprit) alone.add(e.task.key);
        answer(e, { key: e.task.key, kind: 'crashed', date, started: i === culprit ? started : false, error: toCrashData(err) });
      } else {
        rerun.push(e);
      }
    });
    for (const e of rerun) {
      e.unwatch();
      e.probe = createProbe();
    }
    queue.unshift(...rerun);
  };

  return {
    threads: options.threads,
    queueDepth: options.threads * CALLS_PER_THREAD * MAX_BATCH,
    run: (task) => new Promise<TaskOutcome>((resolve) => {
      const entry: Entry = { task, probe: createProbe(), resolve, unwatch: () => {}, timedOut: null };
      live.add(entry);
      queue.push(entry);
      scheduleDispatch();
    }),
    requestStop: () => {
      stopping = true;
      for (const e of live) requestStop(e.probe);
    },
    abort: () => {
      aborting = true;
      for (const e of queue.splice(0)) answer(e, { key: e.task.key, kind: 'crashed', date: null, started: false, error: { message: 'stopped before it started' } });
      for (const c of calls) c.ac.abort();
    },
    readRunning: () => {
      let steps = 0;
      let tickerDays = 0;
      for (const e of live) {
        const p = readProgress(e.probe);
        steps += p.steps;
        tickerDays += p.daysDone;
      }
      return { steps, tickerDays };
    },
    countStuck: () => options.countStuck(),
    close: () => {
      watchdog.stop();
      return options.close();
    },
  };
}
