/**
 * MAE / MFE distributions: percentiles by linear interpolation between the nearest ranks, checked by hand.
 */
import { expect } from 'chai';
import { computeDistribution } from '../../../src/stats/excursions.js';
import { computeStats } from '../../../src/stats/compute-stats.js';
import type { Trade } from '../../../src/types.js';

describe('stats: MAE and MFE distributions', () => {
  it('interpolates percentiles between ranks', () => {
    // Sorted: −4 −3 −2 −1 0. p10 at rank 0.4: −4 + 0.4; p90 at rank 3.6: −1 + 0.6.
    const d = computeDistribution([-3, -1, -2, 0, -4])!;
    expect(d.min).to.equal(-4);
    expect(d.p10).to.be.closeTo(-3.6, 1e-12);
    expect(d.p25).to.equal(-3);
    expect(d.p50).to.equal(-2);
    expect(d.p75).to.equal(-1);
    expect(d.p90).to.be.closeTo(-0.4, 1e-12);
    expect(d.max).to.equal(0);
    expect(d.mean).to.equal(-2);
  });

  it('is null without trades, and read from the trades\' own mae_pct and mfe_pct in a run', () => {
    expect(computeDistribution([])).to.equal(null);
    const t = (mae: number, mfe: number) => ({ ticker: 'T', date: '2025-01-06', direction: 'LONG', pnl: 0, return_pct: 0, commission: 0, bars_held: 1,
      entry_ts: 0, exit_ts: 1, signal_time: '10:00:00', r_multiple: null, mae_pct: mae, mfe_pct: mfe }) as unknown as Trade;
    const stats = computeStats({ trades: [t(-1, 2), t(-0.5, 0.25)], signals: 2, untraded: {}, sessions: new Map([['2025-01-06', [0, 1] as const]]), capital: 1 });
    expect(stats.mae_distribution).to.include({ min: -1, max: -0.5, p50: -0.75 });
    expect(stats.mfe_distribution).to.include({ min: 0.25, max: 2, p50: 1.125 });
  });
});
