import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { openMarketStore } from '../../../src/data/market-store.js';
import { resolveUniverse } from '../../../src/engine/resolve-universe.js';
import { makeDay, writeStore } from '../../helpers/bars.js';
import { useTempDir } from '../../helpers/temp.js';

describe('the universe a run covers', () => {
  const tmp = useTempDir();

  // AAA trades Nov 4-5, BBB Nov 3 and Nov 6, CCC only Nov 5: the database spans Nov 3 to Nov 6.
  const bars = [
    ...['2025-11-04', '2025-11-05'].map((d) => makeDay('AAA', d, { slots: 4 })),
    ...['2025-11-03', '2025-11-06'].map((d) => makeDay('BBB', d, { slots: 4 })),
    makeDay('CCC', '2025-11-05', { slots: 4 }),
  ].flat();
  const open = (extra?: (db: Database.Database) => void) => {
    const file = writeStore(path.join(tmp(), `m${Math.random()}.db`), bars);
    if (extra) {
      const db = new Database(file);
      extra(db);
      db.close();
    }
    return openMarketStore(file);
  };
  const resolve = (store: ReturnType<typeof open>, o: { tickers?: string[]; from?: string; to?: string }) =>
    resolveUniverse(store, { tickers: o.tickers ?? null, from: o.from ?? null, to: o.to ?? null, timeframe: '5min' });

  it('without dates, spans the first to the last day of any ticker in the database', () => {
    const s = open();
    try {
      expect(resolve(s, {})).to.deep.equal({ tickers: ['AAA', 'BBB', 'CCC'], withoutBars: [], from: '2025-11-03', to: '2025-11-06' });
    } finally {
      s.close();
    }
  });

  it('with some tickers, still spans the database (not their own days), and names those without bars in the range', () => {
    const s = open();
    try {
      expect(resolve(s, { tickers: ['AAA', 'CCC'] })).to.deep.equal({ tickers: ['AAA', 'CCC'], withoutBars: [], from: '2025-11-03', to: '2025-11-06' });
      expect(resolve(s, { to: '2025-11-04' })).to.deep.equal({ tickers: ['AAA', 'BBB'], withoutBars: ['CCC'], from: '2025-11-03', to: '2025-11-04' });
    } finally {
      s.close();
    }
  });

  it('takes the bounds of the timeframe asked for only: bars of another timeframe do not widen them', () => {
    const s = open((db) => db.prepare("INSERT INTO ohlcv_data VALUES ('AAA', ?, 1, 1, 1, 1, 1, '1day', NULL)").run(Date.UTC(2025, 9, 1, 4)));
    try {
      expect(resolve(s, {})).to.include({ from: '2025-11-03', to: '2025-11-06' });
    } finally {
      s.close();
    }
  });
});
