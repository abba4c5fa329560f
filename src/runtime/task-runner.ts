/**
 * What a worker does, as plain functions: load the scanner once, then run tasks. Tests call this
 * in-process; workers/scan-worker.ts only hands it workerData.
 */
import { DayDb } from '../day-db/day-db.js';
import { toErrorData } from '../errors.js';
import { loadStepScanner } from '../scanners/load-scanner.js';
import { ProbeWriter } from './progress-probe.js';
import { replayDay } from './replay-day.js';
import { tradeDay } from './trade-day.js';
import { packDayBytes } from './pack-day-bytes.js';
import { replayFullDay } from './replay-full-day.js';
import type { DayOutcome, Task, TaskResult, WorkerConfig } from './task-types.js';
import { createSweepTaskRunner } from '../sweep/sweep-task-runner.js';
import { contextFailure, openTaskInputs, readTaskDays } from './read-task-days.js';

export type TaskRunner = ((task: Task) => Promise<TaskResult>) & { close(): void };

/**
 * The worker's configuration, taken out of `workerData` and the object emptied: a module scanner runs in
 * this thread and can import `workerData` (from node:worker_threads or piscina, the same object), which
 * would hand it the source database's path and with it every future bar. Called before the scanner loads.
 */
export function takeWorkerConfig(data: unknown): WorkerConfig {
  const config = { ...(data as WorkerConfig) };
  if (data !== null && typeof data === 'object') {
    for (const key of Reflect.ownKeys(data)) Reflect.deleteProperty(data, key);
  }
  return config;
}

/**
 * The worker's entry: never rejects. If the scanner or the store cannot be loaded in the worker, every task
 * is answered with that error as data (code WORKER_INIT) and the engine stops the run with it. A rejected
 * init would instead leave Piscina without a worker, hiding the real error behind a loader message.
 */
export async function createWorkerHandler(config: WorkerConfig): Promise<(task: Task) => Promise<TaskResult>> {
  try {
    // A sweep's workers evaluate every combination on each ticker-day (src/sweep).
    return await (config.sweep ? createSweepTaskRunner(config, config.sweep) : createTaskRunner(config));
  } catch (err) {
    const { message } = toErrorData(err, 'WORKER_INIT');
    const error = { code: 'WORKER_INIT' as const, message: `a worker could not load the scanner: ${message}` };
    return async () => ({ ok: false, error });
  }
}

export async function createTaskRunner(config: WorkerConfig): Promise<TaskRunner> {
  const dayDb = new DayDb();
  const scanner = await loadStepScanner(config, dayDb);
  const inputs = openTaskInputs(config);
  const { options } = inputs;
  // Full-day mode is the audit's deliberately leaky backtest (docs/audit.md); everything else is the replay.
  const replay = config.mode === 'full-day' ? replayFullDay : replayDay;

  const run = async (task: Task): Promise<TaskResult> => {
    const probe = new ProbeWriter(task.probe);
    probe.started();
    const taskDays = readTaskDays(inputs, config, task);
    if (!taskDays.ok) return taskDays;
    const { days, todo, contextOf } = taskDays.read;
    const outcomes: DayOutcome[] = [];
    const answer = (stopped: boolean): TaskResult => {
      packDayBytes([outcomes]);
      return { ok: true, days: outcomes, ...(stopped ? { stopped } : {}) };
    };
    for (const k of todo) {
      const day = days[k];
      if (probe.stopRequested()) return answer(true);
      let dayContext;
      try {
        dayContext = contextOf(k);
      } catch (err) {
        outcomes.push(contextFailure(day, err));
        probe.dayDone();
        continue;
      }
      const outcome = await replay(task.ticker, day, scanner, dayDb, options, probe, dayContext);
      if (outcome === null) return answer(true);
      if (config.trade) tradeDay(day, outcome, config.trade, config.timeframe);
      outcomes.push(outcome);
      probe.dayDone();
    }
    return answer(false);
  };
  return Object.assign(run, {
    close() {
      scanner.close?.();
      inputs.store.close();
      dayDb.close();
    },
  });
}
