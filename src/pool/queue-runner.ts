/**
 * The queue runner: tasks grouped into shards (src/cluster/form-shards.ts), a BullMQ job each on Redis, run by
 * `barwise worker` processes on any number of machines (src/cluster/serve-queue.ts). Each job carries the
 * signed shard plan, its tasks and the market fingerprint of what they read (src/cluster/shard-job.ts); it
 * answers every task's TaskOutcome as the worker's own thread runner gave it, and each `run(task)` gets its
 * own, so the supervisor and the recorder treat each task exactly as a local one (retry, failure, resume).
 * Job ids come from the plan's content identity and the shard's tasks (their keys, the days they leave out,
 * their attempt), so enqueueing the same work twice runs it once and records its result once.
 */
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { MarketFingerprint } from '../plan/fingerprint-market.js';
import type { Task, WorkerConfig } from '../runtime/task-types.js';
import { connectRedis } from '../cluster/redis-connection.js';
import { decodeOutcomes } from '../cluster/encode-outcome.js';
import { estimateSteps, formShards, type Shard } from '../cluster/form-shards.js';
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
 * Shards the coordinator keeps enqueued at once: enough to keep many machines busy, few enough that a stop
 * leaves little to take back off the queue.
 */
export const QUEUE_IN_FLIGHT = 64;
/** How long a finished job's result stays in Redis (a coordinator enqueueing the same work again reuses it). */
const KEEP_DONE_S = 3600;

interface Entry {
  task: Task;
  /** The task's work and how often it was sent: a task the supervisor runs again (after a crash) is new work. */
  label: string;
  resolve(outcome: TaskOutcome): void;
}

