/**
 * The probability of backtest overfitting by combinatorially symmetric cross-validation (CSCV: Bailey,
 * Borwein, López de Prado & Zhu, "The Probability of Backtest Overfitting", Journal of Computational Finance
 * 20(4), 2017). From the daily returns of N combinations over T days:
 *
 * 1. the days are cut, in order, into S blocks of equal length T div S; the oldest T mod S days are left out,
 *    so that every in-sample and out-of-sample half has exactly (S/2)·(T div S) days, as the paper requires;
 * 2. for each of the C(S, S/2) ways to pick S/2 blocks as in-sample (the rest, out-of-sample), the
 *    combination n* with the best in-sample Sharpe ratio is taken (ties: the lowest index), and its relative
 *    rank out of sample ω = r / (N + 1), r its rank among the N out-of-sample Sharpe ratios (1 the worst; tied
 *    values share the mean of their ranks), gives the logit λ = ln(ω / (1 − ω));
 * 3. PBO is the share of splits with λ ≤ 0: the in-sample best did no better than the median out of sample.
 *
 * The Sharpe ratio of a half is mean / sample standard deviation of its days' returns (not annualised: ranks
 * do not change); a half whose returns never vary scores 0 when they are all 0 (a combination that did not
 * trade) and ±∞ by the sign of its constant return otherwise.
 *
 * The work is C(S, S/2) · N · S after one pass over the returns (per block sums), so S is capped at
 * MAX_PBO_BLOCKS: C(20, 10) = 184,756 splits. Measured on a 2-core machine under heavy load (so upper
 * bounds): N = 16, T = 250, S = 16 in 0.2 s; N = 256, T = 1000, S = 16 in 1.8 s; N = 16, S = 20 in 1.6 s.
 */
import { BarwiseError } from '../errors.js';
import { checkFiniteReturns } from './return-moments.js';

export const DEFAULT_PBO_BLOCKS = 16;
export const MAX_PBO_BLOCKS = 20;

export type PboLevel = 'low' | 'moderate' | 'high' | 'overfit';

/** The verdict's thresholds on PBO, upper bounds exclusive (docs/sweeps.md). */
export const PBO_THRESHOLDS: readonly { below: number; level: PboLevel; text: string }[] = [
  { below: 0.1, level: 'low', text: 'low risk of overfitting: the in-sample best nearly always stays above the median out of sample' },
  {
    below: 0.3, level: 'moderate',
    text: 'some risk of overfitting: the in-sample best falls below the median out of sample in a fair share of splits',
  },
  { below: 0.5, level: 'high', text: 'high risk of overfitting: the in-sample best often falls below the median out of sample' },
  { below: Infinity, level: 'overfit', text: 'likely overfit: choosing the in-sample best does no better out of sample than choosing at random' },
];

/** The plain-words verdict on a PBO. */
export function describePbo(pbo: number): { level: PboLevel; text: string } {
  const { level, text } = PBO_THRESHOLDS.find((th) => pbo < th.below)!;
  return { level, text };
}

export interface PboResult {
  pbo: number;
  verdict: { level: PboLevel; text: string };
  /** S, the days per block, the days used and those left out (the oldest T mod S). */
  blocks: number;
  blockDays: number;
  daysUsed: number;
  daysLeftOut: number;
  combinations: number;
  /** C(S, S/2). */
  splits: number;
  /** Per split, in the order the in-sample block sets are enumerated (lexicographic): λ. */
  logits: number[];
  /** Per split: the in-sample best's out-of-sample rank, 1 (worst) to N (best), halves for ties. */
  outOfSampleRanks: number[];
  /** Per split: which combination was best in sample. */
  inSampleBest: number[];
  /** Share of splits where the in-sample best's out-of-sample Sharpe ratio is below 0. */
  probabilityOfLoss: number;
}

