/**
 * Each statistic on one small set of trades worked out by hand (the arithmetic is in the comments; Sharpe
 * and Sortino were evaluated with a calculator from the daily returns written out below).
 */
import { expect } from 'chai';
import { computeAverageWinLoss } from '../../../src/stats/average-win-loss.js';
import { computeBreakdown, signalHour } from '../../../src/stats/breakdown.js';
import { computeDailyReturns } from '../../../src/stats/daily-returns.js';
import { buildEquityCurve } from '../../../src/stats/equity-curve.js';
import { computeExpectancy } from '../../../src/stats/expectancy.js';
import { computeExposure } from '../../../src/stats/exposure.js';
import { computeLongestLosingStreak } from '../../../src/stats/losing-streak.js';
import { computeDrawdownSeries, computeMaxDrawdown } from '../../../src/stats/max-drawdown.js';
import { computeProfitFactor } from '../../../src/stats/profit-factor.js';
import { computeSharpe } from '../../../src/stats/sharpe.js';
import { computeSortino } from '../../../src/stats/sortino.js';
import { computeStats } from '../../../src/stats/compute-stats.js';
import { computeTotalReturn } from '../../../src/stats/total-return.js';
import { computeWinRate } from '../../../src/stats/win-rate.js';
import type { Trade } from '../../../src/types.js';

const MIN = 60_000;
const DAY = 86_400_000;
/** Midnight-relative day starts: d1..d4, d3 without trades. */
const D = [0, DAY, 2 * DAY, 3 * DAY];
const session = (d: number) => [D[d] + 570 * MIN, D[d] + 960 * MIN] as const; // 390 minutes each

function t(ticker: string, date: string, day: number, entryMin: number, exitMin: number, pnl: number, ret: number, r: number | null, time: string): Trade {
  const open = D[day] + 570 * MIN;
  return {
    ticker, date, direction: 'LONG', signal_time: time, signal_ts: open, seq: 0, entry_time: '', entry_ts: open + entryMin * MIN, entry_price: 100,
    exit_time: '', exit_ts: open + exitMin * MIN, exit_price: 100, exit_reason: 'eod', bars_held: 1, shares: 100, commission: 0, slippage: 0, pnl,
    return_pct: ret, r_multiple: r, mae_pct: 0, mfe_pct: 0,
  };
}

// In exit order: +100, −50, −30, +200, −20 (total +200).
const trades = [
  t('A', 'd1', 0, 0, 60, 100, 1, 1, '09:30:00'),
  t('B', 'd1', 0, 30, 90, -50, -0.5, -0.5, '10:00:00'),
  t('A', 'd2', 1, 0, 30, -30, -0.3, null, '10:15:00'),
  t('B', 'd4', 3, 0, 100, 200, 2, 2, '09:45:00'),
  t('A', 'd4', 3, 200, 210, -20, -0.2, -0.2, '12:50:00'),
];
const sessions = new Map([['d1', session(0)], ['d2', session(1)], ['d3', session(2)], ['d4', session(3)]]);
// Daily returns on 10 000: d1 +50 / 10 000; d2 −30 / 10 050; d3 0 / 10 020; d4 +180 / 10 020.
const daily = [0.005, -30 / 10_050, 0, 180 / 10_020];

