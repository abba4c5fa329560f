/**
 * The benchmark on a hand-made series: buy at the first open, daily returns close over close, a session without
 * bars carried at 0 return, beta and correlation against the strategy's daily returns worked out by hand and
 * recomputed here by the plain formulas over arrays.
 */
import { expect } from 'chai';
import { buildBenchmarkEquity, computeBenchmark, type BenchmarkSeries } from '../../../src/stats/benchmark.js';
import { computeBetaCorrelation } from '../../../src/stats/beta-correlation.js';
import { computeStats } from '../../../src/stats/compute-stats.js';
import { alignBenchmark } from '../../../src/report/align-benchmark.js';
import { nyTime } from '../../helpers/bars.js';
import type { Trade } from '../../../src/types.js';

const D = ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06'];

// Bought at 100; +2%, no bars, −5%, +5%: closes 102, (102), 96.9, 101.745.
const SERIES: BenchmarkSeries = {
  ticker: 'SPY', source: 'market.db',
  sessions: [
    { date: D[0], open: 100, close: 102 }, { date: D[1], open: null, close: null },
    { date: D[2], open: 101, close: 96.9 }, { date: D[3], open: 97, close: 101.745 },
  ],
};
const BENCH_DAILY = [0.02, 0, -0.05, 0.05];
// The strategy: no trade on the 4th (a 0-return day).
const STRATEGY = new Map([[D[0], 0.01], [D[2], -0.02], [D[3], 0.03]]);
const STRAT_DAILY = [0.01, 0, -0.02, 0.03];

/** Sample covariance / variances by the textbook formulas. */
function plainMoments(s: number[], b: number[]) {
  const m = (x: number[]) => x.reduce((a, v) => a + v, 0) / x.length;
  const ms = m(s);
  const mb = m(b);
  const cov = s.reduce((a, v, i) => a + (v - ms) * (b[i] - mb), 0) / (s.length - 1);
  const vs = s.reduce((a, v) => a + (v - ms) ** 2, 0) / (s.length - 1);
  const vb = b.reduce((a, v) => a + (v - mb) ** 2, 0) / (b.length - 1);
  return { beta: cov / vb, correlation: cov / Math.sqrt(vs * vb) };
}

describe('stats: benchmark', () => {
  it('returns the buy and hold from the first open to the last close, and its drawdown over the daily closes', () => {
    const b = computeBenchmark(SERIES, STRATEGY, 3);
    expect(b.return_pct).to.be.closeTo(1.745, 1e-9);
    expect(b.max_drawdown_pct).to.be.closeTo(5, 1e-9); // 102 → 96.9
    expect(b.excess_return_pct).to.be.closeTo(3 - 1.745, 1e-9);
    expect(b).to.include({ ticker: 'SPY', sessions: 4, missing_sessions: 1 });
    expect(b.note).to.equal('benchmark SPY has no bars on 1 of 4 session(s) (first 2025-03-04); its price is carried over them (0 return)');
  });

  it('gives beta and correlation of daily returns, sessions without trades counting as 0 for the strategy', () => {
    const b = computeBenchmark(SERIES, STRATEGY, 3);
    // By hand: deviations s = [.005, −.005, −.025, .025], b = [.015, −.005, −.055, .045]; Σ s·b = .0026, Σ b² = .0053, Σ s² = .0013.
    expect(b.beta).to.be.closeTo(0.0026 / 0.0053, 1e-9);
    expect(b.correlation).to.be.closeTo(0.0026 / Math.sqrt(0.0053 * 0.0013), 1e-9);
    const plain = plainMoments(STRAT_DAILY, BENCH_DAILY);
    expect(b.beta).to.be.closeTo(plain.beta, 1e-12);
    expect(b.correlation).to.be.closeTo(plain.correlation, 1e-12);
  });

  it('has a beta of 2 and a correlation of 1 for a strategy that moves twice the benchmark, and none without variation', () => {
    const r = computeBetaCorrelation(BENCH_DAILY.map((x) => 2 * x), BENCH_DAILY);
    expect(r.beta).to.be.closeTo(2, 1e-12);
    expect(r.correlation).to.be.closeTo(1, 1e-12);
    expect(computeBetaCorrelation([0, 0, 0], [0.01, 0, -0.01]).correlation).to.equal(null);
    expect(computeBetaCorrelation([0.01], [0.02])).to.deep.equal({ beta: null, correlation: null });
  });

  it('buys at the first session with bars when the first sessions have none', () => {
    const b = computeBenchmark({ ticker: 'QQQ', source: 'm.db', sessions: [{ date: D[0], open: null, close: null }, { date: D[1], open: 50, close: 55 }] }, new Map(), 0);
    expect(b.return_pct).to.be.closeTo(10, 1e-9);
    expect(b.missing_sessions).to.equal(1);
  });

  it('is a note, not figures, when the store does not have the ticker', () => {
    const absent = { ticker: 'SPY', source: 'market.db', sessions: D.map((date) => ({ date, open: null, close: null })) };
    const b = computeBenchmark(absent, STRATEGY, 3);
    expect(b).to.include({ return_pct: null, beta: null, correlation: null, excess_return_pct: null });
    expect(b.note).to.equal('benchmark SPY is not in market.db; pass --benchmark TICKER or none');
  });

  it('scales the benchmark to the capital at each session close', () => {
    expect(buildBenchmarkEquity(SERIES, 10_000).map((p) => Math.round(p.equity * 100) / 100)).to.deep.equal([10_200, 10_200, 9_690, 10_174.5]);
  });

  it('is in a run\'s stats beside the strategy\'s own returns, and null with --benchmark none', () => {
    const trade = (date: string, pnl: number) => ({ ticker: 'T', date, direction: 'LONG', pnl, return_pct: 0, commission: 0, bars_held: 1,
      entry_ts: nyTime(date, '10:00'), exit_ts: nyTime(date, '11:00'), signal_time: '10:00:00', r_multiple: null, mae_pct: 0, mfe_pct: 0 }) as unknown as Trade;
    const sessions = new Map(D.map((d) => [d, [nyTime(d, '09:30'), nyTime(d, '16:00')] as const]));
    // +100 on 10 000, −202 on 10 100, +297 on 9 898: the daily returns 0.01, 0, −0.02, 0.03 (to 6 decimals).
    const trades = [trade(D[0], 100), trade(D[2], -202), trade(D[3], 296.94)];
    const input = { trades, signals: 3, untraded: {}, sessions, capital: 10_000 };
    const stats = computeStats({ ...input, benchmark: SERIES });
    expect(stats.benchmark!.beta).to.be.closeTo(0.0026 / 0.0053, 1e-5);
    expect(stats.benchmark!.excess_return_pct).to.be.closeTo(stats.total_return_pct - 1.745, 1e-6);
    expect(computeStats(input).benchmark).to.equal(null);
  });
});

describe('report: the benchmark line beside the equity curve', () => {
  it('takes at each point the latest session close known then: the previous close, and at a session\'s last point its own', () => {
    const points = [
      { ts: nyTime(D[0], '09:35'), equity: 10_000 }, { ts: nyTime(D[0], '11:00'), equity: 10_050 }, { ts: nyTime(D[0], '15:00'), equity: 10_100 },
      { ts: nyTime(D[2], '10:00'), equity: 10_000 }, { ts: nyTime(D[3], '12:00'), equity: 10_200 },
    ];
    expect(alignBenchmark(points, buildBenchmarkEquity(SERIES, 10_000), 10_000)).to.deep.equal([10_000, 10_000, 10_200, 9_690, 10_174.5]);
  });
});
