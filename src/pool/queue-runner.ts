/**
 * The queue runner: tasks grouped into shards (src/cluster/form-shards.ts), a BullMQ job each on Redis, run by
 * `barwise worker` processes on any number of machines (src/cluster/serve-queue.ts). Each job carries the
 * signed shard plan, its tasks and the market fingerprint of what they read (src/cluster/shard-job.ts); it
 * answers every task's TaskOutcome as the worker's own thread runner gave it, and each `run(task)` gets its
 * own, so the supervisor and the recorder treat each task exactly as a local one (retry, failure, resume).
 * Job ids come from the plan's content identity and the shard's tasks (their keys, the days they leave out,
 * their attempt), so enqueueing the same work twice runs it once and records its result once.
 * Faults: a stop takes the run's waiting shards back off the queue and tells the workers running the others
 * (stop-channel.ts); a shard lost with its workers is split, its tasks sent alone (lost-shard.ts); a Redis that
 * goes away is waited for, up to `timeoutS`, then the run stops with QUEUE_LOST (queue-link.ts).
 */
import { createHash } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { MarketFingerprint } from '../plan/fingerprint-market.js';
import type { Task, WorkerConfig } from '../runtime/task-types.js';
import { connectRedis, showQueueUrl } from '../cluster/redis-connection.js';
import { awaitShard, type ShardWait } from '../cluster/await-shard.js';
import { isStallFailure, readLost, describeTaskDays, SHARD_TAKES } from '../cluster/lost-shard.js';
import { watchQueueLink } from '../cluster/queue-link.js';
import { announceStop, clearStop, STOPPED } from '../cluster/stop-channel.js';
import { decodeOutcomes } from '../cluster/encode-outcome.js';
import { estimateSteps, formShards, type Shard } from '../cluster/form-shards.js';
import { readRefusal } from '../cluster/refusal.js';
import { SHARD_QUEUE, buildShardPlan, identifyPlan, signShardJob, sliceMarket, type ShardPlan } from '../cluster/shard-job.js';
import type { Runner, TaskOutcome } from './runner.js';

export interface QueueRunnerOptions {
  url: string;
  secret: string;
  /** Seconds to wait for a lost Redis before the run stops with QUEUE_LOST. */
  timeoutS: number;
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
/**
 * After a stop, how long the workers get to answer the ticker-days their shards finished (a Redis round trip,
 * then each running task's next day boundary) before the run ends without them.
 */
export const QUEUE_STOP_GRACE_MS = 5000;
/** How long close() waits for BullMQ to close its connections in order. */
const CLOSE_WAIT_MS = 2000;
/** Times a task sent alone is sent again when its job was lost while it waited its turn on a worker. */
const ALONE_RESENDS = 3;

/** A shard as sent: `alone` after its tasks were in a shard that was lost (lost-shard.ts). */
type SentShard = Shard<Entry> & { alone?: boolean; resends?: number };

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
  const link = watchQueueLink(connections, options.timeoutS * 1000, {
    // Back after a loss: the shards in flight may have ended unheard, or left with a Redis that restarted empty.
    onBack: () => {
      for (const wait of waits.keys()) wait.recheck();
    },
    onLost: (downMs) => {
      lost = true;
      const error = { code: 'QUEUE_LOST' as const, message: `lost the queue at ${showQueueUrl(options.url)}: Redis has not answered for ${Math.round(downMs / 1000)} s (--queue-timeout ${options.timeoutS})` };
      for (const shard of formed.splice(0)) for (const e of shard.tasks) answer(e, { key: e.task.key, kind: 'done', result: { ok: false, error } });
      for (const wait of waits.keys()) wait.cancel(new Error(error.message));
      for (const e of live) answer(e, { key: e.task.key, kind: 'done', result: { ok: false, error } });
    },
  });
  let planned: { plan: ShardPlan; id: string; market: MarketFingerprint; run: { from: string; to: string } } | null = null;
  const attempts = new Map<string, number>();
  /** Tasks handed over this turn, formed into shards at its end. */
  let handed: Entry[] = [];
  /** Shards formed and not enqueued yet, costliest first. */
  const formed: Shard<Entry>[] = [];
  /** Every task asked for and not answered yet. */
  const live = new Set<Entry>();
  /** Shards on the queue, waiting for their answer. */
  const waits = new Map<ShardWait, { jobId: string; entries: Entry[] }>();
  /** The plan's stop cleared (a stop of an earlier run of the same work must not stop this one). */
  let cleared: Promise<void> | null = null;
  /** The stop told to the workers: sent before the connections close. */
  let announced: Promise<void> | null = null;
  /** Redis was gone longer than the bound: every task answers QUEUE_LOST. */
  let lost = false;
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