describe('stats: one function per statistic', () => {
  it('win rate: winners over trades taken', () => {
    expect(computeWinRate(trades)).to.equal(40); // 2 of 5
    expect(computeWinRate([])).to.equal(null);
    expect(computeWinRate([{ pnl: 0 }, { pnl: 1 }])).to.equal(50); // a scratch trade is not a win, but counts
  });

  it('average win and loss', () => {
    const wl = computeAverageWinLoss(trades);
    expect(wl).to.include({ wins: 2, losses: 3, avg_win: 150, avg_win_pct: 1.5 }); // (100 + 200) / 2
    expect(wl.avg_loss).to.be.closeTo(-100 / 3, 1e-12); // (−50 − 30 − 20) / 3
    expect(wl.avg_loss_pct).to.be.closeTo(-1 / 3, 1e-12);
    expect(computeAverageWinLoss([{ pnl: 5, return_pct: 1 }]).avg_loss).to.equal(null);
  });

  it('profit factor: gross win over gross loss, null without losses', () => {
    expect(computeProfitFactor(trades)).to.equal(3); // 300 / 100
    expect(computeProfitFactor([{ pnl: 5 }])).to.equal(null);
  });

  it('expectancy in dollars, R and %', () => {
    const e = computeExpectancy(trades);
    expect(e.usd).to.equal(40); // 200 / 5
    expect(e.r).to.be.closeTo(0.575, 1e-12); // (1 − 0.5 + 2 − 0.2) / 4: the trade without a stop has no R
    expect(e.pct).to.be.closeTo(0.4, 1e-12); // (1 − 0.5 − 0.3 + 2 − 0.2) / 5
  });

  it('total return on the capital', () => {
    expect(computeTotalReturn(trades, 10_000)).to.deep.equal({ usd: 200, pct: 2 });
  });

  it('equity curve and maximum drawdown', () => {
    const curve = buildEquityCurve(trades, 10_000).map((p) => p.equity);
    expect(curve).to.deep.equal([10_000, 10_100, 10_050, 10_020, 10_220, 10_200]);
    const dd = computeMaxDrawdown(curve);
    expect(dd.usd).to.equal(80); // 10 100 → 10 020
    expect(dd.pct).to.be.closeTo((80 / 10_100) * 100, 1e-12); // 0.792 %
    expect(computeMaxDrawdown([1, 2, 3])).to.deep.equal({ pct: 0, usd: 0 });
    expect(computeDrawdownSeries([100, 50, 100])).to.deep.equal([0, -50, 0]);
  });

  it('orders the equity curve by exit, not by entry', () => {
    const late = { ...trades[0], exit_ts: trades[4].exit_ts + 1 };
    expect(buildEquityCurve([late, trades[1]], 1000).map((p) => p.equity)).to.deep.equal([1000, 950, 1050]);
  });

  it('daily returns: every trading date, compounding, days without trades at 0', () => {
    const d = computeDailyReturns(trades, [...sessions.keys()], 10_000);
    expect(d.map((x) => x.date)).to.deep.equal(['d1', 'd2', 'd3', 'd4']);
    expect(d.map((x) => x.pnl)).to.deep.equal([50, -30, 0, 180]);
    d.forEach((x, i) => expect(x.ret).to.be.closeTo(daily[i], 1e-15));
  });

  it('Sharpe of daily returns, annualised with √252 and the sample deviation', () => {
    // mean 0.00499475, sd 0.00925254 → 0.53982 × 15.8745
    expect(computeSharpe(daily)).to.be.closeTo(8.569451289609045, 1e-9);
    expect(computeSharpe([0.01])).to.equal(null);
    expect(computeSharpe([0.01, 0.01])).to.equal(null);
  });

  it('Sortino: downside deviation over all days', () => {
    // DD = √((30/10 050)² / 4) = 0.00149254 → 0.00499475 / 0.00149254 × √252
    expect(computeSortino(daily)).to.be.closeTo(53.123755404065925, 1e-9);
    expect(computeSortino([0.01, 0.02])).to.equal(null);
  });

  it('exposure: union of holding times over session time', () => {
    // d1: [0, 60] ∪ [30, 90] = 90 min; d2: 30; d4: 100 + 10 → 230 of 4 × 390 minutes
    expect(computeExposure(trades, sessions)).to.be.closeTo((230 / 1560) * 100, 1e-12);
    expect(computeExposure([], new Map())).to.equal(null);
  });

  it('longest losing streak, in exit order', () => {
    expect(computeLongestLosingStreak(trades)).to.equal(2); // −50, −30
    expect(computeLongestLosingStreak([])).to.equal(0);
  });

  it('breakdowns by ticker and by hour of signal', () => {
    const byTicker = computeBreakdown(trades, (x) => x.ticker);
    expect(byTicker.map((r) => [r.key, r.trades, r.pnl])).to.deep.equal([['A', 3, 50], ['B', 2, 150]]);
    expect(byTicker[0].win_rate_pct).to.be.closeTo(100 / 3, 1e-12);
    expect(byTicker[0].avg_return_pct).to.be.closeTo(0.5 / 3, 1e-12); // (1 − 0.3 − 0.2) / 3
    const byHour = computeBreakdown(trades, signalHour);
    expect(byHour.map((r) => [r.key, r.trades, r.pnl])).to.deep.equal([['09', 2, 300], ['10', 2, -80], ['12', 1, -20]]);
  });

  it('computeStats: the win rate counts trades, not signals', () => {
    const s = computeStats({ trades, signals: 9, untraded: { 'last-bar': 3, 'in-position': 1 }, sessions, capital: 10_000 });
    expect(s).to.include({ signals: 9, trades: 5, win_rate_pct: 40, profit_factor: 3, expectancy: 40, total_pnl: 200, final_equity: 10_200, trading_days: 4, longest_losing_streak: 2 });
    expect(s.untraded).to.deep.equal({ 'in-position': 1, 'last-bar': 3 });
    expect(s.sharpe).to.be.closeTo(8.569451, 1e-6);
  });
});
