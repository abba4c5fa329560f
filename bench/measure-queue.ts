/**
 * What the queue costs on one machine: the universe (2,046 tickers × 10 days; `--tickers N` takes its first N)
 * with the SQL scanner, `backtest --queue` served by one local `barwise worker --threads T` against the local
 * runner with `--threads T` (the same threads), back to back, alternating which goes first, medians over
 * `--repeats`. Goal (issue 17): queue ≤ 1.15× local. Then 1, 2 and 3 worker processes of T threads each: on
 * 2 cores a flat line is expected (the point is the overhead and that the signal hash stays the same), with the
 * shards the run formed and how many the coordinator recorded per second of its scan. Last, what the
 * coordinator alone can record: the same run again with no worker, every shard's answer already kept on the
 * queue (a result stays there an hour), so the scan is the coordinator's own work (enqueueing, waiting for
 * the answer, decoding it, recording every task's days): shards and tasks per second of that scan are its
 * ceiling, what a cluster of any size could feed it at most.
 *
 * It starts its own redis-server on a free loopback port and stops it; each queue trial gets a fresh worker
 * (started before the clock, so its thread pool starts inside the trial, as the local run's does) and an empty
 * queue (else the run would reuse the results kept there by the trial before). Times are spawn to exit of the
 * coordinator's CLI, as `npm run bench` times a trial.
 *
 *   npm run build && node --import tsx bench/measure-queue.ts [--db FILE] [--tickers N] [--threads T] [--repeats R] [--workers 1,2,3]
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { flushQueue, readShards, startWorker, type WorkerProcess } from '../test/helpers/queue-workers.js';
import { startRedisServer } from '../test/helpers/redis.js';
import { readArg as arg, readUniverseArgs } from './lib/bench-args.js';
import { machineInfo } from './lib/machine-info.js';
import { spawnTimedCpu } from './lib/spawn-timed.js';

const ROOT = new URL('..', import.meta.url).pathname;
const { db, tickers } = readUniverseArgs();
const threads = Number(arg('threads') ?? 2);
const repeats = Number(arg('repeats') ?? 3);
const scale = (arg('workers') ?? '1,2,3').split(',').map(Number).filter((n) => n > 0);

const SECRET = 'bench-queue-secret';
process.env.BARWISE_QUEUE_SECRET = SECRET;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'barwise-bench-queue-'));
const tickersFile = path.join(dir, 'tickers.txt');
fs.writeFileSync(tickersFile, tickers.join('\n'));
const out = path.join(dir, 'out.json');
const base = ['bin/barwise.js', 'backtest', '--db', db, '--tickers-file', tickersFile, '--scanner', path.join(ROOT, 'scanners', 'opening-range-breakout.sql'),
  '--results-db', ':memory:', '--out', out];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const signalHash = () => createHash('sha256').update(JSON.stringify(JSON.parse(fs.readFileSync(out, 'utf8')).signals)).digest('hex').slice(0, 12);
const readRun = () => {
  const run = JSON.parse(fs.readFileSync(out, 'utf8')).run;
  return { scan_ms: run.timings.scan_ms as number, tasks: run.counts.tasks as number };
};

interface Trial {
  wall_ms: number;
  /** The coordinator's scan (from its first task handed over to its last answer recorded), from its --out. */
  scan_ms: number;
  tasks: number;
  /** The coordinator's CPU (user + system, all threads), and for a queue trial its workers' too. */
  cpu_ms: number;
  hash: string;
  shards: number;
}

const hashes = new Set<string>();
/** CPU a live process has used so far, all its threads (/proc/PID/stat utime + stime, in clock ticks of 10 ms). */
const readCpuMs = (pid: number) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

