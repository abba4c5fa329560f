/**
 * Runners by name. `threads`: the Piscina pool on this machine. `queue`: BullMQ jobs on Redis, run by
 * `barwise worker` processes on other machines (each on its own `threads` runner). The queue runner is
 * imported only when chosen: BullMQ and ioredis are ~300 modules, most of a small local run's start-up.
 */
import { BarwiseError } from '../errors.js';
import type { WorkerConfig } from '../runtime/task-types.js';
import type { Runner, RunnerName } from './runner.js';
import type { QueueRunnerOptions } from './queue-runner.js';
import { startThreadRunner, type ThreadRunnerOptions } from './thread-runner.js';

export interface RunnerOptions extends ThreadRunnerOptions {
  /** Required by the queue runner. */
  queue?: QueueRunnerOptions;
}

const RUNNERS = {
  threads: async (config, options) => startThreadRunner(config, options),
  queue: async (config, options) => {
    if (!options.queue) throw new BarwiseError('USAGE', 'the queue runner needs the queue: its URL, secret and the run\'s scope');
    const { startQueueRunner } = await import('./queue-runner.js');
    return startQueueRunner(config, options.queue);
  },
} satisfies Record<RunnerName, (config: WorkerConfig, options: RunnerOptions) => Promise<Runner>>;

export function startRunner(name: RunnerName, config: WorkerConfig, options: RunnerOptions): Promise<Runner> {
  return RUNNERS[name](config, options);
}
