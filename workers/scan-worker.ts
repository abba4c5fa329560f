// A Piscina worker: take the config out of workerData (the scanner must not find the source path there),
// load the scanner once (Piscina waits for this promise), then run tasks.
import { workerData } from 'node:worker_threads';
import { createWorkerHandler, takeWorkerConfig } from '../src/runtime/task-runner.js';

export default createWorkerHandler(takeWorkerConfig(workerData));
