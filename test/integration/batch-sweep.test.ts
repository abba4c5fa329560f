/**
 * Batch jobs that are sweeps (`sweep:` in the batch file), through runBatch on the bundled data: the summary
 * names the best combination, which equals the best of a separate backtest of every combination; running the
 * batch again does not run a completed sweep again; a sweep stopped before any day finished is continued to the same
 * best (one stopped part-way: batch-sweep-resume.test.ts); a changed sweep key is another job.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { runBacktest } from '../../src/engine/run-backtest.js';
import { parseBatchConfig } from '../../src/batch/batch-config.js';
import { runBatch } from '../../src/batch/run-batch.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

const ORB = path.join(ROOT, 'scanners', 'opening-range-breakout.sql');
const TICKERS = ['AAPL', 'MSFT', 'NVDA'];
const RANGE = { from: '2025-11-03', to: '2025-11-21' };
const GRID = { or_bars: [3, 6], vol_mult: [1.5, 2] };

describe('batch: jobs that are sweeps', function () {
  this.timeout(600_000);
  const tmp = useTempDir('barwise-batch-sweep-');
  /** The best combination by profit factor, from a backtest of each combination alone. */
  let bruteBest: { values: Record<string, number>; objective: number };

  before(async () => {
    const all: { values: Record<string, number>; objective: number | null }[] = [];
    for (const or_bars of GRID.or_bars) {
      for (const vol_mult of GRID.vol_mult) {
        const r = await runBacktest({ scanner: ORB, tickers: TICKERS, ...RANGE, params: { or_bars, vol_mult }, trade: { stopPct: 1 }, threads: 2, resultsDb: ':memory:' });
        const pf = r.stats?.profit_factor;
        all.push({ values: { or_bars, vol_mult }, objective: typeof pf === 'number' ? pf : null });
      }
    }
    const valued = all.filter((c) => c.objective !== null) as { values: Record<string, number>; objective: number }[];
    expect(valued.length, 'every combination trades and loses some').to.equal(4);
    // Highest first; ties keep the grid's order (the first listed wins).
    bruteBest = valued.reduce((a, b) => (b.objective > a.objective ? b : a));
  });

  const config = (name: string, sweep: Record<string, unknown>) => {
    const file = path.join(tmp(), `${name}.yaml`);
    fs.writeFileSync(file, '');
    return parseBatchConfig({
      name,
      jobs: [{ name: 'orb-sweep', scanner: ORB, universe: TICKERS, range: RANGE, options: { trade: { stopPct: 1 }, threads: 2 }, sweep }],
    }, file);
  };
  const count = (db: string, sql: string) => {
    const d = new Database(db, { readonly: true });
    try {
      return d.prepare(sql).pluck().get() as number;
    } finally {
      d.close();
    }
  };
  const SWEEP = { grid: GRID, walkForward: true, train: 6, test: 4, pboBlocks: 4 };

  it('runs the sweep, names its best combination, and does not run it again when the batch runs again', async () => {
    const resultsDb = path.join(tmp(), 'once.db');
    const first = await runBatch(config('once', SWEEP), { resultsDb });
    const job = first.jobs[0];
    expect(job.status, job.error).to.equal('completed');
    expect(job.sweep!.combinations).to.equal(4);
    expect(job.sweep!.best!.values).to.deep.equal(bruteBest.values);
    expect(job.sweep!.best!.objective).to.equal(bruteBest.objective);
    expect(job.run_id, 'the job\'s run is its best combination\'s').to.equal(job.sweep!.best!.run_id);
    expect(job.sweep!.pbo!.verdict).to.be.a('string');
    expect(count(resultsDb, 'SELECT COUNT(*) FROM runs')).to.equal(4);

    const again = await runBatch(config('once', SWEEP), { resultsDb });
    expect(again.jobs[0].status).to.equal('already-completed');
    expect(again.jobs[0].sweep!.best).to.deep.equal(job.sweep!.best);
    expect(again.jobs[0].run_id).to.equal(job.run_id);
    expect(count(resultsDb, 'SELECT COUNT(*) FROM runs'), 'no new run').to.equal(4);
    expect(count(resultsDb, 'SELECT COUNT(*) FROM sweeps')).to.equal(1);

    const changed = await runBatch(config('once', { ...SWEEP, minTrades: 5 }), { resultsDb });
    expect(changed.jobs[0].status, 'another sweep key is another job').to.equal('completed');
    expect(count(resultsDb, 'SELECT COUNT(*) FROM sweeps')).to.equal(2);
  });

  it('continues a sweep stopped at its start, to the best of the combinations alone', async () => {
    const resultsDb = path.join(tmp(), 'stopped.db');
    const controller = new AbortController();
    const stopped = await runBatch(config('stopped', SWEEP), { resultsDb }, { onJobStart: () => controller.abort(), signal: controller.signal });
    expect(stopped.jobs[0].status).to.equal('interrupted');
    expect(count(resultsDb, "SELECT COUNT(*) FROM sweeps WHERE status = 'interrupted'")).to.equal(1);

    const again = await runBatch(config('stopped', SWEEP), { resultsDb });
    expect(again.jobs[0].status, again.jobs[0].error).to.equal('completed');
    expect(again.jobs[0].sweep!.best!.values).to.deep.equal(bruteBest.values);
    expect(again.jobs[0].sweep!.best!.objective).to.equal(bruteBest.objective);
    expect(count(resultsDb, "SELECT COUNT(*) FROM sweeps WHERE status = 'completed'")).to.equal(1);
    expect(count(resultsDb, 'SELECT COUNT(*) FROM sweeps'), 'the same sweep, continued').to.equal(1);
    expect(count(resultsDb, 'SELECT COUNT(*) FROM runs'), 'its runs, continued').to.equal(4);

    const third = await runBatch(config('stopped', SWEEP), { resultsDb });
    expect(third.jobs[0].status).to.equal('already-completed');
  });
});
