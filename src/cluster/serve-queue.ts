/**
 * A queue worker: takes shard jobs off the queue and runs their tasks on this machine's own thread runner (one
 * per plan, so a plan's scanner stays loaded across its shards), against this machine's own market database,
 * and answers every task's outcome, keyed by its task key.
 * Before running a shard it checks the signature (a worker runs the code it is sent) and the market
 * fingerprint of the shard's tickers; a refused job fails with the reason, which stops the coordinator's run.
 * Everything it writes (the scanners it was sent, the runs' temp files) is under one temp directory, removed
 * by close().
 * A coordinator's stop (stop-channel.ts) stops the plan's running tasks at their next day boundary, so its shards
 * answer the days they finished; its shards taken afterwards answer at once, not started. A shard marked
 * `alone` runs with nothing beside it and its process's death is counted (lost-shard.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { BarwiseError } from '../errors.js';
import { openMarketStore } from '../data/market-store.js';
import { PACKAGE_ROOT } from '../package-paths.js';
import { startThreadRunner } from '../pool/thread-runner.js';
import { chooseWatchdogMs } from '../pool/step-watchdog.js';
import type { Runner } from '../pool/runner.js';
import { createChildTable, killRecordedChildren } from '../runtime/child-registry.js';
import type { WorkerConfig } from '../runtime/task-types.js';
import { ShardMarketCheck } from './check-shard-market.js';
import { encodeOutcomes } from './encode-outcome.js';
import { connectRedis } from './redis-connection.js';
import { formatRefusal } from './refusal.js';
import { unpackScanner } from './pack-scanner.js';
import { enterLostCount, SHARD_TAKES } from './lost-shard.js';
import { RunAloneGate } from './run-alone-gate.js';
import { isStopped, listenForStops, STOPPED } from './stop-channel.js';
import { SHARD_QUEUE, checkSignature, identifyPlan, type ShardJob, type ShardPlan } from './shard-job.js';
import { announcePresence, trackPresence } from './worker-presence.js';

export interface QueueWorkerOptions {
  url: string;
  /** This machine's market database. */
  db: string;
  threads: number;
  secret: string;
  workerMemoryMb: number;
  /** How often BullMQ looks for jobs whose worker died (their lock lapsed); they then run elsewhere. */
  stalledIntervalMs?: number;
  /** How long a job's lock lasts without renewal: a killed worker's jobs run again this much later at most. */
  lockDurationMs?: number;
  /** One line per event worth a log line (a plan loaded, a shard refused). */
  onLog?: (line: string) => void;
}

export interface QueueWorker {
  close(): Promise<void>;
}

/**
 * Shards a worker holds at once: one running on its threads, one whose tasks fill the threads the first one's
 * last tasks leave idle (a shard holds many tasks: its thread runner forms the worker calls from them).
 */
export const SHARDS_PER_WORKER = 2;

/** How long close() waits for BullMQ to let go of the queue. */
const CLOSE_WAIT_MS = 2000;

/** Plans whose runners stay loaded; the least recently used one beyond this is closed. */
const KEEP_PLANS = 2;

interface LoadedPlan {
  runner: Runner;
  /** Its directory under the worker's temp directory (scanner and run files). */
  dir: string;
  /** Stopped by its coordinator: no new shard runs on it; it closes once its running shards answered. */
  retired: boolean;
  children: SharedArrayBuffer;
  running: number;
  usedAt: number;
}

