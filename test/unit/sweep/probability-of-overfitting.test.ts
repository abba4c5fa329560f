/**
 * PBO by CSCV: two small matrices whose six splits are worked out by hand below, a brute-force computation
 * sharing no code with src/ on a seeded matrix, and the properties the paper's measure must have.
 *
 * The hand cases use one day per block (S = 4), so every half holds two days {x, y}, whose Sharpe ratio is
 * mean / sd = ((x + y) / 2) / (|x − y| / √2): the halves compare as q = (x + y) / |x − y|. Returns are small
 * whole numbers (Sharpe ratios do not depend on the unit), so the ties below are exact.
 */
import { expect } from 'chai';
import { computeProbabilityOfOverfitting, describePbo, listHalfSubsets, MAX_PBO_BLOCKS } from '../../../src/sweep/probability-of-overfitting.js';
import { mulberry32 } from '../../helpers/bars.js';

const LN = Math.log;

function closeAll(got: readonly number[], want: readonly number[], tol = 1e-12): void {
  expect(got.length).to.equal(want.length);
  got.forEach((g, i) => expect(g, `[${i}]`).to.be.closeTo(want[i], tol));
}

/** Normal noise (Box–Muller) from a seeded uniform source. */
function makeNoise(seed: number): () => number {
  const u = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** PBO and logits the long way: every half as an explicit list of days, Sharpe ratios by two passes. */
function computeBruteForce(returns: number[][], s: number): { pbo: number; logits: number[] } {
  const t = returns[0].length;
  const b = Math.floor(t / s);
  const first = t - b * s;
  const sharpe = (r: number[]) => {
    const m = r.reduce((a, x) => a + x, 0) / r.length;
    return m / Math.sqrt(r.reduce((a, x) => a + (x - m) ** 2, 0) / (r.length - 1));
  };
  const subsets: number[][] = [];
  for (let mask = 0; mask < 1 << s; mask++) {
    const idx = [...Array(s).keys()].filter((k) => mask & (1 << k));
    if (idx.length === s / 2) subsets.push(idx);
  }
  subsets.sort((x, y) => { for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i]; return 0; });
  const logits = subsets.map((inIdx) => {
    const pick = (r: number[], blocks: number[]) => blocks.flatMap((k) => r.slice(first + k * b, first + (k + 1) * b));
    const outIdx = [...Array(s).keys()].filter((k) => !inIdx.includes(k));
    const is = returns.map((r) => sharpe(pick(r, inIdx)));
    const oos = returns.map((r) => sharpe(pick(r, outIdx)));
    const best = is.indexOf(Math.max(...is));
    const rank = 1 + oos.filter((v) => v < oos[best]).length;
    const w = rank / (returns.length + 1);
    return Math.log(w / (1 - w));
  });
  return { pbo: logits.filter((l) => l <= 0).length / logits.length, logits };
}

