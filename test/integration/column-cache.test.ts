/**
 * The column cache (src/data/column-cache.ts) through whole runs: it is filled by a run, read by the next, and
 * never shows bars the store no longer holds. Signals are compared with runs that read only the store.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { runBacktest, runSweep } from '../../src/index.js';
import { COLUMN_CACHE_ENV } from '../../src/data/column-cache.js';
import { openTaskInputs, readTaskDays } from '../../src/runtime/read-task-days.js';
import type { WorkerConfig } from '../../src/runtime/task-types.js';
import { planTasks } from '../../src/plan/plan-tasks.js';
import { fingerprintMarket } from '../../src/plan/fingerprint-market.js';
import { makeDay, writeStore } from '../helpers/bars.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

const SCANNER = path.join(ROOT, 'scanners/vwap-reclaim.ts');
const TICKERS = ['AAA', 'BBB', 'CCC'];
const DATES = ['2025-10-30', '2025-10-31', '2025-11-03', '2025-11-04'];
/** One file per task window of a ticker. */
const FILES = planTasks(TICKERS, DATES[0], DATES[3], 2).length;

describe('column cache through runs', function () {
  const tmp = useTempDir();
  let db: string;
  let cache: string;
  const saved = process.env[COLUMN_CACHE_ENV];
  before(() => {
    db = writeStore(path.join(tmp(), 'm.db'), TICKERS.flatMap((t) => DATES.flatMap((d) => makeDay(t, d))));
    cache = path.join(tmp(), 'cache');
  });
  after(() => {
    if (saved === undefined) delete process.env[COLUMN_CACHE_ENV];
    else process.env[COLUMN_CACHE_ENV] = saved;
  });
  // Workers copy the environment when they start, so the variable is set before each run.
  const run = async (cacheDir: string) => {
    process.env[COLUMN_CACHE_ENV] = cacheDir;
    const r = await runBacktest({ db, scanner: SCANNER, threads: 2, signals: 'all', resultsDb: path.join(tmp(), 'results.db') });
    return r.signals;
  };

  it('is filled by a run and read by the next, which finds the same signals as a run reading only the store', async () => {
    const alone = await run('off');
    expect(alone.length).to.be.greaterThan(5);
    expect(await run(cache)).to.deep.equal(alone);
    const files = fs.readdirSync(cache);
    expect(files.filter((f) => f.endsWith('.bin'))).to.have.length(FILES);
    expect(files.filter((f) => !f.endsWith('.bin'))).to.deep.equal([]);
    // The next run reads those files: a hand-edited one (the cache trusts its names) shows in its signals.
    for (const f of files) fs.writeFileSync(path.join(cache, f), fs.readFileSync(path.join(cache, f)).subarray(0, 8));
    expect(await run(cache)).to.deep.equal([]);
    fs.rmSync(cache, { recursive: true });
  });

  it('serves a sweep as it serves a backtest: filled by one sweep, read by the next, every combination\'s signals as from the store', async () => {
    const sweep = async (cacheDir: string) => {
      process.env[COLUMN_CACHE_ENV] = cacheDir;
      const r = await runSweep({ db, scanner: SCANNER, threads: 2, signals: 'all', resultsDb: ':memory:', grid: { minBars: [3, 6] } });
      return r.combinations.map((c) => c.result.signals);
    };
    const dir = path.join(tmp(), 'sweep-cache');
    const alone = await sweep('off');
    expect(alone.every((signals) => signals.length > 5)).to.equal(true);
    expect(alone[0]).to.not.deep.equal(alone[1]);
    expect(await sweep(dir)).to.deep.equal(alone);
    const files = fs.readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.bin'))).to.have.length(FILES);
    // The next sweep reads those files: cut to their header, every combination sees no bars.
    for (const f of files) fs.writeFileSync(path.join(dir, f), fs.readFileSync(path.join(dir, f)).subarray(0, 8));
    expect(await sweep(dir)).to.deep.equal([[], []]);
    fs.rmSync(dir, { recursive: true });
  });

  it('after the store changes, reads the new bars, not the ones it kept', async () => {
    const before = await run(cache);
    expect(fs.readdirSync(cache)).to.have.length(FILES);
    const w = new Database(db);
    w.prepare("UPDATE ohlcv_data SET volume = volume * 50 WHERE ticker = 'AAA' AND rowid % 7 = 0").run();
    w.close();
    const changed = await run(cache);
    expect(changed).to.not.deep.equal(before);
    expect(changed).to.deep.equal(await run('off'));
  });

  it('keeps nothing read while the store no longer matches the plan\'s fingerprint, and what matches it', () => {
    const dir = path.join(tmp(), 'stale');
    process.env[COLUMN_CACHE_ENV] = dir;
    const config = { dbPath: db, scanner: { path: SCANNER, kind: 'module' }, warmup: 12, signals: 'all', session: 'regular', timeframe: '5min', mode: 'realtime' } as WorkerConfig;
    const inputs = openTaskInputs(config);
    try {
      // The fingerprint the plan took before another process committed (a checksum the store no longer gives).
      const task = { key: 'AAA', ticker: 'AAA', fromDate: DATES[0], toDate: DATES[3], market: { from: DATES[0], to: DATES[3], entry: [312, 0, 0, '0'] as [number, number, number, string] } };
      const read = readTaskDays(inputs, config, task);
      expect(read.ok && read.read.days.map((d) => d.barCount)).to.deep.equal([78, 78, 78, 78]);
      expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).to.deep.equal([]);
      // The store's own fingerprint of the ticker: then the rows are kept.
      const entry = fingerprintMarket(inputs.store, { tickers: ['AAA'], from: DATES[0], to: DATES[3], timeframe: '5min' }, { references: [], lookbackDays: 0, dailyBars: 0 }).tickers.AAA;
      readTaskDays(inputs, config, { ...task, market: { ...task.market, entry } });
      expect(fs.readdirSync(dir)).to.have.length(1);
    } finally {
      inputs.store.close();
    }
  });
});
