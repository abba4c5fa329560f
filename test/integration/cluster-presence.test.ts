/**
 * Who is connected to a queue: every `barwise worker` process announces itself, `barwise workers` lists them
 * (what each is, what it runs, what it has done), a stopped or killed worker leaves the listing, and a
 * coordinator with no worker says so and how to start one. Real Redis, real worker processes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { ROOT, runCli } from '../helpers/temp.js';
import { readShards, useQueueWorkers, type WorkerProcess } from '../helpers/queue-workers.js';

const SECRET = 'presence-test-secret';
const RANGE = ['--tickers', 'AAPL,MSFT,NVDA,TSLA', '--from', '2025-11-03', '--to', '2025-11-21'];

interface Listed { id: string; host: string; pid: number; threads: number; market: { db: string; bytes: number }; running: unknown[]; shardsDone: number; tasksDone: number; shardsRefused: number }

async function listJson(url: string): Promise<{ queue: string; workers: Listed[] }> {
  const r = await runCli(['workers', '--queue', url, '--json']);
  expect(r.code, r.stderr).to.equal(0);
  return JSON.parse(r.stdout);
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return check();
}

describe('cluster: workers connected to a queue', function () {
  // A killed worker cannot clean up after itself: its temp directory is not this suite's check.
  const queue = useQueueWorkers(5, { tmpPrefix: 'barwise-presence-', secret: SECRET });
  const { url, tmp } = queue;
  let workers: WorkerProcess[] = [];

  it('says no worker is connected, and how to start one, when none is', async () => {
    expect((await listJson(url())).workers).to.deep.equal([]);
    const r = await runCli(['workers', '--queue', url(), '--no-json']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.contain(`no worker is connected to ${url()}`);
    expect(r.stderr).to.contain(`npx barwise worker --queue ${url()} --db`);
  });

  it('lists each worker process with its host, pid, threads and market database, and the shards it ran', async () => {
    workers = await Promise.all([1, 2].map((threads, i) => queue.start({ threads, tmpDir: `${tmp()}/w-${i}` })));
    const before = await listJson(url());
    expect(before.workers.map((w) => w.pid).sort()).to.deep.equal(workers.map((w) => w.child.pid).sort());
    const byPid = new Map(before.workers.map((w) => [w.pid, w]));
    expect(byPid.get(workers[0].child.pid!)!.threads).to.equal(1);
    expect(byPid.get(workers[1].child.pid!)!.threads).to.equal(2);
    for (const w of before.workers) {
      expect(w.market.db).to.equal(queue.db());
      expect(w.market.bytes).to.equal(fs.statSync(queue.db()).size);
      expect(w.shardsDone).to.equal(0);
    }
    const text = await runCli(['workers', '--queue', url(), '--no-json']);
    expect(text.stdout).to.contain(`2 workers connected to ${url()}`);
    expect(text.stdout).to.contain(`pid ${workers[0].child.pid}: 1 thread, ${queue.db()}`);

    const r = await runCli(['backtest', ...RANGE, '--queue', url(), '--results-db', ':memory:'], { env: { BARWISE_QUEUE_SECRET: SECRET } });
    expect(r.code, r.stderr).to.equal(0);
    // The shards the queue holds as completed are the shards the workers say they ran, task for task.
    const shards = await readShards(url());
    const ran = async () => {
      const l = (await listJson(url())).workers;
      return l.reduce((n, w) => n + w.shardsDone, 0) === shards.length && l.reduce((n, w) => n + w.tasksDone, 0) === shards.flat().length;
    };
    expect(await waitFor(ran, 5000), JSON.stringify((await listJson(url())).workers)).to.equal(true);
  });

  it('tells the coordinator no worker is connected, and how to start one, then runs once a worker connects', async () => {
    const out = `${tmp()}/waited.json`;
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'barwise.js'), 'backtest', ...RANGE, '--db', queue.db(), '--queue', url(), '--results-db', ':memory:', '--out', out], {
      cwd: ROOT, env: { ...process.env, BARWISE_QUEUE_SECRET: SECRET }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const ended = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      expect(await waitFor(async () => /no worker is connected/.test(stderr), 20_000), stderr).to.equal(true);
      expect(stderr).to.contain(`barwise: no worker is connected to ${url()}; start one with: npx barwise worker --queue ${url()} --db ${queue.db()}`);
      workers = [await queue.start({ tmpDir: `${tmp()}/late` })];
      expect(await ended, stderr).to.equal(0);
      expect(JSON.parse(fs.readFileSync(out, 'utf8')).run.counts.tasks).to.be.greaterThan(0);
      // Said once for the one wait.
      expect(stderr.match(/no worker is connected/g)).to.have.length(1);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('drops a worker stopped with SIGTERM at once, and one killed with SIGKILL within seconds', async () => {
    workers = await Promise.all([0, 1].map((i) => queue.start({ tmpDir: `${tmp()}/k-${i}` })));
    expect((await listJson(url())).workers).to.have.length(2);
    const [stopped, killed] = workers;
    await stopped.stop('SIGTERM');
    const left = (await listJson(url())).workers.map((w) => w.pid);
    expect(left).to.deep.equal([killed.child.pid]);
    await killed.stop('SIGKILL');
    // Its key outlives it by at most 7 s (three refreshes missed).
    const t0 = Date.now();
    expect(await waitFor(async () => (await listJson(url())).workers.length === 0, 10_000)).to.equal(true);
    expect(Date.now() - t0).to.be.below(10_000);
    workers = [];
  });
});
