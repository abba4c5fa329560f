/**
 * Fault catalogue, the benchmark: a benchmark ticker the store does not have, one with sessions missing, one
 * with a bar the import would refuse, and a benchmark flag without a ticker. Through the real CLI; the run's
 * own results are never lost to the comparison line. docs/reliability.md lists every case.
 */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { makeDay, writeStore } from '../helpers/bars.js';
import { fixture, expectClean, useFaultStore } from './harness.js';

const DATES = ['2025-10-29', '2025-10-30', '2025-10-31', '2025-11-03'];
const EVERY_BAR = fixture('every-bar.sql');

describe('faults: the benchmark', function () {
  // AAA on every date; SPY without 2025-10-30 and without the regular session of 2025-10-31 (pre-market only).
  const store = useFaultStore(() => DATES.flatMap((d) => [
    ...makeDay('AAA', d, { slots: 24 }),
    ...(d === '2025-10-30' ? [] : makeDay('SPY', d, d === '2025-10-31' ? { start: '08:00', slots: 12 } : { slots: 24 })),
  ]));
  const run = (args: string[]) => store.backtest(['--scanner', EVERY_BAR, '--tickers', 'AAA', '--trade', ...args]);

  it('a ticker the store does not have is a note naming it and the database, not an error; the run keeps everything', async () => {
    const r = await run(['--benchmark', 'spyy']);
    expect(r.code, r.stderr).to.equal(0);
    expectClean(r);
    expect(r.json.stats.benchmark).to.include({ ticker: 'SPYY', return_pct: null, note: 'benchmark SPYY is not in m.db; pass --benchmark TICKER or none' });
    expect(r.json.stats.trades).to.equal(DATES.length);
    expect(r.kept!.run.status).to.equal('completed');
    expect(JSON.parse(r.stdout.trim()).stats.benchmark.note).to.contain('SPYY is not in m.db');
  });

  it('sessions where the benchmark has no bars (none, or none in the regular session) are named and count as 0 return', async () => {
    const r = await run([]);
    expect(r.code, r.stderr).to.equal(0);
    expectClean(r);
    const b = r.json.stats.benchmark;
    // 2025-10-31's pre-market bars are used as its bars: the session has some, just not regular ones.
    expect(b).to.include({ ticker: 'SPY', sessions: 4, missing_sessions: 1 });
    expect(b.note).to.equal('benchmark SPY has no bars on 1 of 4 session(s) (first 2025-10-30); its price is carried over them (0 return)');
    expect(b.return_pct).to.be.a('number');
  });

  it('a benchmark bar the import would refuse is left out and named, never computed on', async () => {
    const db = store.file('bad-close.db');
    writeStore(db, DATES.flatMap((d) => [...makeDay('AAA', d, { slots: 24 }), ...makeDay('SPY', d, { slots: 24 })]));
    const w = new Database(db);
    // The last bar of the first day: without the check its 0 close would make the day −100%.
    w.prepare("UPDATE ohlcv_data SET close = 0 WHERE ticker = 'SPY' AND timestamp = (SELECT MAX(timestamp) FROM ohlcv_data WHERE ticker = 'SPY' AND timestamp < ?)")
      .run(Date.parse('2025-10-30T00:00:00Z'));
    w.close();
    const r = await store.backtest(['--scanner', EVERY_BAR, '--tickers', 'AAA', '--trade'], { db });
    expect(r.code, r.stderr).to.equal(0);
    const b = r.json.stats.benchmark;
    expect(b.note).to.match(/^benchmark SPY: 1 bar\(s\) left out as the import would refuse them \(first: 2025-10-29 bar at 11:25:00 has a price that is not positive\)$/);
    expect(b.max_drawdown_pct).to.be.below(50);
  });

  it('--benchmark without a ticker is a usage error naming the flag', async () => {
    const r = await run(['--benchmark', '']);
    expect(r.code).to.equal(2);
    expectClean(r);
    expect(r.stderr).to.contain('--benchmark must be a non-empty string');
  });
});
