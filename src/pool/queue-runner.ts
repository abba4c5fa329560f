/**
 * The queue runner: tasks as BullMQ jobs on Redis, run by `barwise worker` processes on any number of machines
 * (src/cluster/serve-queue.ts). Each job carries the signed shard plan, the task and the market fingerprint of
 * what it reads (src/cluster/shard-job.ts); its result is the TaskOutcome the worker's own thread runner gave,
 * so the supervisor and the recorder treat it exactly as a local one. Job ids come from the plan's content
 * identity and the task (its key and the days it leaves out), so enqueueing the same work twice runs it once
 * and records its result once.
 */
import { createHash } from 'node:crypto';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { MarketFingerprint } from '../plan/fingerprint-market.js';
import type { Task, WorkerConfig } from '../runtime/task-types.js';
import { connectRedis } from '../cluster/redis-connection.js';
import { decodeOutcome } from '../cluster/encode-outcome.js';
import { readRefusal } from '../cluster/refusal.js';
import { SHARD_QUEUE, buildShardPlan, identifyPlan, signShardJob, sliceMarket, type ShardPlan } from '../cluster/shard-job.js';
import type { Runner, TaskOutcome } from './runner.js';

export interface QueueRunnerOptions {
  url: string;
  secret: string;
  /** The run's dates and market fingerprint, read when the first task is enqueued (the plan is complete by then). */
  scope: () => { from: string; to: string; market: MarketFingerprint };
}

/**
 * Tasks the coordinator keeps enqueued at once: enough to keep many machines busy, few enough that a stop
 * leaves little to take back off the queue.
 */
export const QUEUE_IN_FLIGHT = 256;
/** How long a finished job's result stays in Redis (a coordinator enqueueing the same work again reuses it). */
const KEEP_DONE_S = 3600;

export function startQueueRunner(config: WorkerConfig, options: QueueRunnerOptions): Runner {
  // BullMQ leaves connections it was handed open: close() ends them.
  const connections = [connectRedis(options.url), connectRedis(options.url)];
  const queue = new Queue(SHARD_QUEUE, { connection: connections[0] });
  const events = new QueueEvents(SHARD_QUEUE, { connection: connections[1] });
  queue.on('error', () => {});
  events.on('error', () => {});
  let planned: { plan: ShardPlan; id: string; market: MarketFingerprint } | null = null;
  const attempts = new Map<string, number>();
  const waiting = new Map<Job, (o: TaskOutcome) => void>();
  let aborted = false;

  const readPlan = () => {
    if (!planned) {
      const scope = options.scope();
      const plan = buildShardPlan(config, { from: scope.from, to: scope.to }, scope.market);
      planned = { plan, id: identifyPlan(plan), market: scope.market };
    }
    return planned;
  };

  return {
    threads: QUEUE_IN_FLIGHT,
    run: async (task: Task): Promise<TaskOutcome> => {
      const { probe: _probe, ...portable } = task;
      if (aborted) return { key: task.key, kind: 'crashed', date: null, started: false, error: { message: 'the run was stopped' } };
      let job: Job | null = null;
      try {
        const { plan, id, market } = readPlan();
        // Task keys hold `|` and tickers may hold anything: the id takes a hash of them (BullMQ ids refuse `:`).
        const work = createHash('sha256').update(`${task.key}\0${(task.skipDates ?? []).join(',')}`).digest('hex').slice(0, 24);
        // A task the supervisor runs again (after a crash) is a new job; the first run of it keeps the shared id.
        const attempt = (attempts.get(work) ?? 0) + 1;
        attempts.set(work, attempt);
        const data = signShardJob({ plan, task: portable, market: sliceMarket(market, task.ticker, plan.config) }, options.secret);
        await events.waitUntilReady();
        job = await queue.add('shard', data, {
          jobId: `${id.slice(0, 32)}-${work}-${attempt}`,
          attempts: 1,
          removeOnComplete: { age: KEEP_DONE_S },
          // A refused job goes at once: enqueued again once the worker is fixed, it must run, not answer the refusal.
          removeOnFail: true,
        });
        const stopped = new Promise<TaskOutcome>((resolve) => waiting.set(job!, resolve));
        const finished = job.waitUntilFinished(events).then((text: unknown) => ({ ...decodeOutcome(String(text)), key: task.key }));
        return await Promise.race([finished, stopped]);
      } catch (err) {
        const message = (err as Error)?.message ?? String(err);
        const refusal = readRefusal(message);
        if (refusal) return { key: task.key, kind: 'done', result: { ok: false, error: refusal } };
        // A job that stalled past its limit (its workers died), or that left Redis before its end was seen.
        return { key: task.key, kind: 'crashed', date: null, started: /stalled/i.test(message), error: { message } };
      } finally {
        if (job) waiting.delete(job);
      }
    },
    // Workers run a shard to its end; finer stops over the queue are not there yet: the grace period ends in abort().
    requestStop: () => {},
    abort: () => {
      aborted = true;
      for (const [job, resolve] of waiting) {
        // A job no worker took yet leaves the queue; one running (locked by its worker) ends on its own.
        job.remove().catch(() => {});
        resolve({ key: job.data.task.key, kind: 'crashed', date: null, started: false, error: { message: 'the run was stopped' } });
      }
      waiting.clear();
    },
    countStuck: () => 0,
    close: async () => {
      await Promise.allSettled([queue.close(), events.close()]);
      for (const c of connections) c.disconnect();
      return 0;
    },
  };
}
