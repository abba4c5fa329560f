import { expect } from 'chai';
import Database from 'better-sqlite3';
import { DayDb } from '../../../src/day-db/day-db.js';
import { createDayTables } from '../../../src/day-db/day-fill.js';
import type { Bar } from '../../../src/types.js';

const bars: Bar[] = [0, 1, 2, 3].map((i) => ({ ticker: 'X', timestamp: 1000 + i, time_of_day: `10:0${i}:00`, open: 1, high: 2, low: 1, close: 1 + i, volume: 10 }));

describe('day database', () => {
  it('shows a statement exactly the bars up to the visible one, however the steps are queried', () => {
    const db = new DayDb();
    db.beginDay(bars, '5min');
    const count = db.readOnly.prepare('SELECT COUNT(*) AS n, MAX(timestamp) AS last FROM ohlcv_data');
    db.visible = 0;
    expect(count.get()).to.deep.equal({ n: 1, last: 1000 });
    db.visible = 3; // skipped steps are caught up
    expect(count.get()).to.deep.equal({ n: 4, last: 1003 });
    db.beginDay(bars.slice(0, 2), '5min');
    db.visible = 1;
    expect(count.get()).to.deep.equal({ n: 2, last: 1001 });
    db.close();
  });

  it('holds the past whole from the first step and a reference only up to the current bar, and forgets both next day', () => {
    const db = new DayDb();
    const spy: Bar[] = [999, 1001, 1002, 1004].map((ts) => ({ ...bars[0], ticker: 'SPY', timestamp: ts }));
    const history: Bar[] = [1, 2].map((ts) => ({ ...bars[0], timestamp: ts }));
    const daily = [{ ticker: 'X', date: '2025-11-03', timestamp: 5, open: 1, high: 1, low: 1, close: 1, volume: 1 }];
    db.beginDay(bars, '5min', { references: ['SPY'], refs: [{ ticker: 'SPY', bars: spy, history: [], daily: [] }], history, daily });
    const per = db.readOnly.prepare("SELECT ticker, COUNT(*) AS n, MAX(timestamp) AS last FROM ohlcv_data WHERE timeframe = '5min' GROUP BY ticker ORDER BY ticker");
    const dailyCount = db.readOnly.prepare('SELECT COUNT(*) AS n FROM daily_bars').pluck();
    const dailyRows = db.readOnly.prepare("SELECT ticker, timestamp, time_of_day, close FROM ohlcv_data WHERE timeframe = '1day'");
    db.visible = 0; // bar at 1000: SPY's 999 only
    expect(per.all()).to.deep.equal([{ ticker: 'SPY', n: 1, last: 999 }, { ticker: 'X', n: 3, last: 1000 }]);
    expect(dailyCount.get()).to.equal(1);
    // The daily bar is an ohlcv_data row too, stamped at New York midnight of its date (05:00 UTC in November).
    expect(dailyRows.all()).to.deep.equal([{ ticker: 'X', timestamp: Date.parse('2025-11-03T05:00:00Z'), time_of_day: '00:00:00', close: 1 }]);
    db.visible = 2; // bar at 1002: SPY up to 1002, not 1004
    expect(per.all()).to.deep.equal([{ ticker: 'SPY', n: 3, last: 1002 }, { ticker: 'X', n: 5, last: 1002 }]);
    db.beginDay(bars, '5min');
    db.visible = 0;
    expect(per.all()).to.deep.equal([{ ticker: 'X', n: 1, last: 1000 }]);
    expect(dailyCount.get()).to.equal(0);
    expect(dailyRows.all()).to.deep.equal([]);
    db.close();
  });

  it("keeps the market schema's unique key, which a script allowed to write may upsert on (file day databases)", () => {
    const db = new Database(':memory:');
    createDayTables(db);
    const upsert = db.prepare(`INSERT INTO ohlcv_data (ticker, timestamp, open, high, low, close, volume, timeframe, time_of_day)
      VALUES ('X', 1000, 1, 2, 1, ?, 10, '5min', '10:00:00') ON CONFLICT (ticker, timestamp, timeframe) DO UPDATE SET close = excluded.close`);
    upsert.run(1);
    upsert.run(5);
    expect(db.prepare('SELECT COUNT(*) AS n, MAX(close) AS close FROM ohlcv_data').get()).to.deep.equal({ n: 1, close: 5 });
    db.close();
  });

  it('refuses statements that write', () => {
    const db = new DayDb();
    expect(() => db.readOnly.prepare('DELETE FROM ohlcv_data')).to.throw(/tried to write/);
    expect(() => db.readOnly.prepare("INSERT INTO ohlcv_data (ticker, timestamp, open, high, low, close, volume) VALUES ('Y', 1, 1, 1, 1, 1, 1)")).to.throw(/tried to write/);
    db.close();
  });
});
