/**
 * The deflated Sharpe ratio: the worked example of Bailey & López de Prado (2014, section "A numerical
 * example"), the moments it reads worked out by hand, and how it moves with the number of trials.
 */
import { expect } from 'chai';
import { computeDeflatedSharpe, computeExpectedMaxSharpe, deflateSharpe } from '../../../src/sweep/deflated-sharpe.js';
import { computeReturnMoments } from '../../../src/sweep/return-moments.js';

describe('sweep: the deflated Sharpe ratio', () => {
  it("reproduces the paper's worked example: N = 100, V[SR] = 1/2 a year, T = 1250 days, SR 2.5 a year, γ3 = −3, γ4 = 10", () => {
    // The paper: SR0 ≈ 0.1132 per day, DSR ≈ 0.9004 (with 250 days a year).
    const variance = 0.5 / 250;
    expect(computeExpectedMaxSharpe(100, variance)).to.be.closeTo(0.1132, 5e-5);
    const dsr = computeDeflatedSharpe({ sharpe: 2.5 / Math.sqrt(250), trials: 100, trialVariance: variance, observations: 1250, skewness: -3, kurtosis: 10 });
    expect(dsr).to.be.closeTo(0.9004, 5e-5);
  });

  it('with one trial there is no selection: SR0 = 0 and DSR is the probabilistic Sharpe ratio against 0', () => {
    expect(computeExpectedMaxSharpe(1, 0.01)).to.equal(0);
    // Normal returns (γ3 = 0, γ4 = 3), SR 0.1, T = 101: Φ(0.1 · 10 / √(1 + 0.5 · 0.01)) = Φ(0.997509…) = 0.8407413… (Python's NormalDist)
    const dsr = computeDeflatedSharpe({ sharpe: 0.1, trials: 1, trialVariance: 0, observations: 101, skewness: 0, kurtosis: 3 });
    expect(dsr).to.be.closeTo(0.8407413, 1e-7);
  });

  it('falls as more combinations are tried, and is null where the variance term is not positive or T < 2', () => {
    const at = (trials: number) => computeDeflatedSharpe({ sharpe: 0.15, trials, trialVariance: 0.002, observations: 500, skewness: -0.5, kurtosis: 5 })!;
    expect(at(10)).to.be.above(at(100));
    expect(at(100)).to.be.above(at(1000));
    expect(computeDeflatedSharpe({ sharpe: 1, trials: 5, trialVariance: 0.01, observations: 100, skewness: 3, kurtosis: 3 })).to.equal(null); // 1 − 3 + 0.5 < 0
    expect(computeDeflatedSharpe({ sharpe: 0.1, trials: 5, trialVariance: 0.01, observations: 1, skewness: 0, kurtosis: 3 })).to.equal(null);
  });

  it('reads the Sharpe ratio per period, skewness and non-excess kurtosis from population moments (worked by hand)', () => {
    // [1, 2, 3, 6]: mean 3, deviations −2, −1, 0, 3: m2 = 14/4, m3 = 18/4, m4 = 98/4, sample variance 14/3.
    const m = computeReturnMoments([1, 2, 3, 6]);
    expect(m.mean).to.equal(3);
    expect(m.sd).to.be.closeTo(Math.sqrt(14 / 3), 1e-15);
    expect(m.sharpe).to.be.closeTo(3 / Math.sqrt(14 / 3), 1e-15);
    expect(m.skewness).to.be.closeTo(4.5 / 3.5 ** 1.5, 1e-15);
    expect(m.kurtosis).to.be.closeTo(2, 1e-15); // 24.5 / 3.5²
    for (const constant of [[0.1, 0.1, 0.1], [0, 0], [5]]) expect(computeReturnMoments(constant).sharpe, `${constant}`).to.equal(null);
  });

  it('deflates the combination with the best Sharpe ratio, over the variance of all combinations\' Sharpe ratios', () => {
    const series = [
      [0.01, -0.02, 0.03, 0.0, 0.01, -0.01],
      [0.02, 0.01, 0.03, -0.01, 0.02, 0.01],
      [0, 0, 0, 0, 0, 0], // never traded: a trial, but no Sharpe ratio to add to V[SR]
      [-0.01, 0.02, -0.03, 0.01, 0.0, -0.02],
    ];
    // Sharpe ratios by plain arithmetic, mean / sample sd.
    const sharpeOf = (r: number[]) => {
      const mean = r.reduce((a, b) => a + b) / r.length;
      return mean / Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1));
    };
    const srs = [sharpeOf(series[0]), sharpeOf(series[1]), sharpeOf(series[3])];
    const mean = (srs[0] + srs[1] + srs[2]) / 3;
    const variance = srs.reduce((a, s) => a + (s - mean) ** 2, 0) / 2;
    const d = deflateSharpe(series)!;
    expect(d).to.include({ combination: 1, trials: 4, trialsWithSharpe: 3, observations: 6 });
    expect(d.sharpe).to.be.closeTo(srs[1], 1e-12);
    expect(d.sharpeAnnualised).to.be.closeTo(srs[1] * Math.sqrt(252), 1e-10);
    expect(d.trialVariance).to.be.closeTo(variance, 1e-12);
    expect(d.expectedMaxSharpe).to.be.closeTo(computeExpectedMaxSharpe(4, variance), 1e-12);
    const m = computeReturnMoments(series[1]);
    expect(d.dsr).to.be.closeTo(computeDeflatedSharpe({ sharpe: srs[1], trials: 4, trialVariance: variance, observations: 6, skewness: m.skewness!, kurtosis: m.kurtosis! })!, 1e-12);
    // Another combination may be named (the sweep's best by its objective); one that never varies has none.
    expect(deflateSharpe(series, { combination: 0 })!.combination).to.equal(0);
    expect(deflateSharpe(series, { combination: 2 })).to.equal(null);
    for (const bad of [4, -1, 1.5]) expect(() => deflateSharpe(series, { combination: bad })).to.throw(new RegExp(`no combination ${bad} to deflate: the sweep has 4`));
    expect(deflateSharpe([[0, 0], [1, 1]])).to.equal(null); // no combination whose returns vary
    expect(() => deflateSharpe([[0.01, Infinity]])).to.throw(/combination 0 has a daily return of Infinity on day 1/);
  });

  it('breaks a tie between best Sharpe ratios by the lowest index', () => {
    const r = [0.01, -0.02, 0.03, 0.01];
    expect(deflateSharpe([[0, 0.01, -0.01, 0], r, [...r]])!.combination).to.equal(1);
  });
});
