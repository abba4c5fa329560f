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
});
