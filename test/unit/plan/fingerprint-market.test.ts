/**
 * The market fingerprint: counts and bounds per ticker equal a direct count over the bars in range, any
 * changed bar in range changes it, and bars the run does not read do not.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { openMarketStore } from '../../../src/data/market-store.js';
import { fingerprintMarket } from '../../../src/plan/fingerprint-market.js';
import { makeDay, nyTime, writeStore } from '../../helpers/bars.js';
import { useTempDir } from '../../helpers/temp.js';

const DATES = ['2025-11-03', '2025-11-04', '2025-11-05'];
const NONE: { references: string[]; lookbackDays: number; dailyBars: number } = { references: [], lookbackDays: 0, dailyBars: 0 };

describe('plan: market-data fingerprint', function () {
  const tmp = useTempDir();
  const bars = ['AAA', 'BBB', 'CCC'].flatMap((t) => DATES.flatMap((d) => makeDay(t, d, { slots: 10 })));
  const fingerprint = (file: string, run = { tickers: ['AAA', 'BBB'], from: '2025-11-04', to: '2025-11-05', timeframe: '5min' }, context = NONE) => {
    const store = openMarketStore(file);
    try {
      return fingerprintMarket(store, run, context);
    } finally {
      store.close();
    }
  };
  const edit = (file: string, sql: string, ...params: unknown[]) => {
    const db = new Database(file);
    db.prepare(sql).run(...params);
    db.close();
  };

  it('counts each ticker\'s bars in range, with their first and last times, as the bars themselves say', () => {
    const file = writeStore(path.join(tmp(), 'count.db'), bars);
    const f = fingerprint(file);
    const from = nyTime('2025-11-04', '00:00');
    const to = nyTime('2025-11-06', '00:00');
    for (const t of ['AAA', 'BBB']) {
      const mine = bars.filter((b) => b.ticker === t && b.timestamp >= from && b.timestamp < to).map((b) => b.timestamp);
      expect(f.tickers[t].slice(0, 3)).to.deep.equal([mine.length, Math.min(...mine), Math.max(...mine)]);
    }
    expect(Object.keys(f.tickers)).to.deep.equal(['AAA', 'BBB']);
  });

  it('changes when one price, one volume or one time in range changes; not for bars out of range or of other tickers', () => {
    const cases: [string, string, unknown[], boolean][] = [
      ['close', 'UPDATE ohlcv_data SET close = close + 0.01 WHERE ticker = ? AND timestamp = ?', ['AAA', nyTime('2025-11-05', '10:00')], true],
      ['volume', 'UPDATE ohlcv_data SET volume = volume + 1 WHERE ticker = ? AND timestamp = ?', ['BBB', nyTime('2025-11-04', '09:30')], true],
      ['time', 'UPDATE ohlcv_data SET timestamp = timestamp + 60000 WHERE ticker = ? AND timestamp = ?', ['BBB', nyTime('2025-11-04', '10:00')], true],
      ['out of range', 'UPDATE ohlcv_data SET close = close + 1 WHERE ticker = ? AND timestamp = ?', ['AAA', nyTime('2025-11-03', '10:00')], false],
      ['other ticker', 'UPDATE ohlcv_data SET close = close + 1 WHERE ticker = ? AND timestamp = ?', ['CCC', nyTime('2025-11-04', '10:00')], false],
    ];
    for (const [name, sql, params, changes] of cases) {
      const file = writeStore(path.join(tmp(), `${name.replace(/ /g, '-')}.db`), bars);
      const before = fingerprint(file);
      edit(file, sql, ...params);
      expect(fingerprint(file).sha256 !== before.sha256, name).to.equal(changes);
    }
  });

  it('changes when two bars of a ticker swap their closes (same sums, other times)', () => {
    const i = bars.findIndex((b) => b.ticker === 'AAA' && b.timestamp === nyTime('2025-11-04', '09:30'));
    const swapped = bars.map((b) => ({ ...b }));
    [swapped[i].close, swapped[i + 1].close] = [swapped[i + 1].close, swapped[i].close];
    expect(swapped[i].close).to.not.equal(bars[i].close);
    const a = fingerprint(writeStore(path.join(tmp(), 'plain.db'), bars));
    const b = fingerprint(writeStore(path.join(tmp(), 'swapped.db'), swapped));
    expect(b.tickers.AAA.slice(0, 3)).to.deep.equal(a.tickers.AAA.slice(0, 3));
    expect(b.tickers.AAA[3]).to.not.equal(a.tickers.AAA[3]);
  });

  it('covers reference tickers, and bars before the range when the run looks back at previous days', () => {
    const file = writeStore(path.join(tmp(), 'context.db'), bars);
    const run = { tickers: ['AAA'], from: '2025-11-05', to: '2025-11-05', timeframe: '5min' };
    const withRef = fingerprint(file, run, { ...NONE, references: ['CCC'] });
    expect(Object.keys(withRef.tickers)).to.deep.equal(['AAA', 'CCC']);
    const back = fingerprint(file, run, { ...NONE, lookbackDays: 1 });
    expect(back.tickers.AAA[0]).to.equal(30);
  });
});
