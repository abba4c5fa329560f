import { expect } from 'chai';
import { resolveReportedBar } from '../../../src/runtime/resolve-reported-bar.js';
import type { Bar } from '../../../src/types.js';

// 2025-11-03 (EST, UTC-5): bars at 09:30, 09:35, 09:45 (09:40 missing), 09:50.
const T0 = Date.parse('2025-11-03T14:30:00Z');
const BARS: Bar[] = [0, 5, 15, 20].map((m) => ({
  ticker: 'AAA', timestamp: T0 + m * 60_000, time_of_day: `09:${String(30 + m).padStart(2, '0')}:00`,
  open: 1, high: 1, low: 1, close: 1, volume: 1,
}));
const at = (raw: unknown, fallback = 3) => resolveReportedBar(raw, BARS, fallback).index;

describe('resolveReportedBar (full-day mode takes the time a scanner reports)', () => {
  it('falls back to the bar it was called at when no time is reported', () => {
    expect(at({ direction: 'LONG' })).to.equal(3);
    expect(at({ signal_time: 'soon' }, 2)).to.equal(2);
    expect(at(null, 1)).to.equal(1);
  });

  it('reads signal_time as exchange wall-clock time, alone or after a date', () => {
    expect(at({ signal_time: '09:35:00' })).to.equal(1);
    expect(at({ signal_time: '9:35' })).to.equal(1);
    expect(at({ signal_time: '2025-11-03 09:45:00' })).to.equal(2);
    expect(at({ signal_time: '2025-11-03T09:50' })).to.equal(3);
  });

  it('names the bar in force at a time inside a bar or on a missing bar; before the first bar, the first', () => {
    expect(at({ signal_time: '09:37:30' })).to.equal(1);
    expect(at({ signal_time: '09:40:00' })).to.equal(1);
    expect(at({ signal_time: '09:00:00' })).to.equal(0);
    expect(at({ signal_time: '15:59:00' })).to.equal(3);
  });

  it('reads timestamp as epoch ms, epoch seconds, a numeric string or ISO with an offset, and prefers it to signal_time', () => {
    expect(at({ timestamp: T0 + 5 * 60_000 })).to.equal(1);
    expect(at({ timestamp: (T0 + 15 * 60_000) / 1000 })).to.equal(2);
    expect(at({ timestamp: String(T0) })).to.equal(0);
    expect(at({ timestamp: '2025-11-03T09:45:00-05:00' })).to.equal(2);
    expect(at({ signal_time: '2025-11-03T14:35:00Z' })).to.equal(1);
    expect(at({ timestamp: T0, signal_time: '09:50:00' })).to.equal(0);
  });
});
