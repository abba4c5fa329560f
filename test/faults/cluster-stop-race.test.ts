/**
 * Fault catalogue, the queue: what a coordinator's stop reaches, at its edges, with a real Redis.
 * - A shard that has just finished: its worker answered (the job is completed in Redis) and the coordinator has
 *   not heard it yet when the stop comes. The stop must not take that shard back off the queue as "not
 *   started": its answer holds days the worker finished, and the coordinator keeps them. The worker is a BullMQ
 *   worker in this process; while it holds the shard, the coordinator's event connection is cut (as a loaded
 *   machine or a slow network delays it), so the answer is stored unheard when the stop is requested.
 * - A shard on its way to Redis: it leaves the queue at once rather than waiting out the grace.
 * - Another database of the same server: its workers do not hear the stop.
 */
import path from 'node:path';
import { expect } from 'chai';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { startQueueRunner } from '../../src/pool/queue-runner.js';
import { encodeOutcomes } from '../../src/cluster/encode-outcome.js';
import { SHARD_QUEUE } from '../../src/cluster/shard-job.js';
import { announceStop, listenForStops, STOPPED } from '../../src/cluster/stop-channel.js';
import type { TaskOutcome } from '../../src/pool/runner.js';
import type { Task, WorkerConfig } from '../../src/runtime/task-types.js';
import { flushQueue } from '../helpers/queue-workers.js';
import { useRedis } from '../helpers/redis.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

const DATES = ['2025-11-03', '2025-11-04'];

