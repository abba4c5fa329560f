/**
 * A fresh run or sweep scans while the main thread measures the market fingerprint (src/engine/overlap-fingerprint.ts),
 * and holds what its tasks answer until the plan hash and the run's rows exist. What it records is what a run that
 * measured the fingerprint first records: the same plan hash, days and signals, at 1 and 2 threads, with the
 * column cache filled and read. A run stopped while the fingerprint may still be measured (a scanner failing
 * every day; another process committing to the store) is recorded and named like any other. A sweep's
 * combinations record what their backtests alone record when those measured the fingerprint first. The store is large enough that the fingerprint takes
 * longer than the workers' first answers on this machine; the assertions hold whichever comes first.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { runBacktest, runResolved } from '../../src/engine/run-backtest.js';
import { runSweep } from '../../src/sweep/run-sweep.js';
import type { RunResult } from '../../src/engine/run-result.js';
import { completePlan, resolveRunFully } from '../../src/plan/resolve-run.js';
import { BarwiseError } from '../../src/errors.js';
import { COLUMN_CACHE_ENV } from '../../src/data/column-cache.js';
import { makeDay, nyTime, writeStore } from '../helpers/bars.js';
import { useTempDir } from '../helpers/temp.js';

const DATES = ['2025-11-03', '2025-11-04'];
const TICKERS = Array.from({ length: 500 }, (_, i) => `T${String(i).padStart(3, '0')}`);
const HISTORY_DAYS = 26;
const ORB = path.resolve('scanners/opening-range-breakout.sql');
const fixture = (name: string) => path.resolve('test/fixtures/scanners', name);
const faultFixture = (name: string) => path.resolve('test/faults/fixtures', name);

describe('engine: the fingerprint measured while the workers scan', function () {
  this.timeout(300_000);
  const tmp = useTempDir();
  let db: string;
  before(() => {
    db = writeStore(path.join(tmp(), 'market.db'), TICKERS.flatMap((t) => DATES.map((d) => makeDay(t, d))).flat());
    // A long history before the range, which the fingerprint of a run looking back at previous days reads
    // whole (~1M bars, about a second) and the workers do not: their first answers come while it is measured.
    const w = new Database(db);
    w.prepare(`WITH RECURSIVE day(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM day WHERE k < ${HISTORY_DAYS - 1}),
      slot(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM slot WHERE i < 77)
      INSERT INTO ohlcv_data SELECT t.ticker, ? + day.k * 86400000 + slot.i * 300000, 10 + slot.i % 7, 11 + slot.i % 7, 9 + slot.i % 7, 10.5 + slot.i % 7, 1000 + day.k, '5min', NULL
      FROM (SELECT DISTINCT ticker FROM ohlcv_data) t, day, slot`).run(nyTime('2025-09-01', '09:30'));
    w.close();
  });
  const query = (file: string, sql: string, ...params: unknown[]) => {
    const r = new Database(file, { readonly: true });
    try {
      return r.prepare(sql).all(...params) as Record<string, unknown>[];
    } finally {
      r.close();
    }
  };
  /** A copy of the store that another process may commit to mid-run: in WAL mode, the commit does not wait for the fingerprint's read to end. */
  const copyInWal = async (name: string) => {
    const store = path.join(tmp(), name);
    const src = new Database(db, { readonly: true });
    await src.backup(store);
    src.close();
    const wal = new Database(store);
    wal.pragma('journal_mode = WAL');
    wal.close();
    return store;
  };
  const runsOf = (file: string) => query(file, 'SELECT id, status, plan_hash FROM runs ORDER BY id') as { id: number; status: string; plan_hash: string }[];
  const daysOf = (file: string, id: number) => query(file, 'SELECT ticker, date, bars, steps, status FROM run_days WHERE run_id = ? ORDER BY ticker, date', id);

  it('records the plan hash, days and signals of a run that measured the fingerprint before scanning (1 and 2 threads)', async () => {
    const resultsDb = path.join(tmp(), 'same.db');
    const options = { db, scanner: ORB, resultsDb, lookbackDays: 1, from: DATES[0], to: DATES[1] };
    const first = await resolveRunFully({ ...options, threads: 2 });
    completePlan(first);
    const measuredFirst = await runResolved(first);
    const two = await runBacktest({ ...options, threads: 2 });
    const one = await runBacktest({ ...options, threads: 1 });
    // With the column cache, each task waits for its ticker's entry (its name in the cache): filled, then read.
    process.env[COLUMN_CACHE_ENV] = path.join(tmp(), 'column-cache');
    const filling = await runBacktest({ ...options, threads: 2 }).finally(() => delete process.env[COLUMN_CACHE_ENV]);
    expect(fs.readdirSync(path.join(tmp(), 'column-cache')).filter((f) => f.endsWith('.bin'))).to.have.length(TICKERS.length);
    process.env[COLUMN_CACHE_ENV] = path.join(tmp(), 'column-cache');
    const cached = await runBacktest({ ...options, threads: 2 }).finally(() => delete process.env[COLUMN_CACHE_ENV]);
    expect(measuredFirst.signals.length).to.be.greaterThan(50);
    for (const r of [two, one, filling, cached]) {
      expect(r.signals).to.deep.equal(measuredFirst.signals);
      expect(r.run.counts).to.deep.equal(measuredFirst.run.counts);
    }
    const runs = runsOf(resultsDb);
    expect(runs.map((r) => r.status)).to.deep.equal(Array(5).fill('completed'));
    expect(new Set(runs.map((r) => r.plan_hash)).size).to.equal(1);
    expect(daysOf(resultsDb, 2)).to.deep.equal(daysOf(resultsDb, 1)).and.to.have.length(TICKERS.length * DATES.length);
    for (const id of [3, 4, 5]) expect(daysOf(resultsDb, id)).to.deep.equal(daysOf(resultsDb, 1));
  });

  it('a scanner failing every day: stopped at --max-failures, the error naming the run it is recorded as, status error', async () => {
    const resultsDb = path.join(tmp(), 'limit.db');
    const err = await runBacktest({ db, scanner: faultFixture('throws-at-once.ts'), resultsDb, threads: 2, maxFailures: 3, lookbackDays: 1, from: DATES[0], to: DATES[1] }).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(BarwiseError);
    expect((err as BarwiseError).code).to.equal('TOO_MANY_FAILURES');
    expect((err as BarwiseError).hint).to.match(/ticker-days that finished are kept as run #1 of .*limit\.db/);
    expect(runsOf(resultsDb).map((r) => r.status)).to.deep.equal(['error']);
    expect(query(resultsDb, 'SELECT * FROM failures WHERE run_id = 1').length).to.be.at.least(3).and.below(TICKERS.length);
  });

  it('another process committing to the store once the workers scan: DB_CHANGED naming the run, what finished kept, status error', async () => {
    const store = await copyInWal('changing.db');
    const resultsDb = path.join(tmp(), 'changing-results.db');
    process.env.BARWISE_TEST_COMMIT_DB = store;
    try {
      const err = await runBacktest({ db: store, scanner: fixture('commits-to-market.ts'), resultsDb, threads: 2, lookbackDays: 1, from: DATES[0], to: DATES[1] }).then(() => null, (e: unknown) => e);
      expect(err).to.be.instanceOf(BarwiseError);
      expect((err as BarwiseError).code).to.equal('DB_CHANGED');
      expect((err as BarwiseError).hint).to.equal(`Re-run once the change is finished; this run is kept as run #1 of ${resultsDb} with status error.`);
    } finally {
      delete process.env.BARWISE_TEST_COMMIT_DB;
    }
    expect(runsOf(resultsDb).map((r) => r.status)).to.deep.equal(['error']);
  });

  it('a sweep: each combination records the plan hash, days and signals of its backtest that measured the fingerprint first (1 and 2 threads)', async () => {
    const options = { db, scanner: ORB, lookbackDays: 1, from: DATES[0], to: DATES[1] };
    const alone = path.join(tmp(), 'sweep-alone.db');
    const expected: RunResult[] = [];
    for (const orBars of [3, 6]) {
      // A sweep trades every combination (default rules unless given): its backtest alone does too.
      const first = await resolveRunFully({ ...options, resultsDb: alone, threads: 2, params: { or_bars: orBars }, trade: {} });
      completePlan(first);
      expected.push(await runResolved(first));
    }
    expect(expected[0].signals.length).to.be.greaterThan(50);
    for (const threads of [2, 1]) {
      const resultsDb = path.join(tmp(), `sweep-${threads}.db`);
      const sweep = await runSweep({ ...options, resultsDb, threads, grid: { or_bars: [3, 6] } });
      sweep.combinations.forEach((c, k) => {
        expect(c.result.signals).to.deep.equal(expected[k].signals);
        expect(c.result.run.counts).to.deep.equal(expected[k].run.counts);
        expect(c.result.trades).to.deep.equal(expected[k].trades);
      });
      expect(runsOf(resultsDb).map((r) => r.plan_hash)).to.deep.equal(runsOf(alone).map((r) => r.plan_hash));
      for (const id of [1, 2]) expect(daysOf(resultsDb, id)).to.deep.equal(daysOf(alone, id)).and.to.have.length(TICKERS.length * DATES.length);
    }
  });

  it('a sweep whose store another process commits to once the workers scan: DB_CHANGED naming its runs, status error', async () => {
    const store = await copyInWal('changing-sweep.db');
    const resultsDb = path.join(tmp(), 'changing-sweep-results.db');
    process.env.BARWISE_TEST_COMMIT_DB = store;
    try {
      const err = await runSweep({ db: store, scanner: fixture('commits-to-market.ts'), resultsDb, threads: 2, lookbackDays: 1, from: DATES[0], to: DATES[1], grid: { 'trade.stopPct': [0.5, 1] } })
        .then(() => null, (e: unknown) => e);
      expect(err).to.be.instanceOf(BarwiseError);
      expect((err as BarwiseError).code).to.equal('DB_CHANGED');
      expect((err as BarwiseError).hint).to.equal(`Run the sweep again once the change is finished; what finished is kept as runs 1..2 of ${resultsDb} with status error.`);
    } finally {
      delete process.env.BARWISE_TEST_COMMIT_DB;
    }
    expect(runsOf(resultsDb).map((r) => r.status)).to.deep.equal(['error', 'error']);
  });
});
