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

  it('refuses a signal the scanner dates another day (SIGNAL_OUTSIDE_DAY), naming that date and the ticker-day, instead of re-dating it', () => {
    const yesterday = { signal_date: '2025-10-31', direction: 'LONG' };
    expect(() => normalizeSignals(yesterday, stamp)).to.throw(/signal dated 2025-10-31 \(signal_date "2025-10-31"\) while scanning SPY 2025-11-03: it is not a bar of this ticker-day/);
    expect(() => normalizeSignals({ timestamp: Date.parse('2025-10-31T19:55:00Z') }, stamp)).to.throw(/dated 2025-10-31 \(timestamp/);
    expect(() => normalizeSignals({ signal_time: '2025-10-31 15:55:00' }, stamp)).to.throw(/dated 2025-10-31 \(signal_time "2025-10-31 15:55:00"\)/);
    // 01:30 UTC on Nov 4 is 20:30 New York on Nov 3: the same trading date, when the times are read as UTC.
    expect(normalizeSignals({ signal_time: '2025-11-04 01:30' }, { ...stamp, reportedTimeZone: 'UTC' })).to.have.length(1);
    expect(() => normalizeSignals({ signal_time: '2025-11-04 01:30' }, stamp)).to.throw(/dated 2025-11-04/);
    expect(() => normalizeSignals(yesterday, stamp)).to.throw().with.property('code', 'SIGNAL_OUTSIDE_DAY');
  });

  it('accepts the ticker-day\'s own date in any of those fields', () => {
    for (const raw of [{ signal_date: '2025-11-03' }, { timestamp: 1762180200 }, { signal_time: '2025-11-03 15:55' }, { signal_time: '2025-11-03T20:55:00Z' }]) {
      expect(normalizeSignals(raw, stamp)[0].signal_date).to.equal('2025-11-03');
    }
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

  it('refuses NaN, Infinity, a Map, a Set and a typed array in metrics, naming where, instead of storing null or {}', () => {
    expect(() => normalizeSignals({ metrics: { ratio: NaN } }, stamp)).to.throw(/metrics\.ratio is NaN/);
    expect(() => normalizeSignals({ metrics: { deep: { list: [1, -Infinity] } } }, stamp)).to.throw(/metrics\.deep\.list\[1\] is -Infinity/);
    expect(() => normalizeSignals({ metrics: { levels: new Map([['a', 1]]) } }, stamp)).to.throw(/metrics\.levels is a Map .*Object\.fromEntries/);
    expect(() => normalizeSignals({ metrics: { seen: new Set([1]) } }, stamp)).to.throw(/metrics\.seen is a Set/);
    expect(() => normalizeSignals({ metrics: { raw: new Float64Array(2) } }, stamp)).to.throw(/metrics\.raw is a Float64Array/);
    expect(() => normalizeSignals({ pattern_strength: NaN }, stamp)).to.throw(/pattern_strength must be a finite number or null, got NaN/);
  });

  it('keeps what JSON keeps the same on every run: a Date as its ISO string, an object seen twice (not a cycle)', () => {
    const shared = { a: 1 };
    const [s] = normalizeSignals({ metrics: { at: new Date(Date.UTC(2025, 10, 3, 14, 30)), x: shared, y: shared } }, stamp);
    expect(s.metrics).to.deep.equal({ at: '2025-11-03T14:30:00.000Z', x: { a: 1 }, y: { a: 1 } });
  });

  it('refuses metrics over 64 KB of JSON per signal, saying how large they were', () => {
    expect(() => normalizeSignals({ metrics: { bars: 'x'.repeat(10 * 1024 * 1024) } }, stamp)).to.throw(/metrics are 10\.0 MB of JSON, over the limit of 64 KB per signal/);
    const justUnder = 'x'.repeat(64 * 1024 - '{"s":""}'.length);
    expect(normalizeSignals({ metrics: { s: justUnder } }, stamp)[0].metrics.s).to.equal(justUnder);
    expect(() => normalizeSignals({ metrics: { s: `${justUnder}x` } }, stamp)).to.throw(/over the limit of 64 KB/);
  });

  it('refuses a direction longer than a label', () => {
    expect(() => normalizeSignals({ direction: 'L'.repeat(65) }, stamp)).to.throw(/direction must be a short label .* of 65 characters/);
    expect(normalizeSignals({ direction: 'l'.repeat(64) }, stamp)[0].direction).to.equal('L'.repeat(64));
  });

  it('accepts 1,000 signals in one step and refuses 1,001', () => {
    expect(normalizeSignals(Array.from({ length: 1000 }, () => ({ direction: 'LONG' })), stamp)).to.have.length(1000);
    expect(() => normalizeSignals(Array.from({ length: 1001 }, () => ({ direction: 'LONG' })), stamp)).to.throw(/returned 1001 signals at 09:30:00, over the limit of 1000 per step/);
  });
});
