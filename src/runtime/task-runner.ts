/**
 * What a worker does, as plain functions: load the scanner once, then run tasks. Tests call this
 * in-process; workers/scan-worker.ts only hands it workerData.
 */
import { exchangeDayStartMs, nextDate } from '../data/exchange-time.js';
import { openMarketStore } from '../data/market-store.js';
import { DayDb } from '../day-db/day-db.js';
import { toErrorData } from '../errors.js';
import { loadStepScanner } from '../scanners/load-scanner.js';
import { buildDays } from './build-days.js';
import { ProbeWriter } from './progress-probe.js';
import { replayDay } from './replay-day.js';
import type { DayOutcome, Task, TaskResult, WorkerConfig } from './task-types.js';

export type TaskRunner = ((task: Task) => Promise<TaskResult>) & { close(): void };

/**
 * The worker's entry: never rejects. If the scanner or the store cannot be loaded in the worker, every task
 * is answered with that error as data (code WORKER_INIT) and the engine stops the run with it. A rejected
 * init would instead leave Piscina without a worker, hiding the real error behind a loader message.
 */
export async function createWorkerHandler(config: WorkerConfig): Promise<(task: Task) => Promise<TaskResult>> {
  try {
    return await createTaskRunner(config);
  } catch (err) {
    const { message } = toErrorData(err, 'WORKER_INIT');
    const error = { code: 'WORKER_INIT' as const, message: `a worker could not load the scanner: ${message}` };
    return async () => ({ ok: false, error });
  }
}

export async function createTaskRunner(config: WorkerConfig): Promise<TaskRunner> {
  const dayDb = new DayDb();
  const scanner = await loadStepScanner(config, dayDb);
  const store = openMarketStore(config.dbPath);
  const options = { warmup: config.warmup, signals: config.signals, timeframe: config.timeframe };

  const run = async (task: Task): Promise<TaskResult> => {
    const probe = new ProbeWriter(task.probe);
    probe.started();
    let days;
    try {
      const raw = store.readBars(task.ticker, config.timeframe, exchangeDayStartMs(task.fromDate), exchangeDayStartMs(nextDate(task.toDate)));
      days = buildDays(task.ticker, raw, config.session);
    } catch (err) {
      return { ok: false, error: toErrorData(err, 'DB_UNREADABLE') };
    }
    const skip = new Set(task.skipDates ?? []);
    const outcomes: DayOutcome[] = [];
    for (const day of days) {
      if (skip.has(day.date)) continue;
      if (probe.stopRequested()) return { ok: true, days: outcomes, stopped: true };
      const outcome = await replayDay(task.ticker, day, scanner, dayDb, options, probe);
      if (outcome === null) return { ok: true, days: outcomes, stopped: true };
      outcomes.push(outcome);
    }
    return { ok: true, days: outcomes };
  };
  return Object.assign(run, {
    close() {
      scanner.close?.();
      store.close();
      dayDb.close();
    },
  });
}
