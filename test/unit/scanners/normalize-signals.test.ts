import { expect } from 'chai';
import { normalizeSignals } from '../../../src/scanners/normalize-signals.js';
import type { Bar } from '../../../src/types.js';

const bar: Bar = { ticker: 'SPY', timestamp: 1762180200000, time_of_day: '09:30:00', open: 1, high: 2, low: 1, close: 2, volume: 5 };
const stamp = { ticker: 'SPY', date: '2025-11-03', bar };

describe('signal normalisation', () => {
  it('treats null, undefined and an empty array as no signal', () => {
    expect(normalizeSignals(null, stamp)).to.deep.equal([]);
    expect(normalizeSignals(undefined, stamp)).to.deep.equal([]);
    expect(normalizeSignals([], stamp)).to.deep.equal([]);
  });

  it('stamps ticker, date, time and timestamp itself, whatever the scanner claims', () => {
    const [s] = normalizeSignals({ ticker: 'AAPL', signal_time: '15:55:00', timestamp: 1, direction: 'long', pattern_strength: 2, metrics: { a: 1 }, extra: 'x' }, stamp);
    expect(s).to.deep.equal({
      ticker: 'SPY', signal_date: '2025-11-03', signal_time: '09:30:00', timestamp: 1762180200000, seq: 0,
      direction: 'LONG', pattern_strength: 2, metrics: { extra: 'x', a: 1 },
    });
  });

  it('numbers several signals of one step in order', () => {
    expect(normalizeSignals([{ direction: 'LONG' }, { direction: 'SHORT' }], stamp).map((s) => s.seq)).to.deep.equal([0, 1]);
  });

  for (const [what, value] of [['a number', 42], ['a string', 'BUY'], ['true', true], ['an array inside', [[1]]]] as const) {
    it(`refuses garbage: ${what}`, () => {
      expect(() => normalizeSignals(value, stamp)).to.throw(/expected null, a signal object, or an array/);
    });
  }

  it('refuses a non-string direction and a non-number strength', () => {
    expect(() => normalizeSignals({ direction: 1 }, stamp)).to.throw(/direction must be a string/);
    expect(() => normalizeSignals({ pattern_strength: 'high' }, stamp)).to.throw(/pattern_strength must be a number/);
  });

  it('refuses metrics that are not JSON data', () => {
    expect(() => normalizeSignals({ metrics: { f: () => 1 } }, stamp)).to.throw(/not JSON data/);
    expect(() => normalizeSignals({ metrics: { n: 10n } }, stamp)).to.throw(/not JSON data/);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => normalizeSignals({ metrics: circular }, stamp)).to.throw(/not JSON data/);
  });
});
