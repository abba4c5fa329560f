/**
 * Real `barwise worker` OS processes for the cluster tests, each with its own TMPDIR (so a temp directory it
 * leaves behind is seen), and an empty queue between runs (else a run would reuse the results of the same
 * work kept on the queue by the run before, and no worker would run anything).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'chai';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ensureBundledStore } from '../../src/data/bundled-store.js';
import { useRedis } from './redis.js';
import { ROOT, useTempDir } from './temp.js';

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Its stderr so far. */
  log(): string;
  /** Sends the signal and resolves with the exit code (or the signal that ended it) and its leftover temp entries. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; tempLeft: string[] }>;
}

/** `cwd`: where the worker runs (the package root unless given: a worker elsewhere sees none of the coordinator's files by relative path). */
export async function startWorker(o: { url: string; db: string; secret: string; tmpDir: string; threads?: number; env?: NodeJS.ProcessEnv; cwd?: string }): Promise<WorkerProcess> {
  fs.mkdirSync(o.tmpDir, { recursive: true });
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'barwise.js'), 'worker', '--queue', o.url, '--db', o.db, '--threads', String(o.threads ?? 1)], {
    cwd: o.cwd ?? ROOT,
    env: { ...process.env, TMPDIR: o.tmpDir, BARWISE_QUEUE_SECRET: o.secret, ...o.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  // Serving once it says so; a worker that exits first (a bad flag, no Redis) fails the test with its words.
  await Promise.race([
    new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (/serving /.test(stderr)) {
          clearInterval(t);
          resolve();
        }
      }, 25);
      exited.then(() => clearInterval(t));
    }),
    exited.then(({ code }) => {
      throw new Error(`barwise worker exited (${code}) before serving: ${stderr}`);
    }),
  ]);
  return {
    child,
    log: () => stderr,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const end = await exited;
      return { ...end, tempLeft: fs.readdirSync(o.tmpDir).filter((f) => f.startsWith('barwise-')) };
    },
  };
}

/** Empties the queue's Redis database. */
export async function flushQueue(url: string): Promise<void> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    await r.flushdb();
  } finally {
    r.disconnect();
  }
}

/** The tasks of each shard the queue holds as completed (what the coordinator enqueued, as the workers took it). */
export async function readShards(url: string): Promise<{ key: string; ticker: string }[][]> {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue('barwise-shards', { connection });
  try {
    return (await queue.getJobs(['completed'])).map((j) => j.data.tasks as { key: string; ticker: string }[]);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

export interface QueueWorkers {
  /** The queue's URL: Redis database `redisDb` of useQueueWorkers. */
  url(): string;
  /** The suite's temp directory. */
  tmp(): string;
  /** The bundled sample data, which a run without --db reads: the workers get the same file. */
  db(): string;
  /** Starts a worker on the queue with the suite's secret and market data; it is stopped after the test. */
  start(o: { tmpDir: string; threads?: number; cwd?: string; env?: NodeJS.ProcessEnv }): Promise<WorkerProcess>;
}

/**
 * The set-up every suite of real workers on a real queue shares, as mocha hooks on the calling suite: its own
 * Redis database (suites running at once never share a queue), a temp directory, the bundled market store, an
 * empty queue before each test, and every worker a test started stopped after it. `checkTempLeft`: each
 * stopped worker must have left no temp directory (off for a suite that kills workers with SIGKILL).
 */
export function useQueueWorkers(redisDb: number, o: { tmpPrefix: string; secret: string; checkTempLeft?: boolean }): QueueWorkers {
  const url = useRedis(redisDb);
  const tmp = useTempDir(o.tmpPrefix);
  let db = '';
  let started: WorkerProcess[] = [];
  before(async () => {
    db = await ensureBundledStore();
  });
  beforeEach(async () => {
    await flushQueue(url());
  });
  afterEach(async () => {
    const ends = await Promise.all(started.map((w) => w.stop()));
    started = [];
    if (o.checkTempLeft) for (const e of ends) expect(e.tempLeft, 'a stopped worker leaves no temp directory').to.deep.equal([]);
  });
  return {
    url,
    tmp,
    db: () => db,
    async start(w) {
      const worker = await startWorker({ url: url(), db, secret: o.secret, ...w });
      started.push(worker);
      return worker;
    },
  };
}
