/**
 * Walk-forward selection: a hand-worked sweep of three combinations (one planted to be best only where it is
 * traded out of sample), the stitched out-of-sample equity and the in-sample/out-of-sample gap by hand, the
 * objective on a window equal to what a run over just those days reports, and no information from a test
 * window or later reaching the choice made for it (checked on many random sweeps).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { computeStats } from '../../../src/stats/compute-stats.js';
import { chooseWalkForward } from '../../../src/sweep/choose-walk-forward.js';
import { computeReturnMatrix, type SweepMatrix } from '../../../src/sweep/sweep-matrix.js';
import { computeWalkForwardWindows } from '../../../src/sweep/walk-forward-windows.js';
import type { Trade } from '../../../src/types.js';

const DAYS = ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07', '2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13', '2025-03-14'];

function makeTrade(date: string, pnl: number, ticker = 'AAA'): Trade {
  const ts = Date.parse(`${date}T15:00:00Z`);
  return {
    ticker, date, direction: 'LONG', signal_time: '10:00:00', signal_ts: ts, seq: 0, entry_time: '10:05:00', entry_ts: ts + 300_000, entry_price: 50,
    exit_time: '11:00:00', exit_ts: ts + 3_600_000, exit_price: 50 + pnl / 100, exit_reason: 'eod', bars_held: 11, shares: 100, commission: 0,
    slippage: 0, pnl, return_pct: pnl / 50, r_multiple: null, mae_pct: 0, mfe_pct: 0,
  };
}

/** One trade a day with the given P&L (0: no trade that day). */
const byDay = (pnls: number[]) => pnls.flatMap((p, i) => (p === 0 ? [] : [makeTrade(DAYS[i], p)]));

