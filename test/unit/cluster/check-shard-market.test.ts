/**
 * A worker's check of its own market database against the coordinator's fingerprint, for a shard's tickers in
 * one aggregate: a copy of the same data passes for any shard of tickers, and a changed or missing ticker is
 * named (the first one in the shard's order), with the figure that differs.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { ShardMarketCheck } from '../../../src/cluster/check-shard-market.js';
import type { ShardPlan } from '../../../src/cluster/shard-job.js';
import { openMarketStore } from '../../../src/data/market-store.js';
import { fingerprintMarket } from '../../../src/plan/fingerprint-market.js';
import { makeDay, writeStore } from '../../helpers/bars.js';
import { useTempDir } from '../../helpers/temp.js';

const DATES = ['2025-11-03', '2025-11-04', '2025-11-05'];
const TICKERS = ['AAA', 'BBB', 'CCC', 'DDD'];
const context = { references: ['SPY'], lookbackDays: 0, dailyBars: 0 };
const run = { from: '2025-11-04', to: '2025-11-05' };
const plan = { config: { timeframe: '5min', context }, run } as unknown as ShardPlan;

describe('cluster: a worker checks a shard\'s market data', function () {
  const tmp = useTempDir();
  const bars = [...TICKERS, 'SPY'].flatMap((t) => DATES.flatMap((d) => makeDay(t, d, { slots: 10 })));
  /** What the coordinator sends: each ticker measured alone on its own database. */
  const coordinator = (file: string) => {
    const store = openMarketStore(file);
    try {
      return Object.assign({}, ...[...TICKERS, 'SPY'].map((t) => fingerprintMarket(store, { tickers: [t], ...run, timeframe: '5min' }, { ...context, references: [] }).tickers));
    } finally {
      store.close();
    }
  };
  const workerCopy = (name: string, from: string, ...sql: string[]) => {
    const file = path.join(tmp(), name);
    fs.copyFileSync(from, file);
    const db = new Database(file);
    for (const s of sql) db.exec(s);
    db.close();
    return file;
  };
  const checking = (file: string, f: (check: ShardMarketCheck) => void) => {
    const store = openMarketStore(file);
    try {
      f(new ShardMarketCheck(store));
    } finally {
      store.close();
    }
  };

  it('passes a copy of the same data, whatever tickers a shard groups', () => {
    const original = writeStore(path.join(tmp(), 'market.db'), bars);
    const expected = coordinator(original);
    checking(workerCopy('same.db', original), (check) => {
      expect(() => check.check('p1', plan, TICKERS, expected)).not.to.throw();
      expect(() => check.check('p2', plan, ['DDD', 'AAA'], expected)).not.to.throw();
      expect(() => check.check('p3', plan, ['CCC'], expected)).not.to.throw();
    });
  });

  it('names the first changed or missing ticker in the shard\'s order, and the reference', () => {
    const original = writeStore(path.join(tmp(), 'market-2.db'), bars);
    const expected = coordinator(original);
    const changed = workerCopy('changed.db', original,
      `UPDATE ohlcv_data SET volume = volume + 1 WHERE ticker = 'CCC' AND rowid = (SELECT MAX(rowid) FROM ohlcv_data WHERE ticker = 'CCC')`,
      `DELETE FROM ohlcv_data WHERE ticker = 'BBB'`);
    checking(changed, (check) => {
      expect(() => check.check('p1', plan, ['AAA', 'DDD'], expected)).not.to.throw();
      expect(() => check.check('p1', plan, ['AAA', 'CCC', 'BBB'], expected)).to.throw(/ticker CCC differs from the coordinator's market data in its checksum of prices and volumes/);
      expect(() => check.check('p1', plan, ['BBB', 'CCC'], expected)).to.throw(/missing ticker BBB: the coordinator's market data has 20 bars of it/);
    });
    const noReference = workerCopy('no-spy.db', original, `DELETE FROM ohlcv_data WHERE ticker = 'SPY'`);
    checking(noReference, (check) => {
      expect(() => check.check('p1', plan, ['AAA'], expected)).to.throw(/missing ticker SPY/);
    });
  });
});
