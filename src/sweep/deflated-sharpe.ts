/**
 * The deflated Sharpe ratio (Bailey & López de Prado, "The Deflated Sharpe Ratio: Correcting for Selection
 * Bias, Backtest Overfitting and Non-Normality", Journal of Portfolio Management 40(5), 2014): the probability
 * that the best of N combinations has a true Sharpe ratio above the one the best of N skill-less trials would
 * show by luck alone. All Sharpe ratios here are per period (daily, not annualised), as in the paper.
 *
 *   SR0 = √V[SR] · ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e)))        γ: the Euler–Mascheroni constant
 *   DSR = Φ( (SR − SR0) √(T − 1) / √(1 − γ3 SR + (γ4 − 1)/4 SR²) )
 *
 * V[SR] is the variance of the N combinations' Sharpe ratios, T the number of daily returns, γ3 and γ4 the
 * skewness and (non-excess) kurtosis of the chosen combination's returns (return-moments.ts).
 */
import { BarwiseError } from '../errors.js';
import { checkFiniteReturns, computeReturnMoments } from './return-moments.js';
import { computeNormalCdf, computeNormalQuantile } from './normal-distribution.js';
import { TRADING_DAYS_PER_YEAR } from '../stats/sharpe.js';

const EULER_MASCHERONI = 0.5772156649015329;

export interface DeflatedSharpeInput {
  /** The chosen combination's Sharpe ratio per period. */
  sharpe: number;
  /** Combinations tried, N ≥ 1. */
  trials: number;
  /** Variance of the trials' Sharpe ratios per period, V[SR]. */
  trialVariance: number;
  /** Returns the chosen combination's Sharpe ratio is computed from, T. */
  observations: number;
  skewness: number;
  /** Not excess: 3 for normal returns. */
  kurtosis: number;
}

/**
 * SR0, the expected maximum Sharpe ratio of `trials` skill-less combinations whose Sharpe ratios vary with
 * `trialVariance`. One trial is no selection: 0.
 */
export function computeExpectedMaxSharpe(trials: number, trialVariance: number): number {
  if (trials <= 1 || trialVariance <= 0) return 0;
  const g = EULER_MASCHERONI;
  return Math.sqrt(trialVariance) * ((1 - g) * computeNormalQuantile(1 - 1 / trials) + g * computeNormalQuantile(1 - 1 / (trials * Math.E)));
}

/** DSR in [0, 1]; null with fewer than two observations or moments that leave the variance term ≤ 0. */
export function computeDeflatedSharpe(input: DeflatedSharpeInput): number | null {
  const { sharpe: sr, observations: t, skewness, kurtosis } = input;
  const spread = 1 - skewness * sr + ((kurtosis - 1) / 4) * sr * sr;
  if (t < 2 || !(spread > 0)) return null;
  const sr0 = computeExpectedMaxSharpe(input.trials, input.trialVariance);
  return computeNormalCdf(((sr - sr0) * Math.sqrt(t - 1)) / Math.sqrt(spread));
}

export interface DeflatedSharpeResult {
  /** The combination deflated (index into the series). */
  combination: number;
  trials: number;
  /** Combinations whose Sharpe ratio is defined (returns that vary): V[SR] is taken over these. */
  trialsWithSharpe: number;
  observations: number;
  /** Per period, and × √252 as barwise reports Sharpe elsewhere. */
  sharpe: number;
  sharpeAnnualised: number;
  trialVariance: number;
  expectedMaxSharpe: number;
  expectedMaxSharpeAnnualised: number;
  skewness: number;
  kurtosis: number;
  dsr: number | null;
}

/**
 * The deflated Sharpe ratio of one combination among all tried, from every combination's daily returns
 * (`series[combination][day]`, the same days for each). `combination`: the one to deflate, by default the one
 * with the highest Sharpe ratio (ties: the lowest index). N counts every combination; V[SR] is the sample
 * variance (n − 1) of the Sharpe ratios that are defined. Null when the chosen combination's returns never vary.
 */
export function deflateSharpe(series: readonly (readonly number[])[], o: { combination?: number } = {}): DeflatedSharpeResult | null {
  const named = o.combination;
  if (named !== undefined && !(Number.isInteger(named) && named >= 0 && named < series.length)) {
    throw new BarwiseError('USAGE', `no combination ${named} to deflate: the sweep has ${series.length} (0 to ${series.length - 1})`);
  }
  checkFiniteReturns(series);
  const moments = series.map((s) => computeReturnMoments(s));
  const sharpes = moments.map((m) => m.sharpe).filter((s): s is number => s !== null);
  let chosen = named ?? -1;
  if (chosen < 0) {
    for (let i = 0; i < moments.length; i++) {
      const s = moments[i].sharpe;
      if (s !== null && (chosen < 0 || s > moments[chosen].sharpe!)) chosen = i;
    }
  }
  const m = moments[chosen];
  if (!m || m.sharpe === null) return null;
  const meanSharpe = sharpes.reduce((a, b) => a + b, 0) / sharpes.length;
  const trialVariance = sharpes.length > 1 ? sharpes.reduce((a, s) => a + (s - meanSharpe) ** 2, 0) / (sharpes.length - 1) : 0;
  const sr0 = computeExpectedMaxSharpe(series.length, trialVariance);
  const annualise = Math.sqrt(TRADING_DAYS_PER_YEAR);
  const skewness = m.skewness!;
  const kurtosis = m.kurtosis!;
  return {
    combination: chosen, trials: series.length, trialsWithSharpe: sharpes.length, observations: m.n,
    sharpe: m.sharpe, sharpeAnnualised: m.sharpe * annualise, trialVariance,
    expectedMaxSharpe: sr0, expectedMaxSharpeAnnualised: sr0 * annualise,
    skewness, kurtosis,
    dsr: computeDeflatedSharpe({ sharpe: m.sharpe, trials: series.length, trialVariance, observations: m.n, skewness, kurtosis }),
  };
}
