/**
 * A coordinator stopping its run (Ctrl-C, SIGTERM, a fatal error) tells the workers through Redis, two ways: a
 * key saying the plan stops, which a worker reads before it starts one of the plan's shards (a shard taken just
 * after the stop then runs nothing), and a message on one channel, which workers running the plan's shards hear
 * and stop them at their next ticker-day boundary, answering the days they finished as a local pool does.
 * Both are keyed by the plan's queue identity (shard-job.ts), from which its shards' job ids derive. The key
 * expires, so a stop nobody clears cannot hold the same work back for long; a coordinator starting the plan
 * (a resume) clears it first.
 */
import type { Redis } from 'ioredis';
import { connectRedis } from './redis-connection.js';

/**
 * Redis delivers a message to the subscribers of every database on the server, so the channel names the
 * database: a stop on one database's queue must not stop the same work served from another's.
 */
const stopChannel = (db: number | undefined) => `barwise-stop:${db ?? 0}`;
/** The crash message of a task a worker did not start because its run was stopping. */
export const STOPPED = 'the run was stopped';
/** Long enough to outlast every shard of the plan still held by a worker; a resume clears it sooner. */
const STOP_TTL_S = 600;

const stopKey = (planId: string) => `barwise-stop:${planId.slice(0, 32)}`;

export async function announceStop(redis: Redis, planId: string): Promise<void> {
  await redis.multi().set(stopKey(planId), '1', 'EX', STOP_TTL_S).publish(stopChannel(redis.options.db), planId).exec();
}

export async function clearStop(redis: Redis, planId: string): Promise<void> {
  await redis.del(stopKey(planId));
}

export async function isStopped(redis: Redis, planId: string): Promise<boolean> {
  return (await redis.exists(stopKey(planId))) === 1;
}

/** Calls `onStop(planId)` for every stop announced; its own connection (a subscriber can send nothing else). */
export function listenForStops(url: string, onStop: (planId: string) => void): { close(): void } {
  const sub = connectRedis(url);
  const channel = stopChannel(sub.options.db);
  // ioredis subscribes again by itself after a reconnect.
  void sub.subscribe(channel).catch(() => {});
  sub.on('message', (from: string, planId: string) => {
    if (from === channel) onStop(planId);
  });
  return { close: () => sub.disconnect() };
}