/** `returns[combination][day]`: every combination's daily returns over the same days. */
export function computeProbabilityOfOverfitting(returns: readonly (readonly number[])[], o: { blocks?: number } = {}): PboResult {
  const s = o.blocks ?? DEFAULT_PBO_BLOCKS;
  if (!Number.isInteger(s) || s < 2 || s % 2 !== 0 || s > MAX_PBO_BLOCKS) {
    throw new BarwiseError('USAGE', `--pbo-blocks must be an even whole number from 2 to ${MAX_PBO_BLOCKS}, got ${s}`,
      `The default is ${DEFAULT_PBO_BLOCKS} (C(16, 8) = 12,870 splits); ${MAX_PBO_BLOCKS} is the most that stays quick (184,756 splits).`);
  }
  const n = returns.length;
  if (n < 2) {
    throw new BarwiseError('USAGE', `the probability of backtest overfitting compares combinations: it needs at least 2, the sweep has ${n}`,
      'Give a parameter more than one value.');
  }
  const t = returns[0].length;
  const uneven = returns.findIndex((r) => r.length !== t);
  if (uneven >= 0) {
    throw new BarwiseError('USAGE', `combination ${uneven} has ${returns[uneven].length} daily returns, combination 0 has ${t}: all must cover the same days`);
  }
  checkFiniteReturns(returns);
  const blockDays = Math.floor(t / s);
  if (blockDays * (s / 2) < 2) {
    throw new BarwiseError('INVALID_RANGE', `PBO with ${s} blocks needs at least ${Math.max(s, 4)} trading days (two per half), the sweep has ${t}`,
      'Widen the date range, or lower --pbo-blocks.');
  }
  const leftOut = t - blockDays * s;
  const stats = sumBlocks(returns, s, blockDays, leftOut);

  const logits: number[] = [];
  const ranks: number[] = [];
  const bests: number[] = [];
  let overfit = 0;
  let losses = 0;
  const inSample = new Float64Array(n);
  const outOfSample = new Float64Array(n);
  for (const chosen of listHalfSubsets(s)) {
    for (let c = 0; c < n; c++) scoreSplit(stats[c], chosen, c, inSample, outOfSample);
    let best = 0;
    for (let c = 1; c < n; c++) if (inSample[c] > inSample[best]) best = c;
    let below = 0;
    let tied = 0;
    for (let c = 0; c < n; c++) {
      if (outOfSample[c] < outOfSample[best]) below++;
      else if (c !== best && outOfSample[c] === outOfSample[best]) tied++;
    }
    const rank = 1 + below + tied / 2;
    const omega = rank / (n + 1);
    logits.push(Math.log(omega / (1 - omega)));
    ranks.push(rank);
    bests.push(best);
    if (2 * rank <= n + 1) overfit++; // λ ≤ 0 ⇔ ω ≤ ½, compared exactly
    if (outOfSample[best] < 0) losses++;
  }
  const pbo = overfit / logits.length;
  return {
    pbo, verdict: describePbo(pbo), blocks: s, blockDays, daysUsed: t - leftOut, daysLeftOut: leftOut, combinations: n,
    splits: logits.length, logits, outOfSampleRanks: ranks, inSampleBest: bests, probabilityOfLoss: losses / logits.length,
  };
}

/** Per combination, per block: the sum, sum of squares, least and greatest of its days' returns. */
interface BlockSums {
  sum: Float64Array;
  squares: Float64Array;
  min: Float64Array;
  max: Float64Array;
  days: number;
}

function sumBlocks(returns: readonly (readonly number[])[], s: number, blockDays: number, leftOut: number): BlockSums[] {
  return returns.map((r) => {
    const sum = new Float64Array(s);
    const squares = new Float64Array(s);
    const min = new Float64Array(s).fill(Infinity);
    const max = new Float64Array(s).fill(-Infinity);
    for (let b = 0; b < s; b++) {
      for (let d = leftOut + b * blockDays, end = d + blockDays; d < end; d++) {
        const x = r[d];
        sum[b] += x;
        squares[b] += x * x;
        if (x < min[b]) min[b] = x;
        if (x > max[b]) max[b] = x;
      }
    }
    return { sum, squares, min, max, days: blockDays };
  });
}

/**
 * The Sharpe ratios of the blocks in `chosen` (in sample) and of the others (out of sample), in one pass. A
 * constant half is told by its least and greatest return, not by its variance, which rounding would leave a
 * speck above 0. Daily returns have a mean far below their spread, so the sums of squares lose no digits that
 * matter (relative error about ε·(1 + SR²)).
 */
function scoreSplit(b: BlockSums, chosen: readonly boolean[], c: number, inSample: Float64Array, outOfSample: Float64Array): void {
  let sumIn = 0;
  let sumOut = 0;
  let squaresIn = 0;
  let squaresOut = 0;
  let minIn = Infinity;
  let minOut = Infinity;
  let maxIn = -Infinity;
  let maxOut = -Infinity;
  for (let k = 0; k < chosen.length; k++) {
    if (chosen[k]) {
      sumIn += b.sum[k];
      squaresIn += b.squares[k];
      if (b.min[k] < minIn) minIn = b.min[k];
      if (b.max[k] > maxIn) maxIn = b.max[k];
    } else {
      sumOut += b.sum[k];
      squaresOut += b.squares[k];
      if (b.min[k] < minOut) minOut = b.min[k];
      if (b.max[k] > maxOut) maxOut = b.max[k];
    }
  }
  const m = (b.days * chosen.length) / 2;
  inSample[c] = scoreHalf(sumIn, squaresIn, minIn, maxIn, m);
  outOfSample[c] = scoreHalf(sumOut, squaresOut, minOut, maxOut, m);
}

function scoreHalf(sum: number, squares: number, min: number, max: number, m: number): number {
  if (min === max) return min === 0 ? 0 : min > 0 ? Infinity : -Infinity;
  const mean = sum / m;
  const variance = Math.max(0, (squares - m * mean * mean) / (m - 1));
  return variance > 0 ? mean / Math.sqrt(variance) : 0;
}

/** Every choice of S/2 blocks out of S, as membership flags, in lexicographic order of the chosen indices. */
export function* listHalfSubsets(s: number): Generator<boolean[]> {
  const k = s / 2;
  const idx = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    const flags = new Array<boolean>(s).fill(false);
    for (const i of idx) flags[i] = true;
    yield flags;
    let i = k - 1;
    while (i >= 0 && idx[i] === s - k + i) i--;
    if (i < 0) return;
    idx[i]++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
  }
}
