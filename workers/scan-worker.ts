// A Piscina worker: load the scanner once (Piscina waits for this promise), then run tasks.
import { workerData } from 'node:worker_threads';
import { createWorkerHandler } from '../src/runtime/task-runner.js';
import type { WorkerConfig } from '../src/runtime/task-types.js';

export default createWorkerHandler(workerData as WorkerConfig);
