/**
 * Backtests and sweeps over the queue: real Redis, real `barwise worker` processes (each its own thread pool),
 * and the local run as the oracle. Whatever the number of workers, the signals, trades, equity and statistics
 * are the local run's, byte for byte.
 */
import fs from 'node:fs';
import { expect } from 'chai';
import { runCli, useTempDir } from '../helpers/temp.js';
import { useRedis } from '../helpers/redis.js';
import { flushQueue, readShards, startWorker, type WorkerProcess } from '../helpers/queue-workers.js';

const SECRET = 'cluster-test-secret';
const RANGE = ['--tickers', 'AAPL,MSFT,NVDA,TSLA', '--from', '2025-11-03', '--to', '2025-11-21'];
const TRADE = ['--trade', '--stop-pct', '1', '--target-pct', '2'];

/** The parts of a backtest's --out that are what it found (not when, where or how fast). */
function findings(file: string) {
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  return JSON.stringify({ signals: j.signals, failures: j.failures, trades: j.trades, equity: j.equity, stats: j.stats, counts: j.run.counts, plan_hash: j.run.plan_hash });
}

/** A sweep's --out without its timings (anything keyed `timings`, `wall_ms`, `*_at`). */
function sweepFindings(file: string) {
  return JSON.stringify(JSON.parse(fs.readFileSync(file, 'utf8')), (k, v) => (k === 'timings' || k === 'wall_ms' || k.endsWith('_at') || k === 'steps_per_s' ? undefined : v));
}

describe('cluster: runs over the queue', function () {
  const url = useRedis(1);
  const tmp = useTempDir('barwise-cluster-');
  let db = '';
  let local = '';
  let localSweep = '';
  let workers: WorkerProcess[] = [];
  const env = { BARWISE_QUEUE_SECRET: SECRET };

  before(async function () {
    local = `${tmp()}/local.json`;
    const r = await runCli(['backtest', ...RANGE, ...TRADE, '--threads', '2', '--results-db', ':memory:', '--out', local]);
    expect(r.code, r.stderr).to.equal(0);
    db = JSON.parse(fs.readFileSync(local, 'utf8')).run.db;
    expect(JSON.parse(fs.readFileSync(local, 'utf8')).trades.length, 'the oracle run trades').to.be.greaterThan(3);
    localSweep = `${tmp()}/local-sweep.json`;
    const s = await runCli(['sweep', ...RANGE, '--param', 'trade.targetPct=1,2', '--threads', '2', '--results-db', ':memory:', '--out', localSweep]);
    expect(s.code, s.stderr).to.equal(0);
  });

  afterEach(async () => {
    const ends = await Promise.all(workers.map((w) => w.stop()));
    workers = [];
    for (const e of ends) {
      expect(e.code, 'a worker ends on SIGTERM with 143').to.equal(143);
      expect(e.tempLeft, 'a stopped worker leaves no temp directory').to.deep.equal([]);
    }
  });

  for (const n of [1, 2, 3]) {
    it(`gives the local run's signals, trades and statistics with ${n} worker process${n > 1 ? 'es' : ''}`, async () => {
      await flushQueue(url());
      workers = await Promise.all(Array.from({ length: n }, (_, i) => startWorker({ url: url(), db, secret: SECRET, tmpDir: `${tmp()}/w${n}-${i}` })));
      const out = `${tmp()}/queue-${n}.json`;
      const r = await runCli(['backtest', ...RANGE, ...TRADE, '--queue', url(), '--results-db', ':memory:', '--out', out], { env });
      expect(r.code, r.stderr).to.equal(0);
      expect(findings(out)).to.equal(findings(local));
      // The shards ran on the workers: each that took one loaded the plan.
      expect(workers.filter((w) => /plan [0-9a-f]+: /.test(w.log())).length).to.be.at.least(1);
    });
  }

  it('completes with the local result when a worker is killed (SIGKILL) mid-run: its shards run on another, once', async () => {
    await flushQueue(url());
    // BullMQ notices a dead worker's shards once their lock lapses: 2 s here instead of 30 s.
    const stall = { BARWISE_QUEUE_STALL_MS: '2000' };
    workers = await Promise.all([0, 1].map((i) => startWorker({ url: url(), db, secret: SECRET, tmpDir: `${tmp()}/wk-${i}`, env: stall })));
    const victim = workers[0];
    const out = `${tmp()}/queue-killed.json`;
    const run = runCli(['backtest', ...RANGE, ...TRADE, '--queue', url(), '--results-db', ':memory:', '--out', out], { env });
    // Killed once it has loaded the plan (it holds shards then).
    const until = Date.now() + 60_000;
    while (!/plan [0-9a-f]+: /.test(victim.log()) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    victim.child.kill('SIGKILL');
    const r = await run;
    expect(r.code, r.stderr).to.equal(0);
    expect(findings(out)).to.equal(findings(local));
    // Each shard held several tasks, and each task was in one shard: the counts above say none ran twice.
    const shards = (await readShards(url())).map((tasks) => tasks.map((t) => t.key));
    expect(shards.every((tasks) => tasks.length >= 2), JSON.stringify(shards)).to.equal(true);
    expect(shards.flat().length).to.equal(JSON.parse(fs.readFileSync(out, 'utf8')).run.counts.tasks);
    expect(new Set(shards.flat()).size).to.equal(shards.flat().length);
    const end = await victim.stop();
    expect(end.signal).to.equal('SIGKILL');
    workers = workers.slice(1);
  });

  it('ships a module scanner (.ts importing barwise/scanner) and its parameters to the worker', async () => {
    await flushQueue(url());
    workers = [await startWorker({ url: url(), db, secret: SECRET, tmpDir: `${tmp()}/wm` })];
    const args = ['backtest', '--scanner', 'scanners/vwap-reclaim.ts', '--param', 'minBars=4', ...RANGE, '--results-db', ':memory:'];
    const [here, there] = [`${tmp()}/module-local.json`, `${tmp()}/module-queue.json`];
    const a = await runCli([...args, '--threads', '2', '--out', here]);
    expect(a.code, a.stderr).to.equal(0);
    const b = await runCli([...args, '--queue', url(), '--out', there], { env });
    expect(b.code, b.stderr).to.equal(0);
    expect(JSON.parse(fs.readFileSync(here, 'utf8')).signals.length, 'the oracle run signals').to.be.greaterThan(3);
    expect(findings(there)).to.equal(findings(here));
    expect(workers[0].log()).to.match(/plan [0-9a-f]+: vwap-reclaim\.ts/);
  });

  it('runs a sweep over the queue with the local sweep\'s result', async () => {
    await flushQueue(url());
    workers = await Promise.all([0, 1].map((i) => startWorker({ url: url(), db, secret: SECRET, tmpDir: `${tmp()}/ws-${i}` })));
    const out = `${tmp()}/queue-sweep.json`;
    const r = await runCli(['sweep', ...RANGE, '--param', 'trade.targetPct=1,2', '--queue', url(), '--results-db', ':memory:', '--out', out], { env });
    expect(r.code, r.stderr).to.equal(0);
    expect(sweepFindings(out)).to.equal(sweepFindings(localSweep));
  });
});
