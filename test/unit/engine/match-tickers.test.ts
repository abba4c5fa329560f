import { expect } from 'chai';
import { matchTickers } from '../../../src/engine/resolve-universe.js';

describe('matching requested tickers to the database', () => {
  const all = ['AAA', 'Brk.b', 'aaa', 'bbb', 'SPY'];

  it('takes an exact spelling first, else the one spelling equal without case, sorted and without repeats', () => {
    expect(matchTickers(['AAA', 'BBB', 'spy', 'BBB'], all, 'x')).to.deep.equal(['AAA', 'SPY', 'bbb']);
  });

  it('refuses a ticker that fits two spellings and none exactly', () => {
    expect(() => matchTickers(['Aaa'], all, 'x')).to.throw(/ticker Aaa is ambiguous: the database holds AAA and aaa/);
  });

  it('names near spellings of an unknown ticker (case and punctuation aside)', () => {
    expect(() => matchTickers(['BRK B', 'ZZZ'], all, 'no 5min bars in m.db')).to.throw(/^unknown tickers BRK B, ZZZ: no 5min bars in m\.db$/)
      .with.property('hint').that.matches(/^Did you mean BRK B → Brk\.b\? Tickers in this database: AAA, Brk\.b, aaa, bbb, SPY\.$/);
  });

  it('names the closest ticker of a typo (TSLLA → TSLA), and none when no ticker is near', () => {
    const db = ['AAPL', 'AMD', 'MSFT', 'NVDA', 'QQQ', 'SPY', 'TSLA'];
    expect(() => matchTickers(['TSLLA'], db, 'x')).to.throw(/^unknown ticker TSLLA: x$/)
      .with.property('hint').that.matches(/^Did you mean TSLLA → TSLA\? /);
    expect(() => matchTickers(['NVDIA', 'MSTF'], db, 'x')).to.throw()
      .with.property('hint').that.matches(/^Did you mean NVDIA → NVDA, MSTF → MSFT\? /);
    expect(() => matchTickers(['GOOGL'], db, 'x')).to.throw()
      .with.property('hint').that.matches(/^Tickers in this database: AAPL, AMD/);
  });
});
