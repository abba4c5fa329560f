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

export async function createTaskRunner(config: WorkerConfig): Promise<TaskRunner> {
  const dayDb = new DayDb();
  const scanner = await loadStepScanner(config.scanner, dayDb);
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
      outcomes.push(await replayDay(task.ticker, day, scanner, dayDb, options, probe));
    }
    return { ok: true, days: outcomes };
  };
  return Object.assign(run, {
    close() {
      store.close();
      dayDb.close();
    },
  });
}
