/**
 * The local runner: tasks on the Piscina pool of worker threads. The shared progress probe of each task,
 * the step watchdog that stops a step running too long, stop requests and stuck-worker counts live here,
 * behind the Runner interface, because they need memory shared with the workers.
 */
import { createProbe, readProbe, requestStop } from '../runtime/progress-probe.js';
import type { WorkerConfig } from '../runtime/task-types.js';
import { startScanPool, type PoolOptions } from './scan-pool.js';
import { StepWatchdog } from './step-watchdog.js';
import { toCrashData, type Runner, type TaskOutcome } from './runner.js';

export interface ThreadRunnerOptions extends PoolOptions {
  /** How long a step may run before its worker is stopped. */
  watchdogMs: number;
}

export function startThreadRunner(config: WorkerConfig, options: ThreadRunnerOptions): Runner {
  const pool = startScanPool(config, options);
  const watchdog = new StepWatchdog(options.watchdogMs);
  const inFlight = new Map<AbortController, SharedArrayBuffer>();
  return {
    threads: pool.threads,
    run: async (task): Promise<TaskOutcome> => {
      const probe = createProbe();
      const ac = new AbortController();
      let timedOut: { date: string | null } | null = null;
      const unwatch = watchdog.watch(probe, (date) => {
        timedOut = { date };
        ac.abort();
      });
      inFlight.set(ac, probe);
      try {
        const result = await pool.run({ ...task, probe }, ac.signal);
        return { key: task.key, kind: 'done', result };
      } catch (err) {
        const to = timedOut as { date: string | null } | null;
        if (to) return { key: task.key, kind: 'timeout', date: to.date };
        const { started, date } = readProbe(probe);
        return { key: task.key, kind: 'crashed', date, started, error: toCrashData(err) };
      } finally {
        unwatch();
        inFlight.delete(ac);
      }
    },
    requestStop: () => {
      for (const probe of inFlight.values()) requestStop(probe);
    },
    abort: () => {
      for (const ac of inFlight.keys()) ac.abort();
    },
    readRunning: () => {
      let steps = 0;
      let tickerDays = 0;
      for (const probe of inFlight.values()) {
        const p = readProbe(probe);
        steps += p.steps;
        tickerDays += p.daysDone;
      }
      return { steps, tickerDays };
    },
    countStuck: () => pool.countStuck(),
    close: () => {
      watchdog.stop();
      return pool.destroy();
    },
  };
}
