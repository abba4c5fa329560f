/**
 * The moments of a series of per-period returns that the overfitting figures read: the Sharpe ratio per
 * period (not annualised: mean / sample standard deviation, risk-free rate 0, as stats/sharpe.ts before its
 * √252), and the skewness γ3 and kurtosis γ4 (not excess: 3 for a normal distribution) as Bailey & López de
 * Prado use them, from the population moments m2, m3, m4 about the mean: γ3 = m3 / m2^1.5, γ4 = m4 / m2².
 */

import { BarwiseError } from '../errors.js';

export interface ReturnMoments {
  /** Number of returns. */
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a constant series. */
  sd: number;
  /** mean / sd; null with fewer than two returns or a constant series (no risk to divide by). */
  sharpe: number | null;
  /** Null where sharpe is null. */
  skewness: number | null;
  kurtosis: number | null;
}

export function computeReturnMoments(returns: readonly number[]): ReturnMoments {
  const n = returns.length;
  if (n === 0) return { n, mean: 0, sd: 0, sharpe: null, skewness: null, kurtosis: null };
  let sum = 0;
  for (const r of returns) sum += r;
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const r of returns) {
    const d = r - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  // A constant series is told by its values, not by m2: the mean's rounding would leave m2 a speck above 0.
  if (n < 2 || returns.every((r) => r === returns[0])) return { n, mean, sd: 0, sharpe: null, skewness: null, kurtosis: null };
  const sd = Math.sqrt(m2 / (n - 1));
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { n, mean, sd, sharpe: mean / sd, skewness: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
}

/** Every return a finite number: a NaN or ∞ would make every comparison after it meaningless. */
export function checkFiniteReturns(returns: readonly (readonly number[])[]): void {
  returns.forEach((r, c) => {
    const day = r.findIndex((x) => !Number.isFinite(x));
    if (day >= 0) throw new BarwiseError('USAGE', `combination ${c} has a daily return of ${r[day]} on day ${day}: returns must be finite numbers`);
  });
}
