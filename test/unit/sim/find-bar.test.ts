/**
 * A signal finds its bar by the bar's start: the same index a scan of the day's bars gives, and none for a
 * time no bar starts at.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { findBar } from '../../../src/sim/simulate-day.js';
import type { Bar } from '../../../src/types.js';

const bar = (timestamp: number): Bar => ({ ticker: 'AAA', timestamp, time_of_day: '', open: 1, high: 1, low: 1, close: 1, volume: 1 });

describe('sim: finding a signal bar', () => {
  it('gives the index a linear scan gives, or undefined, for any day of distinct sorted starts', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { maxLength: 90 }), fc.integer({ min: -5, max: 505 }), (starts, ts) => {
      const bars = [...starts].sort((a, b) => a - b).map(bar);
      const scanned = bars.findIndex((b) => b.timestamp === ts);
      expect(findBar(bars, ts)).to.equal(scanned < 0 ? undefined : scanned);
      for (let i = 0; i < bars.length; i++) expect(findBar(bars, bars[i].timestamp)).to.equal(i);
    }), { numRuns: 300 });
  });
});
