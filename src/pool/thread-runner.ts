/**
 * The local runner: tasks on the Piscina pool of worker threads, several to a worker call (batch-runner.ts).
 * The shared progress probe of each task, the step watchdog that stops a step running too long, stop requests
 * and stuck-worker counts live behind the Runner interface, because they need memory shared with the workers.
 */
import type { WorkerConfig } from '../runtime/task-types.js';
import { createBatchRunner } from './batch-runner.js';
import { startScanPool, type PoolOptions } from './scan-pool.js';
import type { Runner } from './runner.js';

export interface ThreadRunnerOptions extends PoolOptions {
  /** How long a step may run before its worker is stopped. */
  watchdogMs: number;
}

export function startThreadRunner(config: WorkerConfig, options: ThreadRunnerOptions): Runner {
  const pool = startScanPool(config, options);
  return createBatchRunner({
    threads: pool.threads,
    watchdogMs: options.watchdogMs,
    runBatch: (tasks, signal, onResult) => pool.run({ tasks }, signal, onResult),
    countStuck: () => pool.countStuck(),
    close: () => pool.destroy(),
  });
}