export async function serveQueue(o: QueueWorkerOptions): Promise<QueueWorker> {
  const store = openMarketStore(path.resolve(o.db));
  const market = new ShardMarketCheck(store);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'barwise-worker-'));
  // A `.ts` or `.js` scanner sent over the queue imports `barwise/scanner` like any scanner: from the worker's
  // temp directory it resolves to this barwise.
  fs.mkdirSync(path.join(root, 'node_modules'));
  fs.symlinkSync(PACKAGE_ROOT, path.join(root, 'node_modules', 'barwise'), 'dir');
  const plans = new Map<string, LoadedPlan>();
  const log = o.onLog ?? (() => {});
  const presence = trackPresence({ threads: o.threads, db: store.path });
  let loads = 0;
  const gate = new RunAloneGate();
  // Stops, death counts: commands of this worker's own, beside BullMQ's.
  const control = connectRedis(o.url);

  /** Plans being closed: close() waits for them. */
  const unloading = new Set<Promise<unknown>>();
  const unload = (id: string, p: LoadedPlan) => {
    if (plans.get(id) === p) plans.delete(id);
    presence.planDropped(id.slice(0, 12));
    const done = p.runner.close().then(() => killRecordedChildren(p.children), () => {}).finally(() => {
      fs.rmSync(p.dir, { recursive: true, force: true });
      unloading.delete(done);
    });
    unloading.add(done);
  };

  // The plan's running tasks stop at their next day boundary and answer what they finished; a later shard of the
  // same plan (a resume) gets a fresh runner.
  const stops = listenForStops(o.url, (id) => {
    const p = plans.get(id);
    if (!p) return;
    log(`plan ${id.slice(0, 12)}: stopped by its coordinator`);
    p.retired = true;
    plans.delete(id);
    presence.planDropped(id.slice(0, 12));
    p.runner.requestStop();
    if (p.running === 0) unload(id, p);
  });

  const loadPlan = (id: string, plan: ShardPlan): LoadedPlan => {
    const known = plans.get(id);
    if (known) return known;
    const dir = path.join(root, `${id.slice(0, 32)}-${++loads}`);
    fs.mkdirSync(path.join(dir, 'scanner'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'run'));
    const file = unpackScanner(plan.scanner, path.join(dir, 'scanner'));
    const scans = plan.config.sweep?.scans.length ?? 1;
    const children = createChildTable(o.threads * scans);
    const config: WorkerConfig = { ...plan.config, dbPath: store.path, tempDir: path.join(dir, 'run'), children, scanner: { path: file, kind: plan.scanner.kind } };
    const loaded: LoadedPlan = {
      runner: startThreadRunner(config, { threads: o.threads, workerMemoryMb: o.workerMemoryMb, watchdogMs: chooseWatchdogMs(config) }),
      children, running: 0, usedAt: Date.now(), dir, retired: false,
    };
    plans.set(id, loaded);
    log(`plan ${id.slice(0, 12)}: ${plan.scanner.fileName} (${plan.scanner.sha256.slice(0, 12)}), ${plan.run.from} to ${plan.run.to}`);
    presence.planLoaded({ plan: id.slice(0, 12), scanner: plan.scanner.fileName, scannerSha256: plan.scanner.sha256, ...plan.run });
    for (const [oldId, old] of [...plans].sort((a, b) => a[1].usedAt - b[1].usedAt)) {
      if (plans.size <= KEEP_PLANS) break;
      if (old.running > 0 || oldId === id) continue;
      market.forget(oldId);
      unload(oldId, old);
    }
    return loaded;
  };

  const refuse = (job: Job, err: BarwiseError): never => {
    const tasks = (job.data as ShardJob)?.tasks;
    presence.shardRefused();
    log(`refused shard ${Array.isArray(tasks) ? tasks.map((t) => t?.key).join(', ') : job.id}: ${err.message}`);
    // Unrecoverable: no other attempt; the coordinator stops with the reason.
    throw new UnrecoverableError(formatRefusal(err));
  };

  const process = async (job: Job): Promise<string> => {
    const data = job.data as ShardJob;
    const unsigned = checkSignature(data, o.secret);
    if (unsigned) refuse(job, new BarwiseError('WORKER_REFUSED', `${unsigned}; this worker runs only shards signed with its --queue-secret`));
    const id = identifyPlan(data.plan);
    const leave = await gate.enter(data.alone === true);
    try {
      if (await isStopped(control, id)) return encodeOutcomes(data.tasks.map((t) => ({ key: t.key, kind: 'crashed', date: null, started: false, error: { message: STOPPED } })));
      const count = data.alone ? await enterLostCount(control, id, data.tasks[0]) : null;
      if (count?.lost) {
        log(`failed shard ${data.tasks[0].key}: ${count.lost}`);
        throw new UnrecoverableError(count.lost);
      }
      let loaded: LoadedPlan;
      try {
        // The scanner's files are checked against its hash as they are written (a refusal, like the market's).
        loaded = loadPlan(id, data.plan);
        // After the load: a new plan's threads start (and load the scanner) while this thread reads the shard's
        // bars, as the local runner's start overlaps the coordinator's fingerprint. No task runs before it passes.
        market.check(id, data.plan, data.tasks.map((t) => t.ticker), data.market);
      } catch (err) {
        await count?.release();
        if (err instanceof BarwiseError) refuse(job, err);
        throw err;
      }
      loaded.running++;
      loaded.usedAt = Date.now();
      const shard = String(job.id);
      presence.shardStarted({ plan: id.slice(0, 12), shard, tasks: data.tasks.length });
      let ok = false;
      try {
        const answer = encodeOutcomes(await Promise.all(data.tasks.map((t) => loaded.runner.run(t))));
        ok = true;
        return answer;
      } finally {
        loaded.running--;
        presence.shardEnded(shard, ok);
        if (loaded.retired && loaded.running === 0) unload(id, loaded);
        await count?.release();
      }
    } finally {
      leave();
    }
  };

  // BullMQ leaves a connection it was handed open: close() ends it.
  const connection = connectRedis(o.url);
  const worker = new Worker(SHARD_QUEUE, process, {
    connection,
    concurrency: SHARDS_PER_WORKER,
    stalledInterval: o.stalledIntervalMs ?? 30_000,
    lockDuration: o.lockDurationMs ?? 30_000,
    // A shard is taken SHARD_TAKES times at most; then the coordinator splits it (lost-shard.ts).
    maxStalledCount: SHARD_TAKES - 1,
  });
  worker.on('error', (err) => log(`queue: ${err.message}`));
  await worker.waitUntilReady();
  const presenceConnection = connectRedis(o.url);
  const announcement = announcePresence(presenceConnection, presence);

  let closed: Promise<void> | null = null;
  return {
    close: () => (closed ??= (async () => {
      // Jobs running here end on their own or, when this process dies, run elsewhere after their lock lapses.
      // With Redis gone, BullMQ's close would wait for it: it gets a moment, then the connections are cut.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([worker.close(true).catch(() => {}), new Promise((r) => (timer = setTimeout(r, CLOSE_WAIT_MS)))]);
      clearTimeout(timer);
      stops.close();
      await announcement.stop();
      presenceConnection.disconnect();
      connection.disconnect();
      control.disconnect();
      await Promise.allSettled([...unloading, ...[...plans.values()].map(async (p) => {
        await p.runner.close();
        killRecordedChildren(p.children);
      })]);
      store.close();
      fs.rmSync(root, { recursive: true, force: true });
    })()),
  };
}