describe('sweep: walk-forward selection', () => {
  // Rolling, train 4, test 3: window 0 trains on days 0–3 and tests 4–6; window 1 trains on 3–6 and tests 7–9.
  const windows = computeWalkForwardWindows(DAYS, { train: 4, test: 3, anchored: false });
  const matrix: SweepMatrix = {
    days: DAYS, capital: 10_000, trades: [
      byDay([10, 10, 10, 10, 10, 10, 10, 10, 10, 10]), // steady
      byDay([20, 20, 20, 20, -30, -30, -30, -30, -30, -30]), // best early, then loses
      byDay([-5, -5, -5, -5, -5, -5, -5, 100, 100, 100]), // planted: wins only in the last test window
      byDay([10, 10, 10, 10, 10, 10, 10, 10, 10, 10]), // the same as combination 0
    ],
  };

  it('chooses on train days only: the planted combination that is best only in test is never chosen', () => {
    const r = chooseWalkForward(matrix, windows, { objective: 'total_pnl' });
    // Window 0, train days 0–3: 40, 80, −20, 40 → combination 1; its test days 4–6: −90.
    // Window 1, train days 3–6: 40, 20 − 90 = −70, −20, 40 → combination 0 (tied with 3: the lowest index); test days 7–9: 30.
    expect(r.steps.map((s) => [s.chosen, s.train, s.test, s.trainTrades, s.testTrades])).to.deep.equal([[1, 80, -90, 4, 3], [0, 40, 30, 4, 3]]);
    expect(r.steps.map((s) => s.window)).to.deep.equal(windows);
    expect(r.steps.some((s) => s.chosen === 2)).to.equal(false);
    // Combination 2 is by far the best over the test windows (−15 + 300), which the choice never saw.
    expect(r.outOfSample.trades.map((t) => [t.date, t.pnl])).to.deep.equal([
      ['2025-03-07', -30], ['2025-03-10', -30], ['2025-03-11', -30], ['2025-03-12', 10], ['2025-03-13', 10], ['2025-03-14', 10],
    ]);
    expect(r.outOfSample.objective).to.equal(-60);
    // Equity compounds from the capital over the test days: 9970, 9940, 9910, then +10 a day.
    expect(r.outOfSample.equity).to.deep.equal(DAYS.slice(4).map((date, i) => ({ date, equity: [9970, 9940, 9910, 9920, 9930, 9940][i] })));
    expect(r.outOfSample.daily.map((d) => d.ret)).to.deep.equal([-30 / 10_000, -30 / 9970, -30 / 9940, 10 / 9910, 10 / 9920, 10 / 9930]);
    // In sample (80 + 40) / 2 = 60, out of sample (−90 + 30) / 2 = −30.
    expect(r.gap).to.deep.equal({ inSample: 60, outOfSample: -30, difference: 90, windows: 2 });
  });

  it('leaves out combinations with fewer train trades than asked; a window with none eligible trades nothing, flat', () => {
    const r = chooseWalkForward({ ...matrix, trades: [...matrix.trades, byDay([0, 50, 0, 0, 0, 0, 0, 0, 0, 0])] }, windows, { objective: 'total_pnl', minTrades: 2 });
    expect(r.steps.map((s) => s.chosen)).to.deep.equal([1, 0]); // the one-trade combination (50 on day 1) is not eligible
    const none = chooseWalkForward(matrix, windows, { objective: 'total_pnl', minTrades: 5 });
    expect(none.steps.map((s) => [s.chosen, s.train, s.test, s.testTrades])).to.deep.equal([[null, null, null, 0], [null, null, null, 0]]);
    expect(none.outOfSample.equity.map((e) => e.equity)).to.deep.equal([10_000, 10_000, 10_000, 10_000, 10_000, 10_000]);
    expect(none.gap).to.deep.equal({ inSample: null, outOfSample: null, difference: null, windows: 0 });
  });

  it('scores a window as a run over just its days would report it (Sharpe, profit factor, expectancy)', () => {
    const trades = [...byDay([10, -20, 35, 0, 5, -5, 15, 0, 0, 0]), makeTrade('2025-03-05', -12, 'BBB')];
    const m: SweepMatrix = { days: DAYS, capital: 10_000, trades: [trades, byDay([-5, 3, -8, 1, 100, 1, 1, 1, 1, 1])] };
    for (const objective of ['sharpe', 'profit_factor', 'expectancy', 'total_return_pct'] as const) {
      const step = chooseWalkForward(m, windows, { objective }).steps[0];
      const trainDays = DAYS.slice(0, 4);
      const alone = computeStats({
        trades: trades.filter((t) => trainDays.includes(t.date)), signals: 4, untraded: {}, capital: 10_000,
        sessions: new Map(trainDays.map((d) => [d, [Date.parse(`${d}T14:30:00Z`), Date.parse(`${d}T21:00:00Z`)] as const])),
      });
      expect(step.chosen, objective).to.equal(0);
      expect(step.train, objective).to.equal(alone[objective]);
    }
  });

  it('never lets a test window or anything later change the choice made for it', () => {
    const pnl = fc.integer({ min: -50, max: 50 });
    fc.assert(fc.property(
      fc.array(fc.array(pnl, { minLength: 10, maxLength: 10 }), { minLength: 2, maxLength: 5 }),
      fc.array(fc.array(pnl, { minLength: 10, maxLength: 10 }), { minLength: 5, maxLength: 5 }),
      fc.constantFrom('sharpe', 'profit_factor', 'expectancy', 'total_pnl'), fc.boolean(),
      (grid, other, objective, anchored) => {
        const ws = computeWalkForwardWindows(DAYS, { train: 3, test: 2, anchored });
        const base = chooseWalkForward({ days: DAYS, capital: 10_000, trades: grid.map(byDay) }, ws, { objective });
        for (const w of ws) {
          // Every day from the test window on replaced by other numbers, for every combination.
          const cut = DAYS.indexOf(w.test[0]);
          const changed = grid.map((row, c) => [...row.slice(0, cut), ...other[c].slice(cut)]);
          const again = chooseWalkForward({ days: DAYS, capital: 10_000, trades: changed.map(byDay) }, ws, { objective });
          expect(again.steps[w.index].chosen).to.equal(base.steps[w.index].chosen);
          expect(again.steps[w.index].train).to.equal(base.steps[w.index].train);
        }
      }), { numRuns: 200 });
  });

  it('refuses an unknown objective, a trade off the sweep\'s days, and windows from other days', () => {
    expect(() => chooseWalkForward(matrix, windows, { objective: 'profit' })).to.throw(/unknown objective "profit"/).with.property('hint').that.matches(/profit_factor, sharpe/);
    const off = { ...matrix, trades: [[makeTrade('2025-03-08', 5, 'ZZZ')]] };
    expect(() => chooseWalkForward(off, windows, { objective: 'sharpe' })).to.throw(/combination 0 has a trade on 2025-03-08 \(ZZZ\), not one of the sweep's 10 trading days/);
    const shifted = computeWalkForwardWindows(['2025-03-01', ...DAYS], { train: 4, test: 3, anchored: false });
    expect(() => chooseWalkForward(matrix, shifted, { objective: 'sharpe' })).to.throw(/window 0 .* was not computed from the sweep's trading days/);
  });

  it('gives PBO and the deflated Sharpe ratio the daily returns a run takes, days without trades as 0', () => {
    const r = computeReturnMatrix({ days: DAYS.slice(0, 3), capital: 1000, trades: [byDay([10, 0, -22]), []] });
    expect(r).to.deep.equal([[0.01, 0, -22 / 1010], [0, 0, 0]]);
  });
});
