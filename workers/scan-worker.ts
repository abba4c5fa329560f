// A Piscina worker: resolve the scanner once (Piscina waits for this promise), then run tasks.
import { workerData } from 'node:worker_threads';
import { createTaskRunner } from '../src/runtime/task-runner.js';
import type { WorkerConfig } from '../src/runtime/task-types.js';

export default createTaskRunner(workerData as WorkerConfig);
