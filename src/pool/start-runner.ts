/**
 * Runners by name. `threads`: the Piscina pool on this machine. `queue`: BullMQ jobs on Redis, run by
 * `barwise worker` processes on other machines (each on its own `threads` runner).
 */
import { BarwiseError } from '../errors.js';
import type { WorkerConfig } from '../runtime/task-types.js';
import type { Runner, RunnerName } from './runner.js';
import { startQueueRunner, type QueueRunnerOptions } from './queue-runner.js';
import { startThreadRunner, type ThreadRunnerOptions } from './thread-runner.js';

export interface RunnerOptions extends ThreadRunnerOptions {
  /** Required by the queue runner. */
  queue?: QueueRunnerOptions;
}

const RUNNERS = {
  threads: startThreadRunner,
  queue: (config, options) => {
    if (!options.queue) throw new BarwiseError('USAGE', 'the queue runner needs the queue: its URL, secret and the run\'s scope');
    return startQueueRunner(config, options.queue);
  },
} satisfies Record<RunnerName, (config: WorkerConfig, options: RunnerOptions) => Runner>;

export function startRunner(name: RunnerName, config: WorkerConfig, options: RunnerOptions): Runner {
  return RUNNERS[name](config, options);
}
