/**
 * The seam between the supervisor (policy: retry, timeout, stop) and whatever runs tasks (mechanism). A
 * runner takes plain tasks and answers each with its outcome as plain data, keyed by the task's stable key,
 * so that a runner on other machines (a queue) can fill the same interface: nothing here assumes shared
 * memory. How a local runner sees progress, enforces the step timeout or asks a task to stop stays inside it.
 */
import type { Task, TaskResult } from '../runtime/task-types.js';

/** Why a worker died, as data: the message of what ended it and, where there is one, its code. */
export interface CrashData {
  message: string;
  code?: string;
}

/**
 * How one run of a task ended. `done`: the task answered (its days, or its error as data). `timeout`: a step
 * ran past the step timeout and its worker was stopped, on `date` (null: before its first day). `crashed`:
 * the worker died; `started` says whether the task had begun, `date` the day it was on.
 */
export type TaskOutcome =
  | { key: string; kind: 'done'; result: TaskResult }
  | { key: string; kind: 'timeout'; date: string | null }
  | { key: string; kind: 'crashed'; date: string | null; started: boolean; error: CrashData };

export interface Runner {
  /** Tasks it runs at once. */
  readonly threads: number;
  /**
   * Tasks worth handing it at once (it forms its own worker calls from them); absent: two per thread, one
   * running and one waiting.
   */
  readonly queueDepth?: number;
  /** Runs one task; never rejects: a dead worker is an outcome too. */
  run(task: Task): Promise<TaskOutcome>;
  /** Asks the running tasks to hand back the ticker-days they finished, at their next day boundary. */
  requestStop(): void;
  /**
   * After requestStop, how long the running tasks get to hand back their finished days before abort(); absent:
   * the caller's own grace (a local pool answers within a second).
   */
  readonly stopGraceMs?: number;
  /** Ends the running tasks now; each answers `crashed` (or `done`, if it was already answering). */
  abort(): void;
  /**
   * Steps and ticker-days the tasks still running have done so far (not answered yet), for the progress bar;
   * absent where the runner cannot see inside a running task.
   */
  readRunning?(): { steps: number; tickerDays: number };
  /** Workers told to stop that are still running (stuck in a call that cannot be interrupted). */
  countStuck(): number;
  /** Stops every worker; resolves with how many could not be stopped. */
  close(): Promise<number>;
}

/** The runners a run can choose, by name. */
export const RUNNER_NAMES = ['threads', 'queue'] as const;
export type RunnerName = (typeof RUNNER_NAMES)[number];

/** What a crash was, from what the pool rejected with, in plain data. */
export function toCrashData(err: unknown): CrashData {
  const e = err as { message?: string; code?: string } | null;
  const message = e?.message || e?.code || String(err);
  return typeof e?.code === 'string' ? { message, code: e.code } : { message };
}
