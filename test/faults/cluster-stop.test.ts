/**
 * Fault catalogue, the queue: the coordinator stopped mid-run (SIGINT, SIGTERM). Its shards no worker took
 * leave the queue, the workers running the others stop them at their next ticker-day boundary and answer what
 * they finished, the coordinator records that, prints the local run's resume command and exits 130 / 143; the
 * resumed run, over the queue, is the uninterrupted local run byte for byte. Real Redis, real `barwise worker`
 * processes; docs/reliability.md lists every case under "Cluster".
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_STOP_GRACE_MS } from '../../src/pool/queue-runner.js';
import { useRedis } from '../helpers/redis.js';
import { flushQueue, startWorker, type WorkerProcess } from '../helpers/queue-workers.js';
import { expectClean, faultFixture, readRun, runFault, storeDays, useFaultStore } from './harness.js';

const DATES = ['2025-11-03', '2025-11-04', '2025-11-05', '2025-11-06', '2025-11-07'];
const TICKERS = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'];
const SECRET = 'stop-test-secret';
const TOTAL_DAYS = DATES.length * TICKERS.length;

/** What a run found, from its --out: the parts a resumed run must share with an uninterrupted one. */
function findings(file: string) {
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  return JSON.stringify({ signals: j.signals, trades: j.trades, failures: j.failures, stats: j.stats, equity: j.equity, days: j.run.counts.ticker_days, plan_hash: j.run.plan_hash });
}

/** The signals and trades tables of a results database, in a total order, without run ids. */
function tables(resultsDb: string) {
  const db = new Database(resultsDb, { readonly: true });
  try {
    const rows = (table: string) => db.prepare(`SELECT * FROM ${table}`).all()
      .map(({ id: _i, run_id: _r, ...rest }: any) => JSON.stringify(rest)).sort();
    return JSON.stringify({ signals: rows('signals'), trades: rows('trades') });
  } finally {
    db.close();
  }
}

