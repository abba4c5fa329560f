// A Piscina worker: take the config out of workerData (the scanner must not find the source path there),
// load the scanner once (Piscina waits for this promise), then run batches of tasks, each result posted on
// the batch's port as its task finishes.
import { workerData } from 'node:worker_threads';
import { createWorkerHandler, takeWorkerConfig } from '../src/runtime/task-runner.js';
import { runTaskBatch } from '../src/runtime/run-task-batch.js';
import type { TaskBatch } from '../src/runtime/task-types.js';

export default createWorkerHandler(takeWorkerConfig(workerData)).then((run) => async (batch: TaskBatch) => {
  try {
    return await runTaskBatch(run, batch, batch.port && ((posted) => batch.port!.postMessage(posted)));
  } finally {
    batch.port?.close();
  }
});
