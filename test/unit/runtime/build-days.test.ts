import { expect } from 'chai';
import { buildDays, describeBadBar, sessionStamps } from '../../../src/runtime/build-days.js';
import type { RawBar } from '../../../src/data/market-store.js';

// 2025-11-03 09:30 New York (EST) is 14:30 UTC.
const T0 = Date.parse('2025-11-03T14:30:00Z');
const bar = (i: number, over: Partial<Record<'o' | 'h' | 'l' | 'c' | 'v', number | null>> = {}): RawBar =>
  [T0 + i * 300_000, over.o ?? 10, over.h ?? 11, over.l ?? 9, over.c === undefined ? 10.5 : over.c, over.v ?? 100] as RawBar;

describe('buildDays: bars a scanner must not see silently', () => {
  it('accepts a normal bar, including zero volume', () => {
    expect(describeBadBar(bar(0, { v: 0 }), '09:30:00')).to.equal(undefined);
  });

  it('names NULL (stored NaN), non-positive prices, negative volume and high below low', () => {
    expect(describeBadBar(bar(0, { c: null }), '09:30:00')).to.equal('bar at 09:30:00 has close NULL (NaN is stored as NULL)');
    expect(describeBadBar(bar(0, { o: 0 }), '09:30:00')).to.equal('bar at 09:30:00 has a price that is not positive');
    expect(describeBadBar(bar(0, { v: -5 }), '09:30:00')).to.equal('bar at 09:30:00 has volume -5, which is negative');
    expect(describeBadBar(bar(0, { h: 8 }), '09:30:00')).to.equal('bar at 09:30:00 has high 8 below low 9');
  });

  it('marks the day with its first bad bar and keeps the first copy of a repeated timestamp', () => {
    const days = buildDays('AAA', [bar(0), bar(0, { c: 99 }), bar(1, { v: -1 }), bar(2, { c: null })], 'regular');
    expect(days).to.have.length(1);
    expect(days[0].bars.map((b) => b.close)).to.deep.equal([10.5, 10.5, null]);
    expect(days[0].problem).to.equal('bar at 09:35:00 has volume -1, which is negative');
  });

  it('names the first bad bar of a day of numbers too (negative volume, high below low, a price outside the range)', () => {
    const problemOf = (bars: RawBar[]) => buildDays('AAA', bars, 'regular')[0].problem;
    expect(problemOf([bar(0), bar(1, { v: -1 }), bar(2, { h: 8 })])).to.equal('bar at 09:35:00 has volume -1, which is negative');
    expect(problemOf([bar(0), bar(1, { h: 8 })])).to.equal('bar at 09:35:00 has high 8 below low 9');
    expect(problemOf([bar(0, { c: 11.5 })])).to.equal('bar at 09:30:00: close 11.5 is outside the bar\'s range [low 9, high 11]');
    expect(problemOf([bar(0, { o: 0, l: 0 })])).to.equal('bar at 09:30:00 has a price that is not positive');
    expect(problemOf([bar(0, { v: 0 }), bar(1)])).to.equal(undefined);
  });

  it('builds a day\'s bars only as far as they are asked for, each frozen with the fields in the same order', () => {
    const [day] = buildDays('AAA', [bar(0), bar(1, { c: 10.25 }), bar(2, { v: 0 })], 'regular');
    expect(day.barCount).to.equal(3);
    const grown = day.barsTo(0);
    expect(grown).to.have.length(1);
    expect(day.barsTo(1)).to.equal(grown).and.to.have.length(2); // the same array, grown
    expect(day.bars).to.equal(grown);
    expect(grown.map((b) => Object.keys(b))).to.deep.equal(Array(3).fill(['ticker', 'timestamp', 'time_of_day', 'open', 'high', 'low', 'close', 'volume']));
    expect(grown[1]).to.deep.equal({ ticker: 'AAA', timestamp: T0 + 300_000, time_of_day: '09:35:00', open: 10, high: 11, low: 9, close: 10.25, volume: 100 });
    expect(grown.every((b) => Object.isFrozen(b))).to.equal(true);
  });
});

describe('sessionStamps: where a day\'s bars are, from its timestamps alone', () => {
  // 2025-11-03 in New York: 04:00 (pre-market), 09:25, 09:30 twice (a repeated row), 15:55, 16:00 (after the close).
  const at = (hhmm: string) => Date.parse(`2025-11-03T${hhmm}:00-05:00`);
  const stamps = ['04:00', '09:25', '09:30', '09:30', '15:55', '16:00'].map(at);

  it('drops repeats and, in the regular session, what lies outside 09:30-16:00', () => {
    expect(sessionStamps(stamps, 'regular')).to.deep.equal([at('09:30'), at('15:55')]);
    expect(sessionStamps(stamps, 'extended')).to.deep.equal([at('04:00'), at('09:25'), at('09:30'), at('15:55'), at('16:00')]);
  });
});
