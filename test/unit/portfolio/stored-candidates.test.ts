/**
 * What the results database keeps for the portfolio pass: every candidate back exactly as recorded (its marks
 * bit for bit through the BLOB), in the total order of their signals, and the pass's trades and equity series
 * replacing the run's recorded ones when it finishes.
 */
import { expect } from 'chai';
import { ResultsDb } from '../../../src/results/results-db.js';
import { runPortfolioPass } from '../../../src/portfolio/portfolio-pass.js';
import { candidate } from '../../helpers/candidates.js';
import { noRules } from '../../helpers/trade-bars.js';

const RUN = { started_at: 't', scanner: 's', scanner_name: 's', db: 'd', from_date: 'a', to_date: 'b', threads: 1, warmup: 0, mode: 'm', version: 'v', inputs: {}, plan: {}, plan_hash: 'h' };
const TOTALS = { status: 'completed' as const, finished_at: 'f', ticker_days: 1, steps: 1, signal_count: 2, failure_count: 0, wall_ms: 1 };

describe('portfolio: candidates and equity in the results database', () => {
  it('reads candidates back exactly, marks included, in the order of their signals', () => {
    const db = new ResultsDb(':memory:');
    const runId = db.startRun(RUN);
    // Awkward doubles (a third, a tiny fraction) must come back bit for bit.
    const a = candidate({ ticker: 'B', entry: 10, exit: 30, entryQuote: 100 / 3, exitQuote: 34, closes: [[15, 1 / 3], [20, 33.000000000001], [25, 1e-9]], strength: 2, risk: 0.1 });
    const b = candidate({ ticker: 'A', entry: 10, exit: 20, entryQuote: 50, exitQuote: 49, seq: 1 });
    db.recordTask(runId, 'B', [], [], [], [a]);
    db.recordTask(runId, 'A', [], [], [], [b]);
    const back = db.readCandidates(runId);
    expect(back.map((c) => c.ticker)).to.deep.equal(['A', 'B']); // same signal bar: ticker order
    expect(back[1]).to.deep.equal(a);
    expect(back[1].marks).to.be.instanceOf(Float64Array);
    expect(Array.from(back[1].marks)).to.deep.equal(Array.from(a.marks));
    db.close();
  });

  it('replaces the trades and equity series with the pass\'s when the run finishes', () => {
    const db = new ResultsDb(':memory:');
    const runId = db.startRun(RUN);
    const c = candidate({ ticker: 'A', entry: 10, exit: 20, entryQuote: 50, exitQuote: 51, closes: [[15, 49]] });
    const pass = runPortfolioPass([c], noRules());
    db.finishRun(runId, { ...TOTALS, portfolio: { trades: pass.trades, equity: pass.equity } });
    db.finishRun(runId, { ...TOTALS, portfolio: { trades: pass.trades, equity: pass.equity } });
    expect(db.readEquity(runId)).to.deep.equal(pass.equity);
    expect(db.readTrades(runId)).to.deep.equal(pass.trades);
    db.close();
  });
});
