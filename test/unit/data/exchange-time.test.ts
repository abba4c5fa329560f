import { expect } from 'chai';
import {
  exchangeDate, exchangeDayStartMs, exchangeTimeOfDay, isValidDate, nextDate,
} from '../../../src/data/exchange-time.js';

describe('exchange time (America/New_York)', () => {
  it('labels the last EDT bar and the first EST bar around the November 2025 DST change', () => {
    const lastEdt = Date.parse('2025-10-31T19:55:00Z'); // 15:55 EDT
    const firstEst = Date.parse('2025-11-03T14:30:00Z'); // 09:30 EST
    expect([exchangeDate(lastEdt), exchangeTimeOfDay(lastEdt)]).to.deep.equal(['2025-10-31', '15:55:00']);
    expect([exchangeDate(firstEst), exchangeTimeOfDay(firstEst)]).to.deep.equal(['2025-11-03', '09:30:00']);
  });

  it('labels the March 2025 spring-forward change', () => {
    expect(exchangeTimeOfDay(Date.parse('2025-03-07T14:30:00Z'))).to.equal('09:30:00'); // EST
    expect(exchangeTimeOfDay(Date.parse('2025-03-10T13:30:00Z'))).to.equal('09:30:00'); // EDT
  });

  it('puts an evening bar after UTC midnight on the New York date it started', () => {
    const ts = Date.parse('2025-06-03T00:30:00Z'); // 20:30 EDT on June 2
    expect(exchangeDate(ts)).to.equal('2025-06-02');
    expect(exchangeTimeOfDay(ts)).to.equal('20:30:00');
  });

  it('finds local midnight on ordinary and DST-change days', () => {
    expect(exchangeDayStartMs('2025-07-01')).to.equal(Date.parse('2025-07-01T04:00:00Z'));
    expect(exchangeDayStartMs('2025-12-01')).to.equal(Date.parse('2025-12-01T05:00:00Z'));
    expect(exchangeDayStartMs('2025-11-02')).to.equal(Date.parse('2025-11-02T04:00:00Z')); // still EDT at 00:00
    expect(exchangeDayStartMs('2025-11-03')).to.equal(Date.parse('2025-11-03T05:00:00Z'));
    expect(exchangeDayStartMs('2025-03-09')).to.equal(Date.parse('2025-03-09T05:00:00Z')); // still EST at 00:00
    expect(exchangeDayStartMs('2025-03-10')).to.equal(Date.parse('2025-03-10T04:00:00Z'));
  });

  it('accepts only real calendar dates', () => {
    expect(isValidDate('2024-02-29')).to.equal(true);
    for (const bad of ['2025-02-29', '2025-13-01', '2025-1-01', '20250101', 'yesterday', '2025-11-31']) {
      expect(isValidDate(bad), bad).to.equal(false);
    }
  });

  it('steps across month and year ends', () => {
    expect(nextDate('2025-12-31')).to.equal('2026-01-01');
    expect(nextDate('2024-02-28')).to.equal('2024-02-29');
  });
});