  const send = async (shard: SentShard) => {
    const entries = shard.tasks;
    let wait: ShardWait | null = null;
    try {
      const { plan, id, market } = readPlan();
      const tasks = entries.map((e) => {
        const { probe: _probe, ...portable } = e.task;
        return portable;
      });
      const data = signShardJob({ plan, tasks, market: sliceMarket(market, tasks.map((t) => t.ticker), plan.config), ...(shard.alone ? { alone: true } : {}) }, options.secret);
      await (cleared ??= clearStop(connections[0], id));
      await events.waitUntilReady();
      const jobId = `${id.slice(0, 32)}-${shard.key}`;
      const enqueue = () => queue.add('shard', data, {
        jobId,
        attempts: 1,
        removeOnComplete: { age: KEEP_DONE_S },
        // A refused job goes at once: enqueued again once the worker is fixed, it must run, not answer the refusal.
        removeOnFail: true,
      });
      await enqueue();
      wait = awaitShard(queue, events, jobId, enqueue);
      waits.set(wait, { jobId, entries });
      // Stopped while it was being enqueued: it was in neither list the stop went through.
      if (stopping && announced) void takeBack(announced, wait, jobId, entries);
      const outcomes = decodeOutcomes(await wait.answer);
      // What a stopped shard answered is that stop's, not the work's: the next run of the same work runs it.
      if (outcomes.some(isStopAnswer)) void queue.remove(jobId).catch(() => {});
      const byKey = new Map(outcomes.map((o) => [o.key, o]));
      for (const e of entries) {
        const got = byKey.get(e.task.key);
        // Stopped by another coordinator running the same work: the task runs again here.
        if (got && isStopAnswer(got) && !stopping) answer(e, { key: e.task.key, ...notStarted('another coordinator stopped the same work') });
        else answer(e, got ?? { key: e.task.key, ...notStarted(`the shard's answer holds no outcome for ${e.task.key}`) });
      }
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      const refusal = readRefusal(message) ?? readLost(message);
      if (!refusal && isStallFailure(message) && !stopping && !aborted && !lost) {
        // Its worker processes died holding it: which task killed them is not known, so each runs alone now.
        const again = resendAlone(shard);
        if (again.length > 0) {
          formed.unshift(...again);
          return;
        }
      }
      for (const e of entries) {
        if (refusal) answer(e, { key: e.task.key, kind: 'done', result: { ok: false, error: refusal } });
        // A job that stalled past its limit, or that left Redis before its end was seen.
        else answer(e, { key: e.task.key, kind: 'crashed', date: null, started: isStallFailure(message), error: { message } });
      }
    } finally {
      if (wait) waits.delete(wait);
      inFlight--;
      pump();
    }
  };

