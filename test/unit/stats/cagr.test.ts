/**
 * CAGR on worked examples: years are sessions / 252, and under 252 sessions it is not shown.
 */
import { expect } from 'chai';
import { computeCagr } from '../../../src/stats/cagr.js';

describe('stats: CAGR', () => {
  it('is 10% a year for +21% over 504 sessions and +33.1% over 756 (1.1² and 1.1³)', () => {
    expect(computeCagr(100_000, 121_000, 504)).to.be.closeTo(10, 1e-9);
    expect(computeCagr(100_000, 133_100, 756)).to.be.closeTo(10, 1e-9);
  });

  it('is the total return itself over exactly one year of sessions', () => {
    expect(computeCagr(50_000, 52_500, 252)).to.be.closeTo(5, 1e-9);
  });

  it('is not shown for a run shorter than a year', () => {
    expect(computeCagr(100_000, 150_000, 251)).to.equal(null);
  });

  it('is −100% for a ruined account', () => {
    expect(computeCagr(100_000, 0, 300)).to.equal(-100);
    expect(computeCagr(100_000, -5_000, 300)).to.equal(-100);
  });
});
