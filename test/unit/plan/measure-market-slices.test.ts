/**
 * The fingerprint measured a slice of tickers at a time (what a run does while its workers scan) is the
 * fingerprint of one statement, entry for entry, whatever the slicing: a resumed run, which measures it in one
 * statement, must find the same plan hash. While it is measured, a ticker's entry is there (and final) once
 * the measurement has passed it, and the whole is one snapshot of the store, however long it takes.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { openMarketStore, type MarketStore } from '../../../src/data/market-store.js';
import { measureInSlices, measureMarket, type MeasuredMarket } from '../../../src/plan/fingerprint-market.js';
import { measureMarketStepwise } from '../../../src/plan/measure-market-stepwise.js';
import { makeDay, mulberry32, nyTime, writeStore, type TestBar } from '../../helpers/bars.js';
import { useTempDir } from '../../helpers/temp.js';

const DATES = ['2025-11-03', '2025-11-04', '2025-11-05', '2025-11-06'];
// Names whose code-unit order is not their alphabetical order, and tickers with no bars in range.
const TICKERS = ['AAA', 'AAB', 'B', 'BRK.B', 'C', 'aaa', 'ZZ', 'MSFT', 'Q1', 'Q10', 'Q2', 'SPY', 'NONE'];
const RUN = { tickers: TICKERS.filter((t) => t !== 'SPY'), from: '2025-11-04', to: '2025-11-06', timeframe: '5min' };
const CONTEXTS = [
  { references: [], lookbackDays: 0, dailyBars: 0 },
  { references: ['SPY'], lookbackDays: 1, dailyBars: 0 },
  { references: ['SPY'], lookbackDays: 0, dailyBars: 2 },
];

describe('plan: the market fingerprint in slices', function () {
  const tmp = useTempDir();
  const rand = mulberry32(18);
  // Inserted in shuffled order: the table's rows are not in ticker or time order.
  const bars: TestBar[] = TICKERS.filter((t) => t !== 'NONE').flatMap((t, i) => DATES.filter((_, k) => (i + k) % 5 !== 0).flatMap((d) => makeDay(t, d, { slots: 6 + i })))
    .map((b) => ({ b, r: rand() })).sort((x, y) => x.r - y.r).map(({ b }) => b);
  const daily = TICKERS.filter((t) => t !== 'NONE' && t !== 'C').flatMap((t) => ['2025-10-30', '2025-10-31', ...DATES].map((d, k) => ({ t, ts: nyTime(d, '00:00'), close: 10 + k + t.length })));
  const build = (name: string, wal = false) => {
    const file = writeStore(path.join(tmp(), name), bars);
    const db = new Database(file);
    const ins = db.prepare("INSERT INTO ohlcv_data VALUES (?, ?, ?, ?, ?, ?, 1000, '1day', NULL)");
    for (const d of daily) ins.run(d.t, d.ts, d.close, d.close + 1, d.close - 1, d.close);
    if (wal) db.pragma('journal_mode = WAL');
    db.close();
    return file;
  };
  const withStore = <T>(file: string, fn: (store: MarketStore) => T): T => {
    const store = openMarketStore(file);
    try {
      return fn(store);
    } finally {
      store.close();
    }
  };
  const inSlices = (store: MarketStore, context: typeof CONTEXTS[number], size: () => number, onStep?: (through: string | null, entries: MeasuredMarket['fingerprint']['tickers']) => void): MeasuredMarket => {
    const steps = measureInSlices(store, RUN, context, size);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      onStep?.(step.value.through, { ...step.value.entries });
    }
  };

  it('equals the one-statement measurement, entries and covered days, for any slicing (random slicings, every context)', () => {
    const file = build('slices.db');
    withStore(file, (store) => {
      for (const context of CONTEXTS) {
        const whole = measureMarket(store, RUN, context);
        // Brute force for what the entries count: each ticker's bars in range, first and last time.
        const from = context.lookbackDays > 0 ? -Infinity : nyTime(RUN.from, '00:00');
        const to = nyTime('2025-11-07', '00:00');
        for (const t of [...RUN.tickers, ...context.references]) {
          const mine = bars.filter((b) => b.ticker === t && b.timestamp >= from && b.timestamp < to).map((b) => b.timestamp);
          expect(whole.fingerprint.tickers[t]?.slice(0, 3), t).to.deep.equal(mine.length ? [mine.length, Math.min(...mine), Math.max(...mine)] : undefined);
        }
        if (context.dailyBars > 0) expect(Object.keys(whole.fingerprint.tickers).filter((k) => k.endsWith('/1day'))).to.have.length(TICKERS.length - 2);
        for (let trial = 0; trial < 30; trial++) {
          const max = 1 + Math.floor(rand() * TICKERS.length);
          const sliced = inSlices(store, context, () => 1 + Math.floor(rand() * max));
          expect(sliced, `trial ${trial}`).to.deep.equal(whole);
        }
      }
    });
  });

  it('has, after each slice, the final entry of every ticker at or before the one it reached, and none after it', () => {
    const file = build('partial.db');
    withStore(file, (store) => {
      const context = CONTEXTS[2];
      const whole = measureMarket(store, RUN, context).fingerprint.tickers;
      const seen: (string | null)[] = [];
      inSlices(store, context, () => 3, (through, entries) => {
        seen.push(through);
        for (const t of [...RUN.tickers, 'SPY']) {
          if (through !== null && t <= through) expect(entries[t], `${t} at ${through}`).to.deep.equal(whole[t]);
          else expect(entries[t], `${t} at ${through}`).to.equal(undefined);
        }
      });
      const names = [...new Set([...RUN.tickers, 'SPY'])].sort();
      // 13 names, 3 a slice: five slices of the run's timeframe, then five of the daily bars.
      expect(names).to.have.length(13);
      expect(seen.slice(0, 5)).to.deep.equal([names[2], names[5], names[8], names[11], names[12]]);
      expect(seen).to.have.length(10);
    });
  });

  it('reads a store without an index leading with the ticker in one statement per timeframe, with the same result', () => {
    const file = path.join(tmp(), 'unindexed.db');
    const db = new Database(file);
    db.exec('CREATE TABLE ohlcv_data (ticker TEXT, timestamp INTEGER, open REAL, high REAL, low REAL, close REAL, volume INTEGER, timeframe TEXT, time_of_day TEXT)');
    const ins = db.prepare("INSERT INTO ohlcv_data VALUES (?, ?, ?, ?, ?, ?, ?, '5min', NULL)");
    for (const b of [...bars].sort((x, y) => x.ticker.localeCompare(y.ticker) || x.timestamp - y.timestamp)) ins.run(b.ticker, b.timestamp, b.open, b.high, b.low, b.close, b.volume);
    db.close();
    withStore(file, (store) => {
      expect(store.tickerIndexed).to.equal(false);
      const steps: (string | null)[] = [];
      const sliced = inSlices(store, CONTEXTS[0], () => 1, (through) => steps.push(through));
      expect(steps).to.deep.equal([[...RUN.tickers].sort().at(-1)]);
      expect(sliced).to.deep.equal(measureMarket(store, RUN, CONTEXTS[0]));
    });
  });

  it('stepwise: gives the event loop back between slices and measures one snapshot, even when another process commits meanwhile', async () => {
    // Enough tickers for several slices (a slice takes at least 8).
    const many = Array.from({ length: 60 }, (_, i) => `S${String(i).padStart(2, '0')}`);
    const run = { tickers: many, from: DATES[0], to: DATES[1], timeframe: '5min' };
    const file = writeStore(path.join(tmp(), 'stepwise.db'), many.flatMap((t) => DATES.slice(0, 2).flatMap((d) => makeDay(t, d, { slots: 12 }))));
    const wal = new Database(file);
    wal.pragma('journal_mode = WAL'); // the commit below does not wait for the measurement's read to end
    wal.close();
    const context = CONTEXTS[0];
    const before = withStore(file, (store) => measureMarket(store, run, context));
    const writer = new Database(file);
    let slices = 0;
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    try {
      const measured = await measureMarketStepwise(file, run, context, (partial) => {
        // A commit to a ticker the measurement has not reached yet, once it has begun.
        if (slices++ === 0) {
          expect(partial.through! < 'S59').to.equal(true);
          writer.prepare("UPDATE ohlcv_data SET close = close + 1 WHERE ticker = 'S59'").run();
        }
      });
      expect(slices).to.be.greaterThan(1);
      expect(turns, 'timers ran while it measured').to.be.greaterThan(0);
      expect(measured).to.deep.equal(before);
    } finally {
      clearInterval(ticking);
      writer.close();
    }
    const after = withStore(file, (store) => measureMarket(store, run, context));
    expect(after.fingerprint.sha256).to.not.equal(before.fingerprint.sha256);
    expect(after.fingerprint.tickers.S59).to.not.deep.equal(before.fingerprint.tickers.S59);
  });
});
