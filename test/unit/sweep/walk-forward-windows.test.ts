/**
 * Walk-forward windows by trading-day index: hand-checked on the days a store actually holds (Thanksgiving
 * missing, the half day after it and a short day counted as days like any other), and the invariants every
 * shape keeps (checked over many shapes).
 */
import path from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { openMarketStore } from '../../../src/data/market-store.js';
import { listLastTradingDays } from '../../../src/data/trading-days.js';
import { computeWalkForwardWindows } from '../../../src/sweep/walk-forward-windows.js';
import { makeDay, writeStore } from '../../helpers/bars.js';
import { useTempDir } from '../../helpers/temp.js';

// Nov 24 – Dec 10 2025 on the exchange's calendar; Nov 27 (Thanksgiving) is a holiday and has no bars.
const CALENDAR = ['2025-11-24', '2025-11-25', '2025-11-26', '2025-11-28', '2025-12-01', '2025-12-02', '2025-12-03', '2025-12-04',
  '2025-12-05', '2025-12-08', '2025-12-09', '2025-12-10'];

describe('sweep: walk-forward windows', () => {
  const tmp = useTempDir();

  it('counts trading days the store holds: a holiday is skipped, a half day and a short day count as one day each', () => {
    const bars = CALENDAR.flatMap((d) => makeDay('AAA', d, { slots: d === '2025-11-28' ? 42 : d === '2025-11-26' ? 20 : 78 }));
    const store = openMarketStore(writeStore(path.join(tmp(), 'calendar.db'), bars));
    let days: string[];
    try {
      days = listLastTradingDays(store, null, '5min', 100);
    } finally {
      store.close();
    }
    expect(days).to.deep.equal(CALENDAR);
    // Rolling, train 4, test 3 (indexes: train 0–3 / test 4–6, train 3–6 / test 7–9, train 6–9 / test 10–11).
    expect(computeWalkForwardWindows(days, { train: 4, test: 3, anchored: false })).to.deep.equal([
      { index: 0, train: ['2025-11-24', '2025-11-28'], test: ['2025-12-01', '2025-12-03'], trainDays: 4, testDays: 3 },
      { index: 1, train: ['2025-11-28', '2025-12-03'], test: ['2025-12-04', '2025-12-08'], trainDays: 4, testDays: 3 },
      { index: 2, train: ['2025-12-03', '2025-12-08'], test: ['2025-12-09', '2025-12-10'], trainDays: 4, testDays: 2 },
    ]);
    // Anchored: every train window starts on the first day and grows by the test length.
    expect(computeWalkForwardWindows(days, { train: 4, test: 3, anchored: true })).to.deep.equal([
      { index: 0, train: ['2025-11-24', '2025-11-28'], test: ['2025-12-01', '2025-12-03'], trainDays: 4, testDays: 3 },
      { index: 1, train: ['2025-11-24', '2025-12-03'], test: ['2025-12-04', '2025-12-08'], trainDays: 7, testDays: 3 },
      { index: 2, train: ['2025-11-24', '2025-12-08'], test: ['2025-12-09', '2025-12-10'], trainDays: 10, testDays: 2 },
    ]);
  });

  it('keeps a last test window shorter than asked, down to one day; with no day after the train window it refuses', () => {
    const days = CALENDAR.slice(0, 5);
    expect(computeWalkForwardWindows(days, { train: 4, test: 20, anchored: false })).to.deep.equal([
      { index: 0, train: ['2025-11-24', '2025-11-28'], test: ['2025-12-01', '2025-12-01'], trainDays: 4, testDays: 1 },
    ]);
    expect(() => computeWalkForwardWindows(days, { train: 5, test: 1, anchored: false }))
      .to.throw(/--train 5 needs at least 6 trading days .*the range holds 5 \(2025-11-24 to 2025-12-01\)/).with.property('code', 'INVALID_RANGE');
    expect(() => computeWalkForwardWindows([], { train: 1, test: 1, anchored: true })).to.throw(/the range holds none/);
  });

  it('refuses train or test lengths that are not whole numbers of at least one day, naming the flag', () => {
    for (const [train, test, flag] of [[0, 5, '--train'], [5, 0, '--test'], [2.5, 5, '--train'], [5, -1, '--test'], [NaN, 5, '--train']] as const) {
      expect(() => computeWalkForwardWindows(CALENDAR, { train, test, anchored: false }), `${train}/${test}`)
        .to.throw(new RegExp(`${flag} must be a whole number of trading days, at least 1, got`)).with.property('code', 'USAGE');
    }
  });

  it('refuses days out of order or repeated', () => {
    expect(() => computeWalkForwardWindows(['2025-12-02', '2025-12-01'], { train: 1, test: 1, anchored: false })).to.throw(/sorted, each once: 2025-12-02 comes before 2025-12-01/);
    expect(() => computeWalkForwardWindows(['2025-12-01', '2025-12-01'], { train: 1, test: 1, anchored: false })).to.throw(/sorted, each once/);
  });

  it('for any shape: test windows tile the days after the first train window, each right after its own train window', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 80 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.boolean(),
      (n, train, test, anchored) => {
        fc.pre(n > train);
        const days = Array.from({ length: n }, (_, i) => `2025-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`);
        const at = (d: string) => days.indexOf(d);
        const windows = computeWalkForwardWindows(days, { train, test, anchored });
        const tested: number[] = [];
        for (const w of windows) {
          const [trainFrom, trainTo, testFrom, testTo] = [at(w.train[0]), at(w.train[1]), at(w.test[0]), at(w.test[1])];
          expect(testFrom).to.equal(trainTo + 1); // no overlap, no gap
          expect(trainTo - trainFrom + 1).to.equal(w.trainDays);
          expect(w.trainDays).to.equal(anchored ? testFrom : train);
          if (anchored) expect(trainFrom).to.equal(0);
          expect(testTo - testFrom + 1).to.equal(w.testDays);
          expect(w.testDays).to.be.at.most(test);
          for (let i = testFrom; i <= testTo; i++) tested.push(i);
        }
        expect(tested).to.deep.equal(Array.from({ length: n - train }, (_, i) => train + i));
        expect(windows.slice(0, -1).every((w) => w.testDays === test)).to.equal(true);
      }), { numRuns: 300 });
  });
});
