/**
 * A worker call over a batch: the tasks in order, each through the same task function as alone. Each task
 * keeps its own progress probe (its watchdog, stop request and crash attribution stay per task). With a
 * `post` (the worker posts on the batch's port), each result leaves the worker as soon as its task has it:
 * if the worker dies or is stopped later in the batch (a step timeout, even after a stop), the tasks that
 * finished keep their results. A task then marks its probe finished, so the main thread knows which task was
 * running when the worker died, and which were posted.
 *
 * A posted result with a failure the supervisor counts (a failed task, or a failed day) holds the worker until
 * the main thread has heard it, before the next task and before the call answers: if those failures reach
 * --max-failures, the stop the supervisor requests is on the next task's probe before it starts, so each
 * thread fails at most the task it is in after the limit (the bound is in docs/reliability.md). A result
 * without failures holds nothing: a run that fails nothing never waits.
 */
import { performance } from 'node:perf_hooks';
import { ProbeWriter } from './progress-probe.js';
import type { BatchAnswer, PostedResult, Task, TaskBatch, TaskResult } from './task-types.js';

export async function runTaskBatch(runTask: (task: Task) => Promise<TaskResult>, batch: TaskBatch, post?: (posted: PostedResult) => void): Promise<BatchAnswer> {
  const start = performance.now();
  const results: TaskResult[] = [];
  // The worker's own time sizes the next calls (batch-runner.ts): time held waiting on the main thread is not it.
  let heldMs = 0;
  for (const [index, task] of batch.tasks.entries()) {
    const result = await runTask(task);
    const probe = new ProbeWriter(task.probe);
    if (post) post({ index, result });
    else results.push(result);
    probe.finished();
    if (post && countsFailure(result)) {
      const held = performance.now();
      await probe.heard();
      heldMs += performance.now() - held;
    }
  }
  return { results, ms: performance.now() - start - heldMs };
}

/** Whether the supervisor counts a failure in the result toward --max-failures (supervise-run.ts, countResult). */
function countsFailure(result: TaskResult): boolean {
  return !result.ok || result.days.some((d) => d.error !== undefined);
}
