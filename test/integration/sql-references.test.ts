/**
 * SQL scanners with declared references, against a brute-force replay: one that reads the reference sees
 * exactly its bars up to the current one; one pinned to its own ticker gives the signals it gives without
 * references (its day database then holds no reference rows: test/unit/day-db/reference-row-use.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { runBacktest } from '../../src/index.js';
import { publicSignal } from '../../src/report/format-json.js';
import { makeDay, writeStore, type TestBar } from '../helpers/bars.js';
import { bruteForceReplay, nyParts, sqlLogic, type StepLogic } from '../helpers/oracle.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

const READS_BBB = path.join(ROOT, 'test/fixtures/scanners/above-reference-close.sql');
const ORB = path.join(ROOT, 'scanners/opening-range-breakout.sql');

/** The step's database with the reference's bars up to the current one added, built by hand. */
function withReference(sql: string, all: readonly TestBar[], ref: string): StepLogic {
  return ({ ticker, date, visible, dayStart }) => {
    const now = visible[visible.length - 1];
    const db = new Database(':memory:');
    db.exec('CREATE TABLE ohlcv_data (ticker TEXT, timestamp INTEGER, open REAL, high REAL, low REAL, close REAL, volume INTEGER, timeframe TEXT, time_of_day TEXT)');
    const ins = db.prepare("INSERT INTO ohlcv_data VALUES (?, ?, ?, ?, ?, ?, ?, '5min', ?)");
    const refBars = all.filter((b) => b.ticker === ref && b.ticker !== ticker && nyParts(b.timestamp).date === date && b.timestamp <= now.timestamp
      && nyParts(b.timestamp).time >= '09:30:00' && nyParts(b.timestamp).time < '16:00:00');
    for (const b of [...visible, ...refBars]) ins.run(b.ticker, b.timestamp, b.open, b.high, b.low, b.close, b.volume, nyParts(b.timestamp).time);
    try {
      return db.prepare(sql).all({ ticker, date, as_of: now.timestamp, time: now.time_of_day, day_start: dayStart });
    } finally {
      db.close();
    }
  };
}

describe('SQL scanners with reference tickers', function () {
  const tmp = useTempDir();
  let db: string;
  let bars: TestBar[];
  before(() => {
    // BBB misses some bars the others have, so "its latest close so far" is not always the same-time bar.
    bars = ['AAA', 'BBB', 'CCC'].flatMap((t, i) => ['2025-11-03', '2025-11-04'].flatMap((d) => makeDay(t, d, { seed: 7 + i, ...(t === 'BBB' ? { missing: [2, 5, 6, 30] } : {}) })));
    db = writeStore(path.join(tmp(), 'refs.db'), bars);
  });

  it('shows a scanner that reads the reference exactly its bars up to the current one', async () => {
    const result = await runBacktest({ db, scanner: READS_BBB, threads: 2, resultsDb: ':memory:', signals: 'all', warmup: 3 });
    const expected = bruteForceReplay(bars, withReference(fs.readFileSync(READS_BBB, 'utf8'), bars, 'BBB'), { warmup: 3, signals: 'all' });
    expect(result.failures).to.deep.equal([]);
    expect(expected.filter((s) => s.ticker !== 'BBB').length, 'the scanner should fire on this data').to.be.greaterThan(5);
    expect(result.signals.map(publicSignal)).to.deep.equal(expected);
  });

  it('gives a scanner pinned to its own ticker the same signals with references as without', async () => {
    const withRefs = await runBacktest({ db, scanner: ORB, threads: 2, resultsDb: ':memory:', signals: 'all', references: ['BBB', 'CCC'], params: { vol_mult: 1.2 } });
    // The oracle: the scanner alone on its own bars (no reference rows at all).
    const expected = bruteForceReplay(bars, sqlLogic(fs.readFileSync(ORB, 'utf8'), { or_bars: 6n, vol_mult: 1.2 }), { warmup: 6, signals: 'all' });
    expect(withRefs.failures).to.deep.equal([]);
    expect(withRefs.run.references).to.deep.equal(['BBB', 'CCC']);
    expect(expected.length, 'the scanner should fire on this data').to.be.greaterThan(3);
    expect(withRefs.signals.map(publicSignal)).to.deep.equal(expected);
  });
});
