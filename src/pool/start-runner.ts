/**
 * Runners by name. `threads`, the Piscina pool on this machine, is the only one yet; a runner over a queue
 * (tasks on other machines) is one more file and one more line here.
 */
import type { WorkerConfig } from '../runtime/task-types.js';
import type { Runner, RunnerName } from './runner.js';
import { startThreadRunner, type ThreadRunnerOptions } from './thread-runner.js';

const RUNNERS = {
  threads: startThreadRunner,
} satisfies Record<RunnerName, (config: WorkerConfig, options: ThreadRunnerOptions) => Runner>;

export function startRunner(name: RunnerName, config: WorkerConfig, options: ThreadRunnerOptions): Runner {
  return RUNNERS[name](config, options);
}