  /** A lost shard's tasks as shards of one task each; a task already sent alone goes again a few times, then fails. */
  const resendAlone = (shard: SentShard): SentShard[] => {
    if (shard.alone && (shard.resends ?? 0) >= ALONE_RESENDS) {
      const e = shard.tasks[0];
      answer(e, { key: e.task.key, kind: 'done', result: { ok: false, error: {
        code: 'WORKER_LOST',
        message: `the worker processes holding ${describeTaskDays(e.task)} died ${ALONE_RESENDS + 1} times over (${SHARD_TAKES} takes each) before it could run alone`,
      } } });
      return [];
    }
    return shard.tasks.map((e) => {
      const resends = shard.alone ? (shard.resends ?? 0) + 1 : 0;
      const key = createHash('sha256').update(`alone\0${e.label}\0${resends}`).digest('hex').slice(0, 32);
      return { key, tasks: [e], steps: 0, alone: true, resends };
    });
  };

  /**
   * After a stop: a shard no worker took leaves the queue and answers "not started". Looked up only once the
   * stop is in Redis, so a shard still waiting then can only be taken by a worker that reads the stop and runs
   * nothing of it. Any other shard's answer is the worker's: one that holds it answers within a step (it stops
   * at the next step); one that has just finished has answered already, maybe unheard yet, and removing it
   * would throw away the days it finished.
   */
  const takeBack = async (stopped: Promise<void>, wait: ShardWait, jobId: string, entries: Entry[]) => {
    try {
      await stopped;
      const state = await queue.getJobState(jobId);
      if (state === 'completed' || state === 'failed') wait.recheck();
      else if (state !== 'active' && (await queue.remove(jobId)) === 1) {
        wait.cancel(new Error(STOPPED));
        for (const e of entries) answer(e, { key: e.task.key, ...notStarted(STOPPED) });
      }
    } catch {
      // Redis gone: the grace ends the wait.
    }
  };

  const pump = () => {
    while (inFlight < QUEUE_IN_FLIGHT && formed.length > 0 && !aborted && !stopping && !lost) {
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
    if (stopping || aborted || lost) {
      for (const e of entries) answer(e, { key: e.task.key, ...notStarted(STOPPED) });
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
      if (aborted || stopping || lost) {
        resolve({ key: task.key, ...notStarted(STOPPED) });
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
    // Shards not enqueued yet are not started, nor are those no worker took yet (they leave the queue): both
    // answer so at once. Workers running the others hear the stop and answer the days they finished.
    requestStop: () => {
      if (stopping) return;
      stopping = true;
      for (const shard of formed.splice(0)) for (const e of shard.tasks) answer(e, { key: e.task.key, ...notStarted(STOPPED) });
      if (!planned || lost) return;
      const stopped = announceStop(connections[0], planned.id).catch(() => {});
      announced = stopped;
      for (const [wait, { jobId, entries }] of waits) void takeBack(stopped, wait, jobId, entries);
    },
    stopGraceMs: QUEUE_STOP_GRACE_MS,
    abort: () => {
      aborted = true;
      for (const shard of formed.splice(0)) for (const e of shard.tasks) answer(e, { key: e.task.key, ...notStarted(STOPPED) });
      for (const [wait, { jobId }] of waits) {
        // A job no worker took yet leaves the queue; one running (locked by its worker) ends on its own.
        if (!lost) void queue.remove(jobId).catch(() => {});
        wait.cancel(new Error(STOPPED));
      }
      for (const e of live) answer(e, { key: e.task.key, ...notStarted(STOPPED) });
    },
    countStuck: () => 0,
    close: async () => {
      link.close();
      // With Redis gone, BullMQ's close would wait for it: it gets a moment, then the connections are cut.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        (async () => {
          await announced;
          await Promise.allSettled([queue.close(), events.close()]);
        })(),
        new Promise((r) => (timer = setTimeout(r, lost ? 0 : CLOSE_WAIT_MS))),
      ]);
      clearTimeout(timer);
      for (const c of connections) c.disconnect();
      return 0;
    },
  };
}

/** An outcome a worker gave because the run was stopping: a task it stopped, or one it did not start. */
function isStopAnswer(o: TaskOutcome): boolean {
  return (o.kind === 'done' && o.result.ok && o.result.stopped === true) || (o.kind === 'crashed' && !o.started && o.error.message === STOPPED);
}