describe('sweep: probability of backtest overfitting (CSCV)', () => {
  it('enumerates the C(S, S/2) in-sample block sets in lexicographic order', () => {
    const sets = [...listHalfSubsets(4)].map((f) => f.flatMap((on, i) => (on ? [i] : [])));
    expect(sets).to.deep.equal([[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]);
    expect([...listHalfSubsets(16)].length).to.equal(12_870);
  });

  it('N = 2, S = 4: the six splits by hand give PBO 3/6', () => {
    // Per pair of days, q = (x + y) / |x − y|:
    //            {0,1} {2,3} {0,2} {1,3} {0,3} {1,2}
    // A 1 3 2 6:   2     2     3     3    1.4    5
    // B 2 1 4 3:   3     7     3     2     5    5/3
    // IS {0,1}: B best (3 > 2); OOS {2,3}: B 7 > A 2, rank 2 of 2, ω = 2/3, λ = ln 2
    // IS {0,2}: tie 3 = 3, A (lowest index); OOS {1,3}: A 3 > 2, rank 2, λ = ln 2
    // IS {0,3}: B (5); OOS {1,2}: B 5/3 < A 5, rank 1, ω = 1/3, λ = −ln 2   overfit
    // IS {1,2}: A (5); OOS {0,3}: A 1.4 < 5, rank 1, λ = −ln 2               overfit
    // IS {1,3}: A (3); OOS {0,2}: tie 3 = 3, rank 1.5, ω = 1/2, λ = 0        overfit (λ ≤ 0)
    // IS {2,3}: B (7); OOS {0,1}: B 3 > 2, rank 2, λ = ln 2
    const r = computeProbabilityOfOverfitting([[1, 3, 2, 6], [2, 1, 4, 3]], { blocks: 4 });
    expect(r).to.include({ pbo: 0.5, splits: 6, blocks: 4, blockDays: 1, daysUsed: 4, daysLeftOut: 0, combinations: 2, probabilityOfLoss: 0 });
    expect(r.inSampleBest).to.deep.equal([1, 0, 1, 0, 0, 1]);
    expect(r.outOfSampleRanks).to.deep.equal([2, 2, 1, 1, 1.5, 2]);
    closeAll(r.logits, [LN(2), LN(2), -LN(2), -LN(2), 0, LN(2)]);
    expect(r.verdict.level).to.equal('overfit');
  });

  it('N = 3, S = 4, T = 5: the oldest day is left out, and ties in and out of sample are settled as stated', () => {
    // Day 0 (left out: T mod S = 1) would change every split if it were read.
    //            {0,1} {2,3} {0,2} {1,3} {0,3} {1,2}
    // A 1 3 2 6:   2     2     3     3    1.4    5
    // B 2 1 4 3:   3     7     3     2     5    5/3
    // C 2 4 1 5:   3    1.5    3     9    7/3   5/3
    // IS {0,1}: B = C = 3 > 2: B; OOS {2,3}: B 7 is the best of 3, rank 3, ω = 3/4, λ = ln 3
    // IS {0,2}: all 3: A; OOS {1,3}: A 3 between 2 and 9, rank 2, ω = 1/2, λ = 0             overfit
    // IS {0,3}: B (5); OOS {1,2}: B ties C at 5/3 below A 5, rank 1.5, ω = 3/8, λ = ln(3/5)  overfit
    // IS {1,2}: A (5); OOS {0,3}: A 1.4 is the worst, rank 1, ω = 1/4, λ = ln(1/3)          overfit
    // IS {1,3}: C (9); OOS {0,2}: all 3, rank 2, λ = 0                                       overfit
    // IS {2,3}: B (7); OOS {0,1}: B ties C at 3 above A 2, rank 2.5, ω = 5/8, λ = ln(5/3)
    const r = computeProbabilityOfOverfitting([[1000, 1, 3, 2, 6], [-1000, 2, 1, 4, 3], [7, 2, 4, 1, 5]], { blocks: 4 });
    expect(r).to.include({ splits: 6, blockDays: 1, daysUsed: 4, daysLeftOut: 1, combinations: 3 });
    expect(r.pbo).to.equal(4 / 6);
    expect(r.inSampleBest).to.deep.equal([1, 0, 1, 0, 2, 1]);
    expect(r.outOfSampleRanks).to.deep.equal([3, 2, 1.5, 1, 2, 2.5]);
    closeAll(r.logits, [LN(3), 0, LN(3 / 5), LN(1 / 3), 0, LN(5 / 3)]);
  });

  it('equals a brute-force computation on a seeded matrix whose length S does not divide', () => {
    const noise = makeNoise(7);
    const returns = Array.from({ length: 5 }, (_, c) => Array.from({ length: 27 }, () => 0.01 * noise() + 0.001 * c));
    const r = computeProbabilityOfOverfitting(returns, { blocks: 6 });
    const want = computeBruteForce(returns, 6);
    expect(r).to.include({ splits: 20, blockDays: 4, daysLeftOut: 3 });
    expect(r.pbo).to.equal(want.pbo);
    closeAll(r.logits, want.logits, 1e-9);
  });

  it('does not depend on the order of the combinations or the unit of the returns', () => {
    const noise = makeNoise(19);
    const returns = Array.from({ length: 6 }, (_, c) => Array.from({ length: 48 }, () => 0.01 * noise() + 0.0005 * (c % 3)));
    const r = computeProbabilityOfOverfitting(returns, { blocks: 8 });
    const order = [3, 0, 5, 1, 4, 2];
    const shuffled = computeProbabilityOfOverfitting(order.map((c) => returns[c]), { blocks: 8 });
    expect(shuffled.pbo).to.equal(r.pbo);
    expect(shuffled.outOfSampleRanks).to.deep.equal(r.outOfSampleRanks);
    expect(shuffled.inSampleBest.map((b) => order[b])).to.deep.equal(r.inSampleBest);
    expect(computeProbabilityOfOverfitting(returns.map((x) => x.map((v) => v * 100)), { blocks: 8 }).outOfSampleRanks).to.deep.equal(r.outOfSampleRanks);
  });

  it('is 0 for a combination that beats the others by the same margin every day, and one that trades at a steady profit', () => {
    const noise = makeNoise(11);
    const base = Array.from({ length: 64 }, () => 0.01 * noise());
    const family = [0, 1, 2, 3].map((k) => base.map((x) => x + 0.0005 * k)); // same spread, higher mean
    const r = computeProbabilityOfOverfitting(family, { blocks: 8 });
    expect(r.pbo).to.equal(0);
    expect(r.inSampleBest.every((b) => b === 3)).to.equal(true);
    expect(r.outOfSampleRanks.every((k) => k === 4)).to.equal(true);
    expect(r.verdict.level).to.equal('low');
    // A half that never varies scores 0 when it never traded, ±∞ by its sign otherwise: no NaN reaches the ranks.
    const steady = computeProbabilityOfOverfitting([base.map(() => 0), base, base.map(() => 0.001), base.map(() => -0.001)], { blocks: 8 });
    expect(steady.pbo).to.equal(0);
    expect(steady.inSampleBest.every((b) => b === 2)).to.equal(true);
    expect(steady.logits.every(Number.isFinite)).to.equal(true);
  });

  it('is 1 when every combination is the same: the in-sample best is no better than the median out of sample', () => {
    const noise = makeNoise(3);
    const same = Array.from({ length: 32 }, () => noise());
    const r = computeProbabilityOfOverfitting([same, [...same], [...same]], { blocks: 4 });
    expect(r.pbo).to.equal(1);
    expect(r.outOfSampleRanks.every((k) => k === 2)).to.equal(true);
  });

  it('averages near 1/2 over seeded matrices of pure noise, and stays low when one combination has a real edge', () => {
    const noise = makeNoise(2026);
    const pbos: number[] = [];
    const edged: number[] = [];
    for (let m = 0; m < 40; m++) {
      const returns = Array.from({ length: 10 }, () => Array.from({ length: 160 }, () => noise()));
      pbos.push(computeProbabilityOfOverfitting(returns, { blocks: 8 }).pbo);
      returns[4] = returns[4].map((x) => x + 0.6); // a Sharpe ratio of about 0.6 a day
      edged.push(computeProbabilityOfOverfitting(returns, { blocks: 8 }).pbo);
    }
    const mean = pbos.reduce((a, b) => a + b) / pbos.length;
    expect(mean).to.be.within(0.4, 0.6);
    expect(Math.max(...edged)).to.be.below(0.1);
  });

  it('gives the verdict by the stated thresholds: below 0.1 low, below 0.3 moderate, below 0.5 high, from 0.5 on overfit', () => {
    const at = (pbo: number) => describePbo(pbo).level;
    expect([0, 0.0999, 0.1, 0.2999, 0.3, 0.4999, 0.5, 1].map(at)).to.deep.equal(['low', 'low', 'moderate', 'moderate', 'high', 'high', 'overfit', 'overfit']);
    expect(describePbo(0.5).text).to.equal('likely overfit: choosing the in-sample best does no better out of sample than choosing at random');
  });

  it('refuses block counts that are odd, below 2, above the cap, or not whole; fewer than 2 combinations; too few days', () => {
    const two = [[1, 2, 3, 4, 5, 6, 7, 8], [2, 1, 2, 1, 2, 1, 2, 1]];
    for (const blocks of [3, 0, -2, 2.5, MAX_PBO_BLOCKS + 2]) {
      expect(() => computeProbabilityOfOverfitting(two, { blocks }), `${blocks}`)
        .to.throw(new RegExp(`--pbo-blocks must be an even whole number from 2 to ${MAX_PBO_BLOCKS}, got ${blocks}`)).with.property('code', 'USAGE');
    }
    expect(() => computeProbabilityOfOverfitting([two[0]], { blocks: 4 })).to.throw(/needs at least 2, the sweep has 1/);
    expect(() => computeProbabilityOfOverfitting([], { blocks: 4 })).to.throw(/needs at least 2, the sweep has 0/);
    expect(() => computeProbabilityOfOverfitting(two, { blocks: 16 })).to.throw(/PBO with 16 blocks needs at least 16 trading days .*the sweep has 8/).with.property('code', 'INVALID_RANGE');
    expect(() => computeProbabilityOfOverfitting([[1, 2, 3], [3, 2, 1]], { blocks: 2 })).to.throw(/needs at least 4 trading days/);
    expect(() => computeProbabilityOfOverfitting([[1, 2, 3, 4], [1, 2, 3]], { blocks: 2 })).to.throw(/combination 1 has 3 daily returns, combination 0 has 4/);
    expect(() => computeProbabilityOfOverfitting([[1, 2, 3, 4], [1, NaN, 3, 4]], { blocks: 2 })).to.throw(/combination 1 has a daily return of NaN on day 1/);
  });

  it('runs the default 16 blocks (12,870 splits) and the cap of 20 (184,756)', () => {
    const noise = makeNoise(5);
    const returns = Array.from({ length: 8 }, () => Array.from({ length: 200 }, () => noise()));
    expect(computeProbabilityOfOverfitting(returns).splits).to.equal(12_870);
    expect(computeProbabilityOfOverfitting(returns, { blocks: 20 }).splits).to.equal(184_756);
  });
});
