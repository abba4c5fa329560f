/**
 * The candidates a run keeps as it records them are the ones the results database gives back: same records,
 * same order, same marks (the marks hand-computed in stored-candidates.test.ts), a later record of a
 * ticker-day replacing an earlier one as INSERT OR REPLACE does; and a day's path is decoded only when the pass
 * reads the marks of one of its candidates.
 */
import { expect } from 'chai';
import { ResultsDb } from '../../../src/results/results-db.js';
import { KeptCandidates } from '../../../src/portfolio/kept-candidates.js';
import { runPortfolioPass } from '../../../src/portfolio/portfolio-pass.js';
import type { DayOutcome } from '../../../src/runtime/task-types.js';
import { FIVE_BARS, RUN_ROW, simulatedDay } from '../../helpers/candidates.js';
import { noRules, signalAt } from '../../helpers/trade-bars.js';

const RUN = RUN_ROW;
const BARS = FIVE_BARS;

/** A ticker's day: its candidates as the simulation makes them, renamed to `ticker`. */
const dayOf = (ticker: string, signals = [signalAt(BARS, 0, 'LONG'), signalAt(BARS, 1, 'SHORT')]): DayOutcome => simulatedDay(BARS, signals, ticker);

/** What a reader of candidates sees: every field, the marks as plain numbers. */
const plain = (cs: readonly { marks: ArrayLike<number> }[]) => cs.map((c) => ({ ...c, marks: Array.from(c.marks) }));

describe('portfolio: candidates kept as they are recorded', () => {
  it('are the candidates the results database reads back, in its order, with the same marks', () => {
    const db = new ResultsDb(':memory:');
    const runId = db.startRun(RUN);
    const kept = new KeptCandidates();
    // Tickers recorded out of their order, and B's day recorded twice: first with only its SHORT, then in full.
    const tasks: [string, DayOutcome][] = [['C', dayOf('C')], ['B', dayOf('B', [signalAt(BARS, 1, 'SHORT')])], ['A', dayOf('A', [signalAt(BARS, 0, 'LONG')])], ['B', dayOf('B')]];
    for (const [ticker, day] of tasks) {
      db.recordTask(runId, ticker, [day], [], [], day.candidates);
      kept.keep(ticker, [day]);
    }
    const back = db.readCandidates(runId);
    expect(back.map((c) => `${c.ticker} ${c.direction}`)).to.deep.equal(['A LONG', 'B LONG', 'C LONG', 'B SHORT', 'C SHORT']);
    expect(plain(kept.list())).to.deep.equal(plain(back));
    const rules = { ...noRules(), maxPositions: 2 };
    const pass = runPortfolioPass(kept.list(), rules);
    expect(pass.trades).to.have.length(2);
    expect(pass).to.deep.equal(runPortfolioPass(back, rules));
    db.close();
  });

  it('decodes a day\'s price path only when the marks of one of its candidates are read', () => {
    const kept = new KeptCandidates();
    const day = dayOf('A');
    // Damaged bytes: decoding them throws, so reading a candidate without its marks proves they were not decoded.
    kept.keep('A', [{ ...day, prices: new Uint8Array([1, 0, 9]) }]);
    const [long] = kept.list();
    expect(long.entry_price).to.equal(day.candidates![0].entry_price);
    expect(() => long.marks).to.throw(/price path/);
  });
});
