/**
 * The warmup-trap notice of a run that kept its days (with trade rules, and every sweep) takes each ticker-day's
 * first step from what its worker replayed (DayOutcome.firstStep) instead of reading the market again. On real
 * thin data with many missing bars the first step's bar is at a different time on different days; the notice
 * must name what a read of the market names, which a run without trade rules (nothing kept) still does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { runBacktest, runSweep } from '../../src/index.js';
import { readCsvBars, writeStore } from '../helpers/bars.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

const EVERY_BAR = path.join(ROOT, 'test/fixtures/scanners/every-bar.sql');

describe('notices: the warmup trap from the first steps the workers found', () => {
  const tmp = useTempDir();

  it('names what a read of the market names, for a backtest with trade rules and for each combination of a sweep', async () => {
    const db = writeStore(path.join(tmp(), 'dbb.db'), readCsvBars(fs.readFileSync(path.join(ROOT, 'test/fixtures/thin-dbb.csv'), 'utf8')));
    // every-bar signals at each day's first step: the trap fires on every day that has one.
    const base = { db, scanner: EVERY_BAR, threads: 2, resultsDb: ':memory:', warmup: 6 };
    const read = await runBacktest(base);
    const trap = read.notices?.find((n) => n.code === 'WARMUP_TRAP');
    expect(trap?.message).to.match(/^(\d+) of \1 signals \(100%\) fired at the first step of their day \(bar 6, /);
    // The first steps' times differ from day to day (bars are missing), so a wrong bar would not match them.
    expect(new Set(read.signals.map((s) => s.signal_time)).size).to.be.greaterThan(1);

    const traded = await runBacktest({ ...base, trade: {} });
    expect(traded.notices).to.deep.equal(read.notices);
    const sweep = await runSweep({ ...base, grid: { 'trade.stopPct': [1, 2] } });
    for (const c of sweep.combinations) expect(c.result.notices).to.deep.equal(read.notices);
  });
});