export function startQueueRunner(config: WorkerConfig, options: QueueRunnerOptions): Runner {
  // BullMQ leaves connections it was handed open: close() ends them.
  const connections = [connectRedis(options.url), connectRedis(options.url)];
  const queue = new Queue(SHARD_QUEUE, { connection: connections[0] });
  const events = new QueueEvents(SHARD_QUEUE, { connection: connections[1] });
  queue.on('error', () => {});
  events.on('error', () => {});
  let planned: { plan: ShardPlan; id: string; market: MarketFingerprint; run: { from: string; to: string } } | null = null;
  const attempts = new Map<string, number>();
  /** Tasks handed over this turn, formed into shards at its end. */
  let handed: Entry[] = [];
  /** Shards formed and not enqueued yet, costliest first. */
  const formed: Shard<Entry>[] = [];
  /** Every task asked for and not answered yet. */
  const live = new Set<Entry>();
  const sent = new Map<Job, Entry[]>();
  let inFlight = 0;
  let formScheduled = false;
  let stopping = false;
  let aborted = false;

  const readPlan = () => {
    if (!planned) {
      const scope = options.scope();
      const plan = buildShardPlan(config, { from: scope.from, to: scope.to }, scope.market);
      planned = { plan, id: identifyPlan(plan), market: scope.market, run: { from: scope.from, to: scope.to } };
    }
    return planned;
  };

  const answer = (entry: Entry, outcome: TaskOutcome) => {
    // Once: a shard answered twice (two coordinators, a retried job) records each task once.
    if (!live.delete(entry)) return;
    entry.resolve(outcome);
  };
  const notStarted = (message: string): Omit<Extract<TaskOutcome, { kind: 'crashed' }>, 'key'> => ({ kind: 'crashed', date: null, started: false, error: { message } });

  const send = async (shard: Shard<Entry>) => {
    const entries = shard.tasks;
    let job: Job | null = null;
    try {
      const { plan, id, market } = readPlan();
      const tasks = entries.map((e) => {
        const { probe: _probe, ...portable } = e.task;
        return portable;
      });
      const data = signShardJob({ plan, tasks, market: sliceMarket(market, tasks.map((t) => t.ticker), plan.config) }, options.secret);
      await events.waitUntilReady();
      job = await queue.add('shard', data, {
        jobId: `${id.slice(0, 32)}-${shard.key}`,
        attempts: 1,
        removeOnComplete: { age: KEEP_DONE_S },
        // A refused job goes at once: enqueued again once the worker is fixed, it must run, not answer the refusal.
        removeOnFail: true,
      });
      sent.set(job, entries);
      const outcomes = decodeOutcomes(String(await job.waitUntilFinished(events)));
      const byKey = new Map(outcomes.map((o) => [o.key, o]));
      for (const e of entries) {
        answer(e, byKey.get(e.task.key) ?? { key: e.task.key, ...notStarted(`the shard's answer holds no outcome for ${e.task.key}`) });
      }
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      const refusal = readRefusal(message);
      for (const e of entries) {
        if (refusal) answer(e, { key: e.task.key, kind: 'done', result: { ok: false, error: refusal } });
        // A job that stalled past its limit (its workers died), or that left Redis before its end was seen.
        else answer(e, { key: e.task.key, kind: 'crashed', date: null, started: /stalled/i.test(message), error: { message } });
      }
    } finally {
      if (job) sent.delete(job);
      inFlight--;
      pump();
    }
  };

  const pump = () => {
    while (inFlight < QUEUE_IN_FLIGHT && formed.length > 0 && !aborted && !stopping) {
      inFlight++;
      void send(formed.shift()!);
    }
  };

  // The supervisor hands over every task it may at once, in one turn: shards are formed from all of them at
  // that turn's end, so the same plan forms the same shards. Tasks it runs again later form shards of their own.
  const form = () => {
    formScheduled = false;
    const entries = handed;
    handed = [];
    if (stopping || aborted) {
      for (const e of entries) answer(e, { key: e.task.key, ...notStarted('the run was stopped') });
      return;
    }
    try {
      const { market, run } = readPlan();
      formed.push(...formShards(entries, (e) => estimateSteps(e.task, market.tickers[e.task.ticker]?.[0] ?? 0, run), (e) => e.label));
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      for (const e of entries) answer(e, { key: e.task.key, kind: 'crashed', date: null, started: false, error: { message } });
    }
    pump();
  };

  return {
    threads: QUEUE_IN_FLIGHT,
    // Every task at once: how shards are formed must not depend on when the supervisor hands tasks over.
    queueDepth: Number.MAX_SAFE_INTEGER,
    run: (task: Task): Promise<TaskOutcome> => new Promise<TaskOutcome>((resolve) => {
      if (aborted || stopping) {
        resolve({ key: task.key, ...notStarted('the run was stopped') });
        return;
      }
      // Task keys hold `|` and tickers may hold anything: the shard key takes a hash of them (BullMQ ids refuse `:`).
      const work = `${task.key}\0${(task.skipDates ?? []).join(',')}`;
      const attempt = (attempts.get(work) ?? 0) + 1;
      attempts.set(work, attempt);
      const entry: Entry = { task, label: `${work}\0${attempt}`, resolve };
      live.add(entry);
      handed.push(entry);
      if (!formScheduled) {
        formScheduled = true;
        setImmediate(form);
      }
    }),
    // Shards not enqueued yet are not started: they answer so at once. Workers run a shard to its end; finer
    // stops over the queue are not there yet: the grace period ends in abort().
    requestStop: () => {
      stopping = true;
      for (const shard of formed.splice(0)) for (const e of shard.tasks) answer(e, { key: e.task.key, ...notStarted('the run was stopped') });
    },
    abort: () => {
      aborted = true;
      for (const shard of formed.splice(0)) for (const e of shard.tasks) answer(e, { key: e.task.key, ...notStarted('the run was stopped') });
      for (const [job, entries] of sent) {
        // A job no worker took yet leaves the queue; one running (locked by its worker) ends on its own.
        job.remove().catch(() => {});
        for (const e of entries) answer(e, { key: e.task.key, ...notStarted('the run was stopped') });
      }
      sent.clear();
      for (const e of live) answer(e, { key: e.task.key, ...notStarted('the run was stopped') });
    },
    countStuck: () => 0,
    close: async () => {
      await Promise.allSettled([queue.close(), events.close()]);
      for (const c of connections) c.disconnect();
      return 0;
    },
  };
}