describe('faults: cluster, what a stop reaches', function () {
  const url = useRedis(5);
  const tmp = useTempDir('barwise-queue-stop-');
  /** A run's worker config: only what the coordinator packs into the shard plan is read. */
  const config = () => ({
    dbPath: path.join(tmp(), 'unused.db'), scanner: { path: path.join(ROOT, 'scanners/vwap-reclaim.ts'), kind: 'module' },
    warmup: 12, signals: 'all', session: 'regular', timeframe: '5min', mode: 'realtime', tempDir: tmp(), stepTimeoutMs: 10_000, persistent: false,
  }) as WorkerConfig;

  it('keeps the days of a shard its worker answered just before the stop, unheard yet (3 times over)', async () => {
    await flushQueue(url());
    const connection = new Redis(url(), { maxRetriesPerRequest: null });
    let onAnswered: () => void = () => {};
    let onHeld: (release: () => void) => void = () => {};
    // Each shard's tasks answer their days as a worker that finished them does, once the test lets it.
    const worker = new Worker(SHARD_QUEUE, async (job: Job) => {
      await new Promise<void>((release) => onHeld(release));
      return encodeOutcomes((job.data.tasks as Task[]).map((t): TaskOutcome => ({
        key: t.key, kind: 'done', result: { ok: true, days: DATES.map((date) => ({ date, bars: 78, steps: 66, skipped: false, signals: [] })) },
      })));
    }, { connection, concurrency: 1 });
    worker.on('completed', () => onAnswered());
    const db = /\/(\d+)$/.exec(url())![1];
    /**
     * Cuts the connection the coordinator hears job events on: the one reading the event stream in this
     * suite's database (suites running beside this one have readers of their own in theirs).
     */
    const cutEvents = async () => {
      for (let tries = 0; ; tries++) {
        const readers = String(await connection.call('CLIENT', 'LIST')).split('\n').filter((l) => l.includes(` db=${db} `) && / cmd=xread\b/.test(l));
        if (readers.length === 1) {
          await connection.call('CLIENT', 'KILL', 'ID', /(?:^| )id=(\d+)/.exec(readers[0])![1]);
          return;
        }
        expect(tries, `one reader of the event stream in database ${db}, found ${readers.length}`).to.be.below(100);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    /** The held shard's answer: given in `finally` too, so a failing round never leaves the worker holding it. */
    let release: (() => void) | null = null;
    try {
      for (let round = 0; round < 3; round++) {
        const ticker = `T${round}`;
        const runner = startQueueRunner(config(), {
          url: url(), secret: 'race-secret', timeoutS: 10,
          scope: () => ({ from: DATES[0], to: DATES[1], market: { sha256: `m${round}`, tickers: { [ticker]: [156, 0, 0, '0'] } } }),
        });
        try {
          // The stop comes in the turn the worker learns its answer is stored, the coordinator's events cut off.
          onAnswered = () => runner.requestStop();
          const held = new Promise<() => void>((r) => (onHeld = r));
          const running = runner.run({ key: `${ticker}|${DATES[0]}|${DATES[1]}`, ticker, fromDate: DATES[0], toDate: DATES[1] });
          release = await held;
          await cutEvents();
          release();
          const outcome = await running;
          expect(outcome.kind, `round ${round}: ${JSON.stringify(outcome)}`).to.equal('done');
          const result = (outcome as Extract<TaskOutcome, { kind: 'done' }>).result;
          expect(result.ok && result.days.map((d) => d.date), `round ${round}`).to.deep.equal(DATES);
        } finally {
          release?.();
          // ~2 s: BullMQ's close waits for the event connection, reconnecting after the cut, until close() stops waiting.
          await runner.close();
        }
      }
    } finally {
      await worker.close(true);
      connection.disconnect();
    }
  });

  it('a shard being enqueued when the stop comes leaves the queue and answers "not started" at once', async () => {
    await flushQueue(url());
    const runner = startQueueRunner(config(), {
      url: url(), secret: 'race-secret', timeoutS: 10,
      scope: () => ({ from: DATES[0], to: DATES[1], market: { sha256: 'enqueued', tickers: { AAA: [156, 0, 0, '0'] } } }),
    });
    try {
      const running = runner.run({ key: `AAA|${DATES[0]}|${DATES[1]}`, ticker: 'AAA', fromDate: DATES[0], toDate: DATES[1] });
      // The turn after: the shard is formed and on its way to Redis, in no list of waiting or queued shards yet.
      await new Promise((r) => setImmediate(r));
      runner.requestStop();
      // No worker serves this queue: without the stop reaching it, the shard would wait there until the grace ended.
      const outcome = await Promise.race([running, new Promise((r) => setTimeout(() => r('no answer within 3 s'), 3000))]);
      expect(outcome).to.deep.equal({ key: `AAA|${DATES[0]}|${DATES[1]}`, kind: 'crashed', date: null, started: false, error: { message: STOPPED } });
      const connection = new Redis(url(), { maxRetriesPerRequest: null });
      const queue = new Queue(SHARD_QUEUE, { connection });
      try {
        expect(await queue.getWaitingCount(), 'shards left waiting').to.equal(0);
      } finally {
        await queue.close();
        connection.disconnect();
      }
    } finally {
      await runner.close();
    }
  });

  it('a stop on one Redis database\'s queue stops no worker of another database on the same server', async () => {
    const urls = [url(), url().replace(/\/\d+$/, '/6')];
    const heard: string[][] = [[], []];
    const listeners = urls.map((u, i) => listenForStops(u, (id) => heard[i].push(id)));
    const clients = urls.map((u) => new Redis(u, { maxRetriesPerRequest: null }));
    /** Announces on database `i` until its own listener hears it (it subscribes in the background). */
    const heardOn = async (i: number, id: string) => {
      for (let tries = 0; !heard[i].includes(id); tries++) {
        expect(tries, `the listener of ${urls[i]} hears ${id}`).to.be.below(100);
        await announceStop(clients[i], id);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      // Both listening before the stops that count; Redis itself delivers every message to every database's subscribers.
      await heardOn(0, 'ready-0');
      await heardOn(1, 'ready-1');
      await heardOn(0, 'plan-0');
      await heardOn(1, 'plan-1');
      expect(heard[0].filter((id) => id.endsWith('-1')), 'stops the other database\'s listener heard').to.deep.equal([]);
      expect(heard[1].filter((id) => id.endsWith('-0'))).to.deep.equal([]);
    } finally {
      for (const l of listeners) l.close();
      for (const c of clients) {
        await c.flushdb();
        c.disconnect();
      }
    }
  });
});
