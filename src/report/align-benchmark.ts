/**
 * The benchmark's equity at each point of the strategy's equity curve, for the report's overlay. The benchmark
 * is known once a day (its session close), so a point takes the latest close known at its time: the close of
 * the previous session, and for the last point of a session that session's own close. Before any close, the
 * capital (the buy at the first open).
 */
import { exchangeDate } from '../data/exchange-time.js';
import type { EquityPoint } from '../stats/equity-curve.js';

export function alignBenchmark(points: readonly EquityPoint[], sessions: readonly { date: string; equity: number }[], capital: number): number[] {
  const dates = points.map((p) => exchangeDate(p.ts));
  let j = 0;
  let known = capital;
  return points.map((_, i) => {
    // The first point is the capital, before the first fill: the benchmark is bought then too.
    if (i === 0) return capital;
    const date = dates[i];
    const lastOfSession = i === points.length - 1 || dates[i + 1] !== date;
    while (j < sessions.length && (sessions[j].date < date || (lastOfSession && sessions[j].date === date))) known = sessions[j++].equity;
    return Math.round(known * 100) / 100;
  });
}
