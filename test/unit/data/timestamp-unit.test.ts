import { expect } from 'chai';
import { describeImplausibleTimestamp, detectWrongUnit, isPlausibleMs } from '../../../src/data/timestamp-unit.js';
import { parseTimestamp } from '../../../src/data/parse-bar-row.js';

describe('timestamp units', () => {
  const ms = Date.parse('2025-05-01T13:30:00Z');

  it('takes epoch ms of 1990-01-01 up to (not including) 2100-01-01 as plausible', () => {
    expect(isPlausibleMs(Date.UTC(1990, 0, 1))).to.equal(true);
    expect(isPlausibleMs(Date.UTC(1990, 0, 1) - 1)).to.equal(false);
    expect(isPlausibleMs(Date.UTC(2100, 0, 1) - 1)).to.equal(true);
    expect(isPlausibleMs(Date.UTC(2100, 0, 1))).to.equal(false);
    expect(isPlausibleMs(NaN)).to.equal(false);
  });

  it('names seconds, microseconds and nanoseconds by magnitude, with the factor back to ms', () => {
    expect(detectWrongUnit(ms)).to.equal(null);
    expect(detectWrongUnit(ms / 1000)).to.include({ unit: 'seconds', toMs: 1000 });
    expect(detectWrongUnit(ms * 1000)).to.include({ unit: 'microseconds', toMs: 1e-3 });
    expect(detectWrongUnit(ms * 1e6)).to.include({ unit: 'nanoseconds', toMs: 1e-6 });
    expect(detectWrongUnit(42)).to.equal(null);
    expect(describeImplausibleTimestamp(ms * 1000)).to.contain('(2025-05-01T13:30:00Z)');
    expect(describeImplausibleTimestamp(42)).to.match(/outside 1990–2100/);
  });

  it('parses only real calendar dates and times (no roll-over), leap days included', () => {
    expect(parseTimestamp('2024-02-29T09:30:00-05:00')).to.equal(Date.parse('2024-02-29T14:30:00Z'));
    expect(parseTimestamp('2025-02-29T09:30:00-05:00')).to.match(/not a real date/);
    expect(parseTimestamp('2025-04-31T09:30:00-04:00')).to.match(/not a real date/);
    expect(parseTimestamp('2025-13-01T09:30:00-04:00')).to.match(/not a real date/);
    expect(parseTimestamp('2025-05-01T24:00:00-04:00')).to.match(/not a real time of day/);
    expect(parseTimestamp('2025-05-01T09:60:00-04:00')).to.match(/not a real time of day/);
    expect(parseTimestamp('2025-05-01T09:30:00+25:00')).to.match(/impossible UTC offset/);
    expect(parseTimestamp('2101-05-01T09:30:00Z')).to.match(/outside 1990–2100/);
    expect(parseTimestamp(String(ms * 1e6))).to.match(/nanoseconds/);
  });
});
