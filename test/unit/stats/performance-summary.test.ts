/**
 * The Performance Summary (All / Long / Short) on a hand-checked trade list: three LONG and three SHORT trades,
 * one of them break-even, every figure worked out by hand below.
 */
import { expect } from 'chai';
import { computePerformanceSummary, SUMMARY_ROWS, type SideSummary } from '../../../src/stats/performance-summary.js';
import { computeStats } from '../../../src/stats/compute-stats.js';
import type { Trade } from '../../../src/types.js';

function trade(direction: 'LONG' | 'SHORT', pnl: number, commission: number, bars_held: number, i: number): Trade {
  const ts = Date.UTC(2025, 0, 6, 15) + i * 600_000;
  return {
    ticker: 'T', date: '2025-01-06', direction, signal_time: '10:00:00', signal_ts: ts, seq: 0, entry_time: '10:05:00', entry_ts: ts,
    entry_price: 100, exit_time: '10:30:00', exit_ts: ts + 300_000, exit_price: 100, exit_reason: 'eod', bars_held, shares: 100, commission, slippage: 0,
    pnl, return_pct: pnl / 100, r_multiple: null, mae_pct: 0, mfe_pct: 0,
  };
}

const TRADES = [
  trade('LONG', 300, 2, 10, 0), trade('LONG', -100, 2, 4, 1), trade('LONG', 0, 2, 6, 2),
  trade('SHORT', 50, 1, 2, 3), trade('SHORT', -200, 1, 8, 4), trade('SHORT', -100, 1, 5, 5),
];

// By hand. All: wins 300, 50; losses −100, −200, −100; the 0 trade is neither but counts as a trade.
const ALL: SideSummary = {
  net_profit: -50, gross_profit: 350, gross_loss: -400, commission: 9, trades: 6, win_rate_pct: 100 / 3, profit_factor: 350 / 400,
  avg_trade: -50 / 6, avg_win: 175, avg_loss: -400 / 3, win_loss_ratio: 175 / (400 / 3), largest_win: 300, largest_loss: -200,
  avg_bars: 35 / 6, avg_bars_win: 6, avg_bars_loss: 17 / 3,
};
const LONG: SideSummary = {
  net_profit: 200, gross_profit: 300, gross_loss: -100, commission: 6, trades: 3, win_rate_pct: 100 / 3, profit_factor: 3,
  avg_trade: 200 / 3, avg_win: 300, avg_loss: -100, win_loss_ratio: 3, largest_win: 300, largest_loss: -100,
  avg_bars: 20 / 3, avg_bars_win: 10, avg_bars_loss: 4,
};
const SHORT: SideSummary = {
  net_profit: -250, gross_profit: 50, gross_loss: -300, commission: 3, trades: 3, win_rate_pct: 100 / 3, profit_factor: 50 / 300,
  avg_trade: -250 / 3, avg_win: 50, avg_loss: -150, win_loss_ratio: 50 / 150, largest_win: 50, largest_loss: -200,
  avg_bars: 5, avg_bars_win: 2, avg_bars_loss: 6.5,
};

function expectClose(actual: SideSummary, expected: SideSummary, side: string) {
  for (const k of Object.keys(expected) as (keyof SideSummary)[]) {
    expect(actual[k], `${side} ${k}`).to.be.closeTo(expected[k] as number, 1e-6);
  }
}

describe('stats: Performance Summary (All / Long / Short)', () => {
  it('gives every figure of the hand-checked trade list per side', () => {
    const s = computePerformanceSummary(TRADES);
    expectClose(s.all, ALL, 'all');
    expectClose(s.long, LONG, 'long');
    expectClose(s.short, SHORT, 'short');
  });

  it('is the `summary` of a run, rounded like every statistic, with net profit equal to the total P&L', () => {
    const sessions = new Map([['2025-01-06', [0, 1] as const]]);
    const stats = computeStats({ trades: TRADES, signals: 6, untraded: {}, sessions, capital: 10_000 });
    expect(stats.summary.all.net_profit).to.equal(stats.total_pnl);
    expect(stats.summary.all.avg_trade).to.equal(-8.333333);
    expect(stats.summary.short.profit_factor).to.equal(0.166667);
  });

  it('has no win, loss or ratio figures for a side without trades, and zero sums', () => {
    const s = computePerformanceSummary(TRADES.filter((t) => t.direction === 'LONG'));
    expect(s.short).to.deep.include({ trades: 0, net_profit: 0, gross_profit: 0, gross_loss: 0, commission: 0 });
    for (const k of ['win_rate_pct', 'profit_factor', 'avg_trade', 'avg_win', 'avg_loss', 'win_loss_ratio', 'largest_win', 'largest_loss', 'avg_bars'] as const) {
      expect(s.short[k], k).to.equal(null);
    }
  });

  it('lays out a row for every figure it computes', () => {
    expect(SUMMARY_ROWS.map((r) => r.key).sort()).to.deep.equal(Object.keys(ALL).sort());
  });
});
