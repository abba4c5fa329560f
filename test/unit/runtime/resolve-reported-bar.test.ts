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

  it('flags a reported time outside the day\'s bars, keeping the nearest bar: before the first bar starts, or once the last has ended', () => {
    const r = (raw: unknown) => resolveReportedBar(raw, BARS, 3);
    expect(r({ signal_time: '18:40' })).to.deep.equal({ index: 3, outsideSession: '18:40' });
    expect(r({ signal_time: '09:29' })).to.deep.equal({ index: 0, outsideSession: '09:29' });
    expect(r({ signal_time: '09:54:59' })).to.deep.equal({ index: 3, outsideSession: null }); // inside the last bar (09:50-09:55)
    expect(r({ signal_time: '09:55' }).outsideSession).to.equal('09:55');
    expect(r({ direction: 'LONG' })).to.deep.equal({ index: 3, outsideSession: null });
  });

  it('reads wall-clock times as UTC with --reported-time-zone UTC, on either side of a DST change', () => {
    // 2025-10-31 is EDT (UTC-4): 09:30 New York is 13:30 UTC; 2025-11-03 is EST (UTC-5): 14:30 UTC.
    const day = (date: string, utcOpen: string): Bar[] => [0, 5, 10].map((m) => ({
      ticker: 'AAA', timestamp: Date.parse(`${date}T${utcOpen}:00Z`) + m * 60_000, time_of_day: '', open: 1, high: 1, low: 1, close: 1, volume: 1,
    }));
    const edt = day('2025-10-31', '13:30');
    const est = day('2025-11-03', '14:30');
    expect(resolveReportedBar({ signal_time: '13:35' }, edt, 0, 'UTC')).to.deep.equal({ index: 1, outsideSession: null });
    expect(resolveReportedBar({ signal_time: '14:40' }, est, 0, 'UTC')).to.deep.equal({ index: 2, outsideSession: null });
    // The same UTC times read as New York time fall outside the session (13:35 New York is after these bars).
    expect(resolveReportedBar({ signal_time: '13:35' }, edt, 0).outsideSession).to.equal('13:35');
    // A time with an offset is exact whatever the zone.
    expect(resolveReportedBar({ signal_time: '2025-11-03T09:35:00-05:00' }, est, 0, 'UTC').index).to.equal(1);
  });
});
