// A Piscina worker: take the config out of workerData (the scanner must not find the source path there),
// load the scanner once (Piscina waits for this promise), then run batches of tasks.
import { workerData } from 'node:worker_threads';
import { createWorkerHandler, takeWorkerConfig } from '../src/runtime/task-runner.js';
import { runTaskBatch } from '../src/runtime/run-task-batch.js';
import type { TaskBatch } from '../src/runtime/task-types.js';

export default createWorkerHandler(takeWorkerConfig(workerData)).then((run) => (batch: TaskBatch) => runTaskBatch(run, batch));
