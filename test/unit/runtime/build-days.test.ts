import { expect } from 'chai';
import { buildDays, describeBadBar } from '../../../src/runtime/build-days.js';
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
});
