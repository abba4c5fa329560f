/**
 * What a run over the queue checks before it starts anything: Redis answers at the URL, and the scanner is one
 * the queue can ship (its files, with those it imports, small enough for a job: pack-scanner.ts).
 */
import { checkQueueReachable } from './redis-connection.js';
import { checkShippable } from './shard-job.js';

export async function checkQueueRun(url: string, scannerPath: string): Promise<void> {
  checkShippable(scannerPath);
  await checkQueueReachable(url);
}
