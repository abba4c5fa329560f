/**
 * `barwise worker`: serve the queue's shards on this machine until SIGINT or SIGTERM (src/cluster/serve-queue.ts).
 * Logs go to stderr, one line per event; on a signal it stops taking shards, ends its threads and the processes
 * they started, removes its temp directory and exits 130 or 143.
 */
import os from 'node:os';
import type { Argv } from 'yargs';
import { DEFAULTS } from '../config/backtest-options.js';
import { checkQueueReachable, showQueueUrl } from '../cluster/redis-connection.js';
import { readQueueSecret } from '../cluster/shard-job.js';
import { serveQueue } from '../cluster/serve-queue.js';
import { EXIT } from './exit.js';
import { addOptionFlags, checkCommandFlags } from './option-flags.js';

export function workerBuilder(y: Argv) {
  return addOptionFlags(y, 'worker');
}

export async function workerHandler(argv: Record<string, unknown>): Promise<number> {
  checkCommandFlags(argv, 'worker');
  const url = String(argv.queue);
  const secret = readQueueSecret(argv['queue-secret'] as string | undefined);
  const threads = (argv.threads as number | undefined) ?? os.availableParallelism();
  await checkQueueReachable(url);
  // Tests shorten BullMQ's stall detection (30 s) to see a killed worker's shards move within seconds.
  const stalledMs = Number(process.env.BARWISE_QUEUE_STALL_MS) || undefined;
  const worker = await serveQueue({
    url, db: String(argv.db), threads, secret, workerMemoryMb: DEFAULTS.workerMemoryMb,
    stalledIntervalMs: stalledMs, lockDurationMs: stalledMs,
    onLog: (line) => process.stderr.write(`barwise worker: ${line}\n`),
  });
  process.stderr.write(`barwise worker: serving ${showQueueUrl(url)} with ${threads} thread(s) on ${argv.db}\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  process.stderr.write(`barwise worker: ${signal}, stopping\n`);
  await worker.close();
  return signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
}
