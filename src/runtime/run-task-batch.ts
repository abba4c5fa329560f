/**
 * A worker call over a batch: the tasks in order, each through the same task function as alone. Each task
 * keeps its own progress probe (its watchdog, stop request and crash attribution stay per task). With a
 * `post` (the worker posts on the batch's port), each result leaves the worker as soon as its task has it:
 * if the worker dies or is stopped later in the batch (a step timeout, even after a stop), the tasks that
 * finished keep their results. A task then marks its probe finished, so the main thread knows which task was
 * running when the worker died, and which were posted.
 */
import { performance } from 'node:perf_hooks';
import { ProbeWriter } from './progress-probe.js';
import type { BatchAnswer, PostedResult, Task, TaskBatch, TaskResult } from './task-types.js';

export async function runTaskBatch(runTask: (task: Task) => Promise<TaskResult>, batch: TaskBatch, post?: (posted: PostedResult) => void): Promise<BatchAnswer> {
  const start = performance.now();
  const results: TaskResult[] = [];
  for (const [index, task] of batch.tasks.entries()) {
    const result = await runTask(task);
    if (post) post({ index, result });
    else results.push(result);
    new ProbeWriter(task.probe).finished();
  }
  return { results, ms: performance.now() - start };
}
