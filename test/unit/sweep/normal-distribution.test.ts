/**
 * Φ and Φ⁻¹ against reference values computed apart from barwise (Φ from ½·erfc(−x/√2) of Python's math
 * module, Φ⁻¹ from Python's statistics.NormalDist, both in double precision), across the centre, the switch between series and continued fraction at |x| = 3,
 * Acklam's region boundary at p = 0.02425, and far tails.
 */
import { expect } from 'chai';
import { computeNormalCdf, computeNormalDensity, computeNormalQuantile } from '../../../src/sweep/normal-distribution.js';

const CDF: [number, number][] = [
  [0, 0.5],
  [0.5, 0.6914624612740131],
  [-1, 0.15865525393145707],
  [1.96, 0.9750021048517795],
  [-2.9999, 0.0013503412829549248],
  [-3, 0.0013498980316300957],
  [3, 0.9986501019683699],
  [-5, 2.866515718791939e-7],
  [-6, 9.865876450377e-10],
  [-8, 6.22096057427178e-16],
  [-10, 7.61985302416047e-24],
];

const QUANTILE: [number, number][] = [
  [0.5, 0],
  [0.975, 1.959963984540054],
  [0.99, 2.326347874040841],
  [0.3, -0.5244005127080407],
  [0.02425, -1.972961051311884],
  [0.001, -3.090232306167813],
  [1e-10, -6.361340902404056],
  [1 - 1e-6, 4.753424308817089],
];

describe('sweep: the normal distribution', () => {
  it('Φ matches reference values to 1e-15 absolute and 1e-12 relative, far tails included', () => {
    for (const [x, p] of CDF) {
      const got = computeNormalCdf(x);
      expect(Math.abs(got - p), `Φ(${x})`).to.be.at.most(1e-15);
      expect(Math.abs(got - p) / p, `Φ(${x}) relative`).to.be.at.most(1e-12);
    }
    expect(computeNormalCdf(-Infinity)).to.equal(0);
    expect(computeNormalCdf(Infinity)).to.equal(1);
    expect(computeNormalCdf(NaN)).to.be.NaN;
  });

  it('Φ is symmetric and continuous across the switch at |x| = 3', () => {
    for (const x of [0.1, 1, 2.5, 2.999999, 3, 3.000001, 4.2]) expect(computeNormalCdf(x) + computeNormalCdf(-x), `${x}`).to.be.closeTo(1, 1e-15);
    const below = computeNormalCdf(-3 - 1e-9);
    const above = computeNormalCdf(-3 + 1e-9);
    expect((above - below) / 2e-9).to.be.closeTo(computeNormalDensity(3), 1e-6);
  });

  it('Φ⁻¹ matches reference values to 1e-14 relative, and inverts Φ', () => {
    for (const [p, x] of QUANTILE) expect(computeNormalQuantile(p), `Φ⁻¹(${p})`).to.be.closeTo(x, 1e-14 * Math.max(1, Math.abs(x)));
    for (let p = 0.0005; p < 1; p += 0.0173) expect(computeNormalCdf(computeNormalQuantile(p)), `${p}`).to.be.closeTo(p, 2e-15);
    expect(computeNormalQuantile(0)).to.equal(-Infinity);
    expect(computeNormalQuantile(1)).to.equal(Infinity);
    expect(computeNormalQuantile(1.5)).to.be.NaN;
    expect(computeNormalQuantile(-0.1)).to.be.NaN;
  });
});
