import { expect } from 'chai';
import { DayDb } from '../../../src/day-db/day-db.js';
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

  it('refuses statements that write', () => {
    const db = new DayDb();
    expect(() => db.readOnly.prepare('DELETE FROM ohlcv_data')).to.throw(/tried to write/);
    expect(() => db.readOnly.prepare("INSERT INTO ohlcv_data (ticker, timestamp, open, high, low, close, volume) VALUES ('Y', 1, 1, 1, 1, 1, 1)")).to.throw(/tried to write/);
    db.close();
  });
});
