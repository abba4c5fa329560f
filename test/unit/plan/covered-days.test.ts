/**
 * The ticker-days a run covers (measured with the fingerprint, for the progress bar's total and the per-step
 * estimate) equal a brute-force count of distinct New York dates of the run's bars, dated here with Intl
 * (not with src/data/exchange-time.ts): across the DST change, with pre-market and late after-hours bars,
 * tickers missing days, reference tickers (not the run's) and a lookback (bars before the range).
 */
import path from 'node:path';
import { expect } from 'chai';
import { openMarketStore } from '../../../src/data/market-store.js';
import { measureMarket } from '../../../src/plan/fingerprint-market.js';
import { makeDay, writeStore, type TestBar } from '../../helpers/bars.js';
import { useTempDir } from '../../helpers/temp.js';

const NEW_YORK_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });

describe('plan: ticker-days a run covers', function () {
  const tmp = useTempDir();
  // 2025-11-02 ends DST: the dates before are UTC-4, those after UTC-5.
  const DATES = ['2025-10-29', '2025-10-30', '2025-10-31', '2025-11-03', '2025-11-04', '2025-11-05'];
  const bars: TestBar[] = [
    ...DATES.flatMap((d) => makeDay('AAA', d, { start: '04:00', slots: 192 })), // 04:00-19:55, the whole extended day
    ...DATES.filter((_, i) => i % 2 === 0).flatMap((d) => makeDay('BBB', d, { slots: 12 })),
    ...DATES.slice(3).flatMap((d) => makeDay('CCC', d, { start: '19:00', slots: 12 })), // after hours only
    ...DATES.flatMap((d) => makeDay('SPY', d, { slots: 78 })),
  ];
  const measure = (run: { tickers: string[]; from: string; to: string }, lookbackDays = 0) => {
    const store = openMarketStore(path.join(tmp(), 'm.db'));
    try {
      return measureMarket(store, { ...run, timeframe: '5min' }, { references: ['SPY'], lookbackDays, dailyBars: 0 }).covered;
    } finally {
      store.close();
    }
  };
  const bruteForce = (run: { tickers: string[]; from: string; to: string }) => {
    const mine = bars.filter((b) => run.tickers.includes(b.ticker)).map((b) => ({ b, date: NEW_YORK_DATE.format(new Date(b.timestamp)) }))
      .filter(({ date }) => date >= run.from && date <= run.to);
    return { tickerDays: new Set(mine.map(({ b, date }) => `${b.ticker} ${date}`)).size, bars: mine.length };
  };
  before(() => writeStore(path.join(tmp(), 'm.db'), bars));

  for (const run of [
    { tickers: ['AAA', 'BBB', 'CCC'], from: '2025-10-29', to: '2025-11-05' },
    { tickers: ['AAA', 'BBB', 'CCC'], from: '2025-10-31', to: '2025-11-03' },
    { tickers: ['BBB'], from: '2025-10-30', to: '2025-11-04' },
    { tickers: ['CCC'], from: '2025-11-04', to: '2025-11-05' },
  ]) {
    it(`counts ${run.tickers.join(',')} ${run.from}..${run.to} as distinct New York dates of its bars`, () => {
      expect(measure(run)).to.deep.equal(bruteForce(run));
    });
  }

  it('leaves out the days before the range a lookback reads, and the reference tickers', () => {
    const run = { tickers: ['AAA', 'BBB'], from: '2025-11-03', to: '2025-11-05' };
    expect(measure(run, 2)).to.deep.equal(bruteForce(run));
    expect(measure(run, 2)).to.deep.equal(measure(run, 0));
  });
});