const redis = await startRedisServer();
let workers: WorkerProcess[] = [];
const stopWorkers = async () => {
  await Promise.all(workers.map((w) => w.stop()));
  workers = [];
};
try {
  const local = async (): Promise<Trial> => {
    const t = await spawnTimedCpu(process.execPath, [...base, '--threads', String(threads)]);
    const hash = signalHash();
    hashes.add(hash);
    return { ...t, ...readRun(), hash, shards: 0 };
  };
  /** `keep`: leave the queue as the trial before left it (its answers kept there). */
  const queued = async (n: number, keep = false): Promise<Trial> => {
    if (!keep) await flushQueue(redis.url);
    workers = await Promise.all(Array.from({ length: n }, (_, i) => startWorker({ url: redis.url, db, secret: SECRET, threads, tmpDir: path.join(dir, `w${i}`) })));
    try {
      const before = workers.map((w) => readCpuMs(w.child.pid!));
      const t = await spawnTimedCpu(process.execPath, [...base, '--queue', redis.url]);
      t.cpu_ms += workers.reduce((sum, w, i) => sum + readCpuMs(w.child.pid!) - before[i], 0);
      const hash = signalHash();
      hashes.add(hash);
      return { ...t, ...readRun(), hash, shards: (await readShards(redis.url)).length };
    } finally {
      await stopWorkers();
    }
  };

  console.log(`# queue bench: ${tickers.length} tickers of ${path.basename(db)}, ${threads} threads, ${repeats} repeats; ${JSON.stringify(await machineInfo())}`);
  // Warm-up (tsx compile cache, the page cache of the market database): not counted.
  await local();
  await queued(1);

  const pairs: { local: Trial; queue: Trial }[] = [];
  for (let r = 0; r < repeats; r++) {
    if (r % 2 === 0) {
      const l = await local();
      pairs.push({ local: l, queue: await queued(1) });
    } else {
      const q = await queued(1);
      pairs.push({ local: await local(), queue: q });
    }
  }
  const ratios = pairs.map((p) => p.queue.wall_ms / p.local.wall_ms);
  console.log('\n## overhead: --queue with one local worker against the local runner, same threads');
  console.log('runner | wall s (median) | CPU s (median; queue: coordinator + worker) | hash');
  console.log(`local | ${(median(pairs.map((p) => p.local.wall_ms)) / 1000).toFixed(2)} | ${(median(pairs.map((p) => p.local.cpu_ms)) / 1000).toFixed(2)} | ${[...new Set(pairs.map((p) => p.local.hash))].join(',')}`);
  console.log(`queue, 1 worker | ${(median(pairs.map((p) => p.queue.wall_ms)) / 1000).toFixed(2)} | ${(median(pairs.map((p) => p.queue.cpu_ms)) / 1000).toFixed(2)} | ${[...new Set(pairs.map((p) => p.queue.hash))].join(',')}`);
  const cpuRatios = pairs.map((p) => p.queue.cpu_ms / p.local.cpu_ms);
  console.log(`queue / local per pair, wall: ${ratios.map((x) => x.toFixed(2)).join(', ')}; median ${median(ratios).toFixed(2)}× (goal ≤ 1.15×)`);
  console.log(`queue / local per pair, CPU: ${cpuRatios.map((x) => x.toFixed(2)).join(', ')}; median ${median(cpuRatios).toFixed(2)}×`);

  console.log(`\n## scale: worker processes of ${threads} threads each on this machine`);
  console.log('workers | wall s (median) | scan s (median) | shards | shards/s of the scan | hash');
  for (const n of scale) {
    const trials: Trial[] = [];
    for (let r = 0; r < repeats; r++) trials.push(await queued(n));
    const wall = median(trials.map((t) => t.wall_ms));
    const scan = median(trials.map((t) => t.scan_ms));
    console.log(`${n} | ${(wall / 1000).toFixed(2)} | ${(scan / 1000).toFixed(2)} | ${trials[0].shards} | ${(trials[0].shards / (scan / 1000)).toFixed(1)} | ${[...new Set(trials.map((t) => t.hash))].join(',')}`);
  }

  console.log('\n## recording: the coordinator alone, every shard answered from the queue (no worker computes)');
  console.log('scan s (median) | shards | shards/s | tasks/s | hash');
  const replays: Trial[] = [];
  for (let r = 0; r < repeats; r++) {
    // One worker fills the queue with answers; the replay that follows runs with none connected.
    await queued(1);
    replays.push(await queued(0, true));
  }
  const replayScan = median(replays.map((t) => t.scan_ms)) / 1000;
  console.log(`${replayScan.toFixed(2)} | ${replays[0].shards} | ${(replays[0].shards / replayScan).toFixed(1)} | ${(replays[0].tasks / replayScan).toFixed(0)} | ${[...new Set(replays.map((t) => t.hash))].join(',')}`);
  if (hashes.size !== 1) {
    console.error(`signal hashes differ: ${[...hashes].join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  await stopWorkers();
  await redis.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