async function countWaiting(url: string): Promise<number> {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue('barwise-shards', { connection });
  try {
    return await queue.getWaitingCount();
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

describe('faults: cluster, the coordinator stopped', function () {
  const store = useFaultStore(() => storeDays(TICKERS, DATES, 24));
  const { file } = store;
  const url = useRedis(3);
  const env = { BARWISE_QUEUE_SECRET: SECRET };
  const scanner = ['--scanner', faultFixture('slow-every-n.ts'), '--trade', '--stop-pct', '1', '--target-pct', '2'];
  let workers: WorkerProcess[] = [];
  let local = '';
  let localResults = '';

  before(async () => {
    local = file('local.json');
    localResults = file('local.db');
    const r = await runFault(file('tmp'), ['backtest', '--db', store.db, ...scanner, '--threads', '2', '--results-db', localResults, '--out', local]);
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(fs.readFileSync(local, 'utf8')).trades.length, 'the oracle run trades').to.be.greaterThan(3);
  });

  afterEach(async () => {
    for (const w of workers) {
      const end = await w.stop();
      expect(end.tempLeft, 'a stopped worker leaves no temp directory').to.deep.equal([]);
    }
    workers = [];
  });

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} mid-run: its shards leave the queue, the workers stop them, what finished is kept; --resume over the queue gives the local run (exit ${code})`, async () => {
      await flushQueue(url());
      const log = file(`scan-${signal}.log`);
      // One worker holding two shards at a time: the others wait on the queue when the stop comes.
      workers = [await startWorker({ url: url(), db: store.db, secret: SECRET, tmpDir: file(`w-${signal}`), env: { SCAN_LOG: log } })];
      const results = file(`${signal}.db`);
      const out = file(`${signal}.json`);
      const args = ['backtest', '--db', store.db, ...scanner, '--queue', url(), '--results-db', results, '--out', out];
      // Stopped while the workers are mid-way through their shards (a shard answers only at its end).
      const scannedDays = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').length : 0);
      const r = await runFault(file('tmp'), args, { env, kill: { signal, until: () => scannedDays() >= 8 } });
      expect(r.code, r.stderr).to.equal(code);
      expect(r.stopMs, 'from the signal to the exit: the workers answered within the grace').to.be.below(QUEUE_STOP_GRACE_MS);
      const kept = readRun(results)!;
      const done = kept.days.filter((d) => d.status === 'done').length;
      expect(kept.run.status).to.equal('interrupted');
      expect(done).to.be.below(TOTAL_DAYS);
      // Every ticker-day a worker scanned to its end before it stopped is kept: at most the day each worker's
      // thread was on is lost.
      expect(done, `kept of those scanned; the coordinator said:\n${r.stderr}\nthe worker said:\n${workers[0].log()}\nscanned:\n${fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '(nothing)'}`).to.be.at.least(scannedDays() - workers.length);
      expect(r.stderr).to.include(`barwise: interrupted; run id ${kept.run.id}: ${done} of ${TOTAL_DAYS} ticker-days finished, kept in run #${kept.run.id} of ${results} and in ${out}.`);
      expect(r.stderr).to.include(`continue with: npm run backtest -- --resume ${kept.run.id} --results-db ${results} --out ${out}\n`);
      expectClean(r);
      expect(await countWaiting(url()), 'no shard of the run left waiting on the queue').to.equal(0);
      expect(workers[0].log()).to.match(/plan [0-9a-f]+: stopped by its coordinator/);
      // The workers scan nothing of the run any more: no ticker-day starts once they had a moment to stop.
      await new Promise((res) => setTimeout(res, 1000));
      const scanned = fs.readFileSync(log, 'utf8');
      await new Promise((res) => setTimeout(res, 1500));
      expect(fs.readFileSync(log, 'utf8'), 'ticker-days started after the stop').to.equal(scanned);

      const resumed = await runFault(file('tmp'), ['backtest', '--resume', String(kept.run.id), '--results-db', results, '--out', out, '--queue', url()], { env });
      expect(resumed.code, resumed.stderr).to.equal(0);
      expectClean(resumed);
      expect(JSON.parse(fs.readFileSync(out, 'utf8')).run.id).to.equal(kept.run.id);
      expect(findings(out)).to.equal(findings(local));
      expect(tables(results)).to.equal(tables(localResults));
      // The days kept before the stop were not scanned again: only a day cut off mid-way on each worker's thread.
      const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
      expect(new Set(lines).size).to.equal(TOTAL_DAYS);
      expect(lines.length, 'ticker-days scanned across the stop and the resume').to.be.at.most(TOTAL_DAYS + workers.length);
    });
  }

  it('Ctrl-C mid-sweep over the queue, then `sweep --resume N --queue`: every combination\'s signals and trades equal the local sweep\'s', async () => {
    await flushQueue(url());
    const grid = ['--param', 'n=2,3', '--param', 'trade.maxBars=1,2'];
    const sweep = ['sweep', '--db', store.db, '--scanner', faultFixture('slow-every-n.ts'), ...grid];
    const full = await runFault(file('tmp'), [...sweep, '--threads', '2', '--results-db', file('sweep-local.db'), '--out', file('sweep-local.json')]);
    expect(full.code, full.stderr).to.equal(0);
    const log = file('scan-sweep.log');
    workers = [await startWorker({ url: url(), db: store.db, secret: SECRET, tmpDir: file('w-sweep'), env: { SCAN_LOG: log } })];
    const results = file('sweep-cut.db');
    const out = file('sweep-cut.json');
    const scanned = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').length : 0);
    const cut = await runFault(file('tmp'), [...sweep, '--queue', url(), '--results-db', results, '--out', out], { env, kill: { signal: 'SIGINT', until: () => scanned() >= 8 } });
    expect(cut.code, cut.stderr).to.equal(130);
    expectClean(cut);
    const command = `npm run sweep -- --resume 1 --results-db ${results} --out ${out}`;
    expect(cut.stderr).to.include(`  Continue it with: ${command}\n`);
    expect(readRun(results, 1)!.days.filter((d) => d.status === 'done').length, 'ticker-days kept').to.be.above(0).and.below(TOTAL_DAYS);

    const resumed = await runFault(file('tmp'), ['sweep', ...command.replace(/^npm run sweep -- /, '').split(' '), '--queue', url()], { env });
    expect(resumed.code, resumed.stderr).to.equal(0);
    expectClean(resumed);
    const outcomes = (resultsDb: string) => {
      const db = new Database(resultsDb, { readonly: true });
      try {
        const rows = (sql: string, runId: number) => db.prepare(sql).all(runId).map(({ id: _i, ...rest }: any) => JSON.stringify(rest)).sort();
        return (db.prepare('SELECT combination, run_id FROM sweep_runs ORDER BY combination').all() as { combination: number; run_id: number }[]).map((l) => ({
          signals: rows('SELECT * FROM signals WHERE run_id = ?', l.run_id),
          trades: rows('SELECT * FROM trades WHERE run_id = ?', l.run_id),
        }));
      } finally {
        db.close();
      }
    };
    const want = outcomes(file('sweep-local.db'));
    expect(want[0].trades.length, 'the combinations trade').to.be.above(0);
    expect(outcomes(results)).to.deep.equal(want);
  });
});
