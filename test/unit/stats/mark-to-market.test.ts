/**
 * With a mark-to-market equity series (the portfolio pass), the drawdown figures and the end-of-session equity
 * read it rather than the equity after each exit: a fall while a position is open counts.
 */
import { expect } from 'chai';
import { computeStats } from '../../../src/stats/compute-stats.js';
import { nyTime } from '../../helpers/bars.js';
import type { Trade } from '../../../src/types.js';

const DATE = '2025-03-03';
// One LONG trade, +100 at its exit; while it was open the position was marked 400 under water.
const TRADE = {
  ticker: 'T', date: DATE, direction: 'LONG', pnl: 100, return_pct: 1, commission: 0, bars_held: 6, entry_ts: nyTime(DATE, '10:00'),
  exit_ts: nyTime(DATE, '10:30'), signal_time: '09:55:00', r_multiple: null, mae_pct: -4, mfe_pct: 1,
} as unknown as Trade;
const INPUT = { trades: [TRADE], signals: 1, untraded: {}, sessions: new Map([[DATE, [nyTime(DATE, '09:30'), nyTime(DATE, '16:00')] as const]]), capital: 10_000 };
const EQUITY = [
  { ts: nyTime(DATE, '10:00'), equity: 10_000 }, { ts: nyTime(DATE, '10:10'), equity: 9_600 },
  { ts: nyTime(DATE, '10:20'), equity: 9_800 }, { ts: nyTime(DATE, '10:30'), equity: 10_100 },
];

describe('stats: mark-to-market equity', () => {
  it('finds the intraday drawdown the exit curve cannot see', () => {
    expect(computeStats(INPUT)).to.include({ max_drawdown_pct: 0, max_drawdown_usd: 0 });
    // 10 000 → 9 600: 400, 4% of the peak.
    expect(computeStats({ ...INPUT, equity: EQUITY })).to.include({ max_drawdown_pct: 4, max_drawdown_usd: 400 });
  });

  it('takes the session\'s equity from the series\' last point of the session', () => {
    const stats = computeStats({ ...INPUT, equity: EQUITY.slice(0, 3) });
    expect(stats.monthly_returns).to.deep.equal([{ period: '2025-03', pnl: -200, return_pct: -2 }]);
    expect(stats.longest_drawdown).to.deep.include({ sessions: 1, recovered: false });
  });
});
