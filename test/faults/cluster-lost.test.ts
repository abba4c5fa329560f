/**
 * Fault catalogue, the queue: what is lost under a run. A poison shard (a scanner that kills every worker
 * process taking it) is split after SHARD_TAKES takes, its tasks run alone, and the task that kills the process
 * it runs alone in fails WORKER_LOST after LOST_LIMIT deaths while the run finishes the others with the local
 * run's results. A Redis stopped mid-run is waited for: back within --queue-timeout, the run completes as the
 * local one; gone longer, the run stops with QUEUE_LOST, keeps what finished and says how to resume. Real Redis
 * (a server of the test's own where it is stopped), real `barwise worker` processes, restarted when they die
 * as a service manager would.
 */
import fs from 'node:fs';
import { expect } from 'chai';
import { LOST_LIMIT, SHARD_TAKES } from '../../src/cluster/lost-shard.js';
import { startRedisServer, useRedis, type RedisServer } from '../helpers/redis.js';
import { flushQueue, readShards, startWorker, type WorkerProcess } from '../helpers/queue-workers.js';
import { expectClean, faultFixture, runFault, storeDays, useFaultStore } from './harness.js';

const DATES = ['2025-11-03', '2025-11-04', '2025-11-05'];
const SECRET = 'lost-test-secret';
// BullMQ notices a dead worker's shard once its lock lapses: 2 s here instead of 30 s.
const STALL = { BARWISE_QUEUE_STALL_MS: '2000' };

/** Workers kept running: one that dies is started again (Restart=on-failure); `deaths` counts them. */
function keepWorkers(n: number, start: (i: number, life: number) => Promise<WorkerProcess>) {
  let stopping = false;
  let deaths = 0;
  const current: WorkerProcess[] = [];
  const keep = async (i: number, life: number): Promise<void> => {
    const w = await start(i, life);
    current[i] = w;
    w.child.once('exit', () => {
      if (stopping) return;
      deaths++;
      void keep(i, life + 1);
    });
  };
  const ready = Promise.all(Array.from({ length: n }, (_, i) => keep(i, 0)));
  return {
    ready,
    get deaths() {
      return deaths;
    },
    logs: () => current.map((w) => w.log()).join('\n'),
    async stop() {
      stopping = true;
      return Promise.all(current.map((w) => w.stop()));
    },
  };
}

/** What a run found, from its --out JSON, for the tickers kept. */
function findings(j: any, keep: (ticker: string) => boolean = () => true) {
  return JSON.stringify({
    signals: j.signals.filter((s: { ticker: string }) => keep(s.ticker)),
    failures: j.failures.filter((f: { ticker: string }) => keep(f.ticker)),
    trades: (j.trades ?? []).filter((t: { ticker: string }) => keep(t.ticker)),
  });
}

