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
import { FIVE_BARS, RUN_ROW, recordsOf, simulatedDay } from '../../helpers/candidates.js';
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
    // Tickers recorded out of their order, and B's day recorded twice: first in full, then with only its SHORT,
    // which is the day's candidates from then on (its LONG gone).
    const tasks: [string, DayOutcome][] = [['C', dayOf('C')], ['B', dayOf('B')], ['A', dayOf('A', [signalAt(BARS, 0, 'LONG')])], ['B', dayOf('B', [signalAt(BARS, 1, 'SHORT')])]];
    for (const [ticker, day] of tasks) {
      db.recordTask(runId, ticker, [day], [], []);
      kept.keep(ticker, [day]);
    }
    const back = db.readCandidates(runId);
    expect(back.map((c) => `${c.ticker} ${c.direction}`)).to.deep.equal(['A LONG', 'C LONG', 'B SHORT', 'C SHORT']);
    expect(plain(kept.list())).to.deep.equal(plain(back));
    const rules = { ...noRules(), maxPositions: 2 };
    const pass = runPortfolioPass(kept.list(), rules);
    expect(pass.trades).to.have.length(2);
    expect(pass).to.deep.equal(runPortfolioPass(back, rules));
    // As the engine passes over them: the numbers read from the kept bytes, a day decoded when it is opened.
    expect(runPortfolioPass(kept.columns(), rules)).to.deep.equal(pass);
    db.close();
  });

  it('give the trade context and finished days the results database reads back from the recorded days', () => {
    const db = new ResultsDb(':memory:');
    const runId = db.startRun(RUN);
    const kept = new KeptCandidates();
    const day = (date: string, span: [number, number] | undefined, untraded?: Record<string, number>, extra: Partial<DayOutcome> = {}): DayOutcome => (
      { date, bars: 5, steps: 3, skipped: false, signals: [], ...(span ? { span } : {}), ...(untraded ? { untraded } : {}), ...extra });
    // Tickers and dates out of order; a failed day (not finished, its span still a session's); a skipped day;
    // an empty untraded record; B's 2024-03-04 recorded twice, the second replacing the first.
    const tasks: [string, DayOutcome[]][] = [
      ['C', [day('2024-03-05', [500, 900], { no_entry_bar: 1 }), day('2024-03-04', [100, 600])]],
      ['B', [day('2024-03-04', [50, 700], { no_entry_bar: 5 })]],
      ['A', [day('2024-03-05', [400, 950], { halted: 2, no_entry_bar: 1 }, { error: { code: 'SCANNER_THREW', message: 'x' } }), day('2024-03-06', undefined, {}, { skipped: true, steps: 0 })]],
      ['B', [day('2024-03-04', [80, 650], { no_entry_bar: 1 })]],
    ];
    for (const [ticker, days] of tasks) {
      db.recordTask(runId, ticker, days, [], days.filter((d) => d.error).map((d) => ({ ticker, date: d.date, ...d.error! })));
      kept.keep(ticker, days);
    }
    // By hand: spans per date over tickers (B's second record: 80..650), untraded summed with B's first record replaced.
    const expected = { untraded: { halted: 2, no_entry_bar: 3 }, sessions: new Map([['2024-03-04', [80, 650]], ['2024-03-05', [400, 950]]]) };
    expect(db.readTradeContext(runId)).to.deep.equal(expected);
    expect(kept.tradeContext()).to.deep.equal(expected);
    expect([...kept.tradeContext().sessions.keys()]).to.deep.equal(['2024-03-04', '2024-03-05']);
    expect(Object.keys(kept.tradeContext().untraded)).to.deep.equal(['halted', 'no_entry_bar']);
    const finished = [{ ticker: 'A', date: '2024-03-06' }, { ticker: 'B', date: '2024-03-04' }, { ticker: 'C', date: '2024-03-04' }, { ticker: 'C', date: '2024-03-05' }];
    expect(db.readFinishedDays(runId)).to.deep.equal(finished);
    expect(kept.finishedDays()).to.deep.equal(finished);
    db.close();
  });

  it('decodes a day only when the pass opens one of its candidates', () => {
    const kept = new KeptCandidates();
    const a = dayOf('A', [signalAt(BARS, 0, 'LONG')]);
    const b = dayOf('B', [signalAt(BARS, 0, 'LONG')]);
    // B's texts damaged (its numbers whole): decoding B's day throws, so a pass that never opens B never decodes it.
    const damaged = Uint8Array.from(b.candidates!);
    damaged[damaged.length - 2] = 0x7b;
    kept.keep('A', [a]);
    kept.keep('B', [{ ...b, candidates: damaged }]);
    const one = runPortfolioPass(kept.columns(), { ...noRules(), maxPositions: 1 });
    expect(one.trades.map((t) => t.ticker)).to.deep.equal(['A']);
    expect(one.untraded).to.deep.equal({ max_positions: 1 });
    expect(() => runPortfolioPass(kept.columns(), { ...noRules(), maxPositions: 2 })).to.throw(/candidates/);
  });

  it('decodes a day\'s price path only when the marks of one of its candidates are read', () => {
    const kept = new KeptCandidates();
    const day = dayOf('A');
    // Damaged bytes: decoding them throws, so reading a candidate without its marks proves they were not decoded.
    kept.keep('A', [{ ...day, prices: new Uint8Array([1, 0, 9]) }]);
    const [long] = kept.list();
    expect(long.entry_price).to.equal(recordsOf(day)[0].entry_price);
    expect(() => long.marks).to.throw(/price path/);
  });
});
