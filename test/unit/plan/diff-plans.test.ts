/**
 * Plan differences are named as the caller spells the option, content changes say so, speed-only options
 * are no difference, and a difference nothing names specifically still counts.
 */
import { expect } from 'chai';
import { CLI, LIBRARY } from '../../../src/config/options.js';
import { diffPlans } from '../../../src/plan/diff-plans.js';
import type { RunPlan } from '../../../src/plan/run-plan.js';

function makePlan(): RunPlan {
  return {
    version: '1.0.0',
    db: '/data/m.db',
    scanner: { path: '/s/scan.ts', kind: 'module', name: 'scan', meta: {}, sha256: 'a'.repeat(64), files: ['scan.ts'] },
    universe: { tickers: ['AAA', 'BBB'], withoutBars: [], from: '2025-11-03', to: '2025-11-05' },
    options: { warmup: 30, signals: 'first', session: 'regular', timeframe: '5min', mode: 'realtime', persistent: false, threads: 2, stepTimeoutMs: 120_000, workerMemoryMb: 2048 },
    context: { references: [], lookbackDays: 0, dailyBars: 0 },
    params: {},
    trade: { direction: 'LONG', entry: 'next-open', stopPct: 1, atrPeriod: 14, slippageBps: 0, commissionPerShare: 0, commissionMin: 1, size: { mode: 'shares', value: 100 }, capital: 100_000, maxExposure: 1 },
    market: { sha256: 'm1', tickers: { AAA: [10, 1, 2, 'x'], BBB: [10, 1, 2, 'y'] } },
  };
}

describe('plan: differences between a recorded and a new plan', () => {
  it('names a changed rule by its flag on the CLI and by its key in the library, and nothing else', () => {
    const now = makePlan();
    now.trade!.stopPct = 2;
    expect(diffPlans(makePlan(), now, CLI).map((d) => `${d.what} was ${d.was}, now ${d.now}`)).to.deep.equal(['--stop-pct was 1, now 2']);
    expect(diffPlans(makePlan(), now, LIBRARY)[0].what).to.equal('options.trade.stopPct');
    expect(diffPlans(makePlan(), now, { kind: 'batch', at: 'jobs[2].options' })[0].what).to.equal('jobs[2].options.trade.stopPct');
  });

  it('ignores speed-only options', () => {
    const now = makePlan();
    Object.assign(now.options, { threads: 8, stepTimeoutMs: 5000, workerMemoryMb: 512 });
    expect(diffPlans(makePlan(), now, CLI)).to.deep.equal([]);
  });

  it('reports changed market data and scanner code as content, naming the tickers and files', () => {
    const now = makePlan();
    now.market = { sha256: 'm2', tickers: { AAA: [10, 1, 2, 'x'], BBB: [9, 1, 2, 'z'] } };
    now.scanner.sha256 = 'b'.repeat(64);
    now.scanner.files = ['lib/h.ts', 'scan.ts'];
    const d = diffPlans(makePlan(), now, CLI);
    expect(d.map((x) => [x.what, x.content])).to.deep.equal([["the scanner's code (lib/h.ts, scan.ts)", true], ['the market data the run reads', true]]);
    expect(d[1].was).to.equal('BBB: 10 bars, checksum y');
    expect(d[1].now).to.equal('BBB: 9 bars, checksum z');
  });

  it('still refuses a difference of the identity that no field names', () => {
    const now = makePlan();
    now.scanner.meta = { warmup: 5 };
    const d = diffPlans(makePlan(), now, CLI);
    expect(d).to.have.length(1);
    expect(d[0].what).to.equal('the run plan (runs.plan_json)');
  });
});
