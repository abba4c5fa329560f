import { expect } from 'chai';
import { BarwiseError } from '../../../src/errors.js';
import { makeReferenceBars } from '../../../src/scanners/reference-bars.js';
import type { Bar } from '../../../src/types.js';

const bar = (ticker: string, timestamp: number): Bar => ({ ticker, timestamp, time_of_day: '09:30:00', open: 1, high: 1, low: 1, close: 1, volume: 1 });

describe('ctx.refs', () => {
  it('gives a declared reference\'s bars, whatever the case of the name, building them once', () => {
    let built = 0;
    const refs = makeReferenceBars(['SPY'], { bars: () => (built++, [bar('SPY', 1)]), history: () => [], daily: () => [] });
    expect(refs.get('spy')).to.deep.equal([bar('SPY', 1)]);
    expect(refs.get('SPY')).to.equal(refs.get('spy'));
    expect(built).to.equal(1);
    expect(refs.tickers).to.deep.equal(['SPY']);
  });

  it('gives a reference\'s previous days and daily bars, each built once', () => {
    let built = 0;
    const past = [bar('SPY', 0)];
    const refs = makeReferenceBars(['SPY'], { bars: () => [], history: () => (built++, past), daily: () => [] });
    expect(refs.history('spy')).to.equal(past);
    expect(refs.history('SPY')).to.equal(past);
    expect(refs.daily('SPY')).to.deep.equal([]);
    expect(built).to.equal(1);
  });

  it('refuses a ticker that is not a reference, saying how to declare it', () => {
    const refs = makeReferenceBars(['SPY'], { bars: () => [], history: () => [], daily: () => [] });
    expect(() => refs.get('QQQ')).to.throw(BarwiseError, /QQQ is not a reference ticker of this run \(references: SPY\)/)
      .with.property('hint').that.matches(/references: \['QQQ'\]/);
    expect(() => refs.daily('qqq')).to.throw(BarwiseError, /ctx\.refs\.daily\("qqq"\): QQQ is not a reference ticker/);
  });
});
