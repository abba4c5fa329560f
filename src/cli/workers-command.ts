/**
 * `barwise workers --queue URL`: the workers connected to the queue and what each is doing
 * (src/cluster/list-workers.ts). Read-only: it takes no secret. No worker connected is not a failure (exit 0);
 * it says so and how to start one.
 */
import type { Argv } from 'yargs';
import { checkQueueReachable, connectRedis, showQueueUrl } from '../cluster/redis-connection.js';
import { listWorkers } from '../cluster/list-workers.js';
import { EXIT } from './exit.js';
import { formatWorkers } from './format-workers.js';
import { addOptionFlags, checkCommandFlags } from './option-flags.js';

export function workersBuilder(y: Argv) {
  return addOptionFlags(y, 'workers');
}

export async function workersHandler(argv: Record<string, unknown>): Promise<number> {
  checkCommandFlags(argv, 'workers');
  const url = String(argv.queue);
  await checkQueueReachable(url);
  const redis = connectRedis(url);
  try {
    const workers = await listWorkers(redis);
    const json = (argv.json as boolean | undefined) ?? !process.stdout.isTTY;
    if (json) process.stdout.write(JSON.stringify({ queue: showQueueUrl(url), workers }, null, 2) + '\n');
    else if (workers.length === 0) process.stderr.write(formatWorkers(url, workers, new Date()));
    else process.stdout.write(formatWorkers(url, workers, new Date()));
    return EXIT.ok;
  } finally {
    redis.disconnect();
  }
}
