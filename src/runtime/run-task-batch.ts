/**
 * A worker call over a batch: the tasks in order, each through the same task function as alone. Each task
 * keeps its own progress probe (its watchdog, stop request and crash attribution stay per task); a task
 * marks its probe finished once it has its result, so the main thread knows, if the worker dies later in
 * the batch, which task was running and which ones must run again.
 */
import { performance } from 'node:perf_hooks';
import { ProbeWriter } from './progress-probe.js';
import type { BatchAnswer, Task, TaskBatch, TaskResult } from './task-types.js';

export async function runTaskBatch(runTask: (task: Task) => Promise<TaskResult>, batch: TaskBatch): Promise<BatchAnswer> {
  const start = performance.now();
  const results: TaskResult[] = [];
  for (const task of batch.tasks) {
    results.push(await runTask(task));
    new ProbeWriter(task.probe).finished();
  }
  return { results, ms: performance.now() - start };
}
