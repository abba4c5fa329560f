/**
 * Beta and correlation of the strategy's daily returns s against the benchmark's b, over the same sessions:
 * beta = cov(s, b) / var(b), correlation = cov(s, b) / (sd(s) × sd(b)), sample moments (n − 1). Null with
 * fewer than two sessions, or when a series never varies (correlation also when the strategy never varies).
 */
import { mean } from './average-win-loss.js';

export function computeBetaCorrelation(s: readonly number[], b: readonly number[]): { beta: number | null; correlation: number | null } {
  const n = Math.min(s.length, b.length);
  if (n < 2) return { beta: null, correlation: null };
  const ms = mean(s.slice(0, n))!;
  const mb = mean(b.slice(0, n))!;
  let cov = 0;
  let vs = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (s[i] - ms) * (b[i] - mb);
    vs += (s[i] - ms) ** 2;
    vb += (b[i] - mb) ** 2;
  }
  return { beta: vb > 0 ? cov / vb : null, correlation: vb > 0 && vs > 0 ? cov / Math.sqrt(vs * vb) : null };
}