describe('faults: cluster, lost under a run', function () {
  const TICKERS = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF', 'GGG', 'HHH'];
  const store = useFaultStore(() => storeDays(TICKERS, DATES, 12));
  const { file } = store;
  const url = useRedis(4);
  const env = { BARWISE_QUEUE_SECRET: SECRET };

  it(`fails a poison shard's killing task WORKER_LOST after ${SHARD_TAKES} takes and ${LOST_LIMIT} deaths alone; its neighbours and the rest are the local run's`, async () => {
    await flushQueue(url());
    const scanner = ['--scanner', faultFixture('kills-process-on-bbb.ts')];
    const local = await store.backtest(scanner);
    expect(local.code, local.stderr).to.equal(0);
    const workers = keepWorkers(2, (i, life) => startWorker({
      url: url(), db: store.db, secret: SECRET, tmpDir: file(`w-poison-${i}-${life}`), env: { ...STALL, BARWISE_POISON: '1' },
    }));
    await workers.ready;
    try {
      const queued = await store.backtest([...scanner, '--queue', url()], { env });
      expect(queued.code, queued.stderr).to.equal(1);
      // BBB's shard killed the process taking it SHARD_TAKES times, then BBB alone LOST_LIMIT times.
      expect(workers.deaths, workers.logs()).to.equal(SHARD_TAKES + LOST_LIMIT);
      expect(queued.json.failures.map((f: { ticker: string; date: string; code: string }) => `${f.ticker} ${f.date} ${f.code}`))
        .to.deep.equal([`BBB ${DATES[0]}..${DATES[2]} WORKER_LOST`]);
      expect(queued.json.failures[0].message).to.match(new RegExp(`^the worker process running BBB ${DATES[0]}\\.\\.${DATES[2]} died ${LOST_LIMIT} times while running it alone \\(the last: process \\d+ on `));
      expect(queued.json.run.status).to.equal('partial');
      // Every other ticker, BBB's shard neighbours among them, as the local run found it.
      expect(local.json.signals.filter((s: { ticker: string }) => s.ticker !== 'BBB')).to.have.length((TICKERS.length - 1) * DATES.length);
      expect(findings(queued.json, (t) => t !== 'BBB')).to.equal(findings(local.json, (t) => t !== 'BBB'));
      expect(queued.kept!.days.filter((d) => d.ticker !== 'BBB')).to.deep.equal(local.kept!.days.filter((d) => d.ticker !== 'BBB'));
      // The shards that completed: BBB's neighbour ran alone, and no task was answered twice.
      const shards = (await readShards(url())).map((tasks) => tasks.map((t) => t.ticker));
      expect(shards.some((t) => t.length > 1), 'the plan formed shards of several tasks').to.equal(true);
      expect(shards.flat().sort()).to.deep.equal(TICKERS.filter((t) => t !== 'BBB'));
      expectClean(queued);
    } finally {
      await workers.stop();
    }
  });

  describe('Redis stopped mid-run', function () {
    let redis: RedisServer | null = null;
    let workers: WorkerProcess[] = [];
    const slow = ['--scanner', faultFixture('slow-every-n.ts')];
    let local: Awaited<ReturnType<typeof store.backtest>>;

    before(async () => {
      local = await store.backtest([...slow, '--threads', '2']);
      expect(local.code, local.stderr).to.equal(0);
    });

    afterEach(async () => {
      for (const w of workers) {
        const end = await w.stop();
        expect(end.tempLeft, 'a stopped worker leaves no temp directory').to.deep.equal([]);
      }
      workers = [];
      await redis?.stop();
      redis = null;
    });

    /** A worker on its own Redis, and a wait for it to be scanning (SCAN_LOG has `days` lines). */
    const startScanning = async (name: string) => {
      redis = await startRedisServer();
      const log = file(`scan-${name}.log`);
      workers = [await startWorker({ url: redis.url, db: store.db, secret: SECRET, tmpDir: file(`w-${name}`), env: { SCAN_LOG: log } })];
      return {
        port: Number(new URL(redis.url).port),
        scanning: async (days: number) => {
          const until = Date.now() + 60_000;
          while (!(fs.existsSync(log) && fs.readFileSync(log, 'utf8').trim().split('\n').length >= days) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
        },
      };
    };

    it('waits for a Redis that comes back within --queue-timeout: the run completes as the local one, the worker serves on', async () => {
      const { port, scanning } = await startScanning('back');
      const run = store.backtest([...slow, '--queue', redis!.url, '--queue-timeout', '60'], { env });
      await scanning(3);
      await redis!.stop();
      await new Promise((r) => setTimeout(r, 2000));
      // Started again empty (nothing persisted): the shards in flight are gone with it and are enqueued again.
      redis = await startRedisServer(port);
      const r = await run;
      expect(r.code, r.stderr).to.equal(0);
      expect(findings(r.json)).to.equal(findings(local.json));
      expect(r.kept!.days).to.deep.equal(local.kept!.days);
      expect(workers[0].child.exitCode, 'the worker is still serving').to.equal(null);
      expectClean(r);
    });

    it('stops with QUEUE_LOST naming the URL once Redis stays away past --queue-timeout, keeps what finished, and the printed resume completes it', async () => {
      const { port, scanning } = await startScanning('gone');
      const url = redis!.url;
      const run = store.backtest([...slow, '--queue', url, '--queue-timeout', '3'], { env });
      await scanning(3);
      await redis!.stop();
      const t0 = Date.now();
      const r = await run;
      expect(Date.now() - t0, 'gives up about --queue-timeout after the loss').to.be.within(2500, 12_000);
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr).to.match(new RegExp(`lost the queue at ${url.replaceAll('.', '\\.')}: Redis has not answered for \\d+ s \\(--queue-timeout 3\\)`));
      expect(r.kept!.run.status).to.equal('error');
      const resume = new RegExp(`continue with: (npm run backtest -- --resume ${r.kept!.run.id} --results-db \\S+)`).exec(r.stderr);
      expect(resume, r.stderr).to.not.equal(null);
      expectClean(r);
      // Redis back: the worker that waited serves the resumed run, which ends as the local one.
      redis = await startRedisServer(port);
      const out = file('resumed.json');
      const again = await runFault(file('tmp'), [...resume![1].replace(/^npm run backtest -- /, 'backtest ').split(' '), '--out', out, '--queue', url], { env });
      expect(again.code, again.stderr).to.equal(0);
      const all = JSON.parse(fs.readFileSync(out, 'utf8'));
      expect(all.run.id).to.equal(r.kept!.run.id);
      expect(findings(all)).to.equal(findings(local.json));
      expect(all.run.counts.ticker_days).to.equal(local.json.run.counts.ticker_days);
      expectClean(again);
    });
  });
});
