/**
 * A shard whose worker process dies while running it (a scanner that kills its process or calls
 * process.abort(), a native crash, the out-of-memory killer) leaves no error behind: BullMQ only sees the lock
 * lapse, and hands the shard to another worker. A shard that does this to every worker is poison, and which
 * of its tasks is to blame is not known. So:
 * - a shard is taken at most SHARD_TAKES times (BullMQ's stall limit); then the coordinator splits it and sends
 *   each of its tasks as a shard of its own, marked `alone`;
 * - a worker runs an `alone` shard with nothing else running in its process (run-alone-gate.ts) and counts in
 *   Redis the processes that died while running it; once LOST_LIMIT have, the next worker to take it fails it
 *   with WORKER_LOST, naming the ticker-days, and the coordinator records that as the task's failure and goes on.
 * A good task that shared a shard with a poison one thus runs alone and keeps its days; only a task that kills
 * the process it runs alone in is failed.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import type { Redis } from 'ioredis';
import type { ErrorData } from '../errors.js';
import type { Task } from '../runtime/task-types.js';
import { windowLabel } from '../engine/supervise-run.js';

/** Worker processes that may die running a task alone before it is failed WORKER_LOST. */
export const LOST_LIMIT = 2;
/** Times a shard is taken before it is split (BullMQ's maxStalledCount on the worker is one less). */
export const SHARD_TAKES = 3;
/** How long a death count is kept (a worker that dies takes seconds to a minute to be noticed). */
const COUNT_TTL_S = 3600;

type TaskLike = Omit<Task, 'probe'>;

/** A task's days as the failure names them. */
export function describeTaskDays(task: TaskLike): string {
  const days = windowLabel(task);
  const skipped = task.skipDates?.length ? ` (less ${task.skipDates.length} day(s) done before)` : '';
  return `${task.ticker} ${days}${skipped}`;
}

const countKey = (planId: string, task: TaskLike) =>
  `barwise-lost:${createHash('sha256').update(`${planId}\0${task.key}\0${(task.skipDates ?? []).join(',')}`).digest('hex').slice(0, 32)}`;

/**
 * Before a worker runs an `alone` task: the WORKER_LOST reason when LOST_LIMIT processes died running it (the
 * count is then cleared: a later run of it, e.g. a resume, starts afresh), else null, having counted this
 * process in (uncounted by `release` when the task ends).
 */
export async function enterLostCount(redis: Redis, planId: string, task: TaskLike): Promise<{ lost: string | null; release(): Promise<void> }> {
  const key = countKey(planId, task);
  const [deaths, last] = await redis.hmget(key, 'deaths', 'last');
  if (Number(deaths ?? 0) >= LOST_LIMIT) {
    await redis.del(key);
    return {
      lost: `WORKER_LOST: the worker process running ${describeTaskDays(task)} died ${deaths} times while running it alone (the last: ${last}); no error reached the queue: a scanner that kills its process or calls process.abort(), a native crash, or the out-of-memory killer`,
      release: async () => {},
    };
  }
  await redis.multi().hincrby(key, 'deaths', 1).hset(key, 'last', `process ${process.pid} on ${os.hostname()}`).expire(key, COUNT_TTL_S).exec();
  return { lost: null, release: async () => void (await redis.hincrby(key, 'deaths', -1)) };
}

/** The task failure a WORKER_LOST job reason stands for, or null. */
export function readLost(message: string): ErrorData | null {
  const m = /^WORKER_LOST: ([\s\S]*)$/.exec(message);
  return m ? { code: 'WORKER_LOST', message: m[1] } : null;
}

/** Whether a job's failure reason says its worker processes died holding it (BullMQ's stall limit). */
export function isStallFailure(message: string): boolean {
  return /stalled/i.test(message);
}
