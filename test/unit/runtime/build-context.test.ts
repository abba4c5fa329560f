import path from 'node:path';
import { expect } from 'chai';
import { openMarketStore, type MarketStore } from '../../../src/data/market-store.js';
import { buildDays } from '../../../src/runtime/build-days.js';
import { createContextReader, dailyBarDate, readPriorDays } from '../../../src/runtime/build-context.js';
import { makeDay, nyTime, writeStore } from '../../helpers/bars.js';
import { useTempDir } from '../../helpers/temp.js';

const task = (ticker: string, fromDate: string, toDate: string) => ({ key: `${ticker}|${fromDate}|${toDate}`, ticker, fromDate, toDate });

describe('building a ticker-day\'s context', () => {
  const tmp = useTempDir();
  let store: MarketStore;
  before(() => {
    const bars = [
      ...makeDay('SPY', '2025-11-03'), ...makeDay('SPY', '2025-11-04'),
      ...makeDay('AAA', '2025-10-14'), ...makeDay('AAA', '2025-10-15', { slots: 10 }), ...makeDay('AAA', '2025-11-03'), ...makeDay('AAA', '2025-11-04'),
      ...makeDay('BBB', '2025-11-03'),
    ];
    store = openMarketStore(writeStore(path.join(tmp(), 'm.db'), bars));
  });
  after(() => store.close());

  it('reads a reference once per worker and task window, shared by every ticker of that window', () => {
    const reads: string[] = [];
    const counting: MarketStore = { ...store, readBars: (t, tf, a, b) => (reads.push(t), store.readBars(t, tf, a, b)) };
    const reader = createContextReader(counting, { request: { references: ['SPY'], lookbackDays: 0, dailyBars: 0 }, timeframe: '5min', session: 'regular' });
    for (const t of ['AAA', 'BBB', 'SPY']) {
      const days = buildDays(t, store.readBars(t, '5min', nyTime('2025-11-03', '00:00'), nyTime('2025-11-05', '00:00')), 'regular');
      const ctx = reader.forTask(task(t, '2025-11-03', '2025-11-04'), days)(0);
      // A ticker that is itself a reference is not given its own bars twice.
      expect(ctx.refs.map((r) => [r.ticker, r.bars.length])).to.deep.equal(t === 'SPY' ? [] : [['SPY', 78]]);
      expect(ctx.references).to.deep.equal(['SPY']);
    }
    reader.forTask(task('AAA', '2025-11-04', '2025-11-04'), []);
    expect(reads).to.deep.equal(['SPY', 'SPY']);
  });

  it('gives a reference its own previous trading days, whole, as of each day of the window', () => {
    const reader = createContextReader(store, { request: { references: ['AAA'], lookbackDays: 2, dailyBars: 0 }, timeframe: '5min', session: 'regular' });
    const days = buildDays('SPY', store.readBars('SPY', '5min', nyTime('2025-11-03', '00:00'), nyTime('2025-11-05', '00:00')), 'regular');
    const at = reader.forTask(task('SPY', '2025-11-03', '2025-11-04'), days);
    const datesOf = (bars: readonly { timestamp: number }[]) => [...new Set(bars.map((b) => new Date(b.timestamp).toISOString().slice(0, 10)))];
    // AAA's last two trading days before 11-03 are 10-14 and 10-15 (10 bars); before 11-04, 10-15 and 11-03.
    expect(at(0).refs.map((r) => [r.ticker, datesOf(r.history), r.history.length])).to.deep.equal([['AAA', ['2025-10-14', '2025-10-15'], 88]]);
    expect(at(1).refs.map((r) => [r.ticker, datesOf(r.history), r.history.length])).to.deep.equal([['AAA', ['2025-10-15', '2025-11-03'], 88]]);
    expect(at(1).history).to.have.length(78); // SPY's own: 11-03
    expect(Object.isFrozen(at(1).refs[0].history)).to.equal(true);
  });

  it('finds the previous trading days however far back they are, whole', () => {
    const days = readPriorDays(store, 'AAA', '2025-11-03', 2, { timeframe: '5min', session: 'regular' });
    expect(days.map((d) => [d.date, d.bars.length])).to.deep.equal([['2025-10-14', 78], ['2025-10-15', 10]]);
    expect(readPriorDays(store, 'AAA', '2025-10-14', 3, { timeframe: '5min', session: 'regular' })).to.deep.equal([]);
    expect(readPriorDays(store, 'AAA', '2025-11-04', 1, { timeframe: '5min', session: 'regular' }).map((d) => d.date)).to.deep.equal(['2025-11-03']);
  });

  it('dates a daily bar by New York time, or by its UTC date when stamped at UTC midnight', () => {
    expect(dailyBarDate(Date.parse('2025-11-03T00:00:00Z'))).to.equal('2025-11-03'); // 19:00 on 11-02 in New York
    expect(dailyBarDate(nyTime('2025-11-03', '00:00'))).to.equal('2025-11-03');
    expect(dailyBarDate(nyTime('2025-11-03', '09:30'))).to.equal('2025-11-03');
    expect(dailyBarDate(nyTime('2025-11-03', '16:00'))).to.equal('2025-11-03');
  });
});
