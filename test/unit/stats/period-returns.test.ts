/**
 * Monthly and yearly returns from end-of-session equity: from the mark-to-market series when the run has one,
 * else from the trades' P&L by date. Every figure worked out by hand.
 */
import { expect } from 'chai';
import { computePeriodReturns } from '../../../src/stats/period-returns.js';
import { buildSessionEquity } from '../../../src/stats/session-equity.js';
import { nyTime } from '../../helpers/bars.js';

const DATES = ['2025-01-30', '2025-01-31', '2025-02-03', '2025-02-04', '2026-01-05'];

describe('stats: monthly and yearly returns', () => {
  // Mark-to-market points; 2025-02-04 has none (the equity carries over), and the last point of a session counts.
  const equity = [
    { ts: nyTime('2025-01-30', '09:35'), equity: 10_000 },
    { ts: nyTime('2025-01-30', '10:00'), equity: 10_100 },
    { ts: nyTime('2025-01-31', '11:00'), equity: 10_300 },
    { ts: nyTime('2025-01-31', '15:55'), equity: 10_200 },
    { ts: nyTime('2025-02-03', '11:00'), equity: 9_690 },
    { ts: nyTime('2026-01-05', '12:00'), equity: 10_659 },
  ];

  it('reads end-of-session equity from the mark-to-market series, carrying it over sessions without points', () => {
    expect(buildSessionEquity(DATES, [], 10_000, equity).map((s) => s.equity)).to.deep.equal([10_100, 10_200, 9_690, 9_690, 10_659]);
  });

  it('gives each month its change over the equity at the end of the month before (the capital first)', () => {
    const months = computePeriodReturns(buildSessionEquity(DATES, [], 10_000, equity), 10_000, 7);
    expect(months.map((m) => m.period)).to.deep.equal(['2025-01', '2025-02', '2026-01']);
    expect(months.map((m) => m.pnl)).to.deep.equal([200, -510, 969]);
    // 10 200 / 10 000 − 1; 9 690 / 10 200 − 1; 10 659 / 9 690 − 1
    [2, -5, 10].forEach((pct, i) => expect(months[i].return_pct, months[i].period).to.be.closeTo(pct, 1e-9));
  });

  it('gives each year its change the same way', () => {
    const years = computePeriodReturns(buildSessionEquity(DATES, [], 10_000, equity), 10_000, 4);
    expect(years.map((y) => [y.period, y.pnl])).to.deep.equal([['2025', -310], ['2026', 969]]);
    expect(years[0].return_pct).to.be.closeTo(-3.1, 1e-9);
    expect(years[1].return_pct).to.be.closeTo(10, 1e-9);
  });

  it('without a mark-to-market series, sums the trades of each date onto the capital', () => {
    const trades = [{ date: '2025-01-30', pnl: 100 }, { date: '2025-01-30', pnl: 100 }, { date: '2025-02-03', pnl: -510 }];
    const sessions = buildSessionEquity(DATES.slice(0, 4), trades, 10_000);
    expect(sessions.map((s) => s.equity)).to.deep.equal([10_200, 10_200, 9_690, 9_690]);
    expect(computePeriodReturns(sessions, 10_000, 7).map((m) => m.pnl)).to.deep.equal([200, -510]);
  });

  it('has no return for a period that starts ruined', () => {
    const months = computePeriodReturns([{ date: '2025-01-31', equity: 0 }, { date: '2025-02-03', equity: 0 }], 1_000, 7);
    expect(months.map((m) => m.return_pct)).to.deep.equal([-100, null]);
  });
});

