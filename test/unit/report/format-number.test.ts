import { expect } from 'chai';
import { formatCount, formatQuantity, QUANTITY_DECIMALS } from '../../../src/report/format-number.js';

describe('formatQuantity: one formatter for every number people read', () => {
  it('puts thousands separators in counts, and rounds them to whole numbers', () => {
    expect(formatCount(8240)).to.equal('8,240');
    expect(formatCount(428338)).to.equal('428,338');
    expect(formatCount(1234567)).to.equal('1,234,567');
    expect(formatCount(0)).to.equal('0');
    expect(formatCount(999)).to.equal('999');
    expect(formatQuantity(12.6, 'count')).to.equal('13');
  });

  it('gives every quantity its fixed decimals, padded with zeros', () => {
    expect(formatQuantity(2.651515, 'ratio')).to.equal('2.65');
    expect(formatQuantity(2, 'ratio')).to.equal('2.00');
    expect(formatQuantity(118.97394, 'bars')).to.equal('119.0');
    expect(formatQuantity(3.25, 'bars')).to.equal('3.3');
    expect(formatQuantity(1532.4, 'rate')).to.equal('1,532');
    expect(formatQuantity(12.049, 'seconds')).to.equal('12.0');
    expect(formatQuantity(0.8, 'strength')).to.equal('0.80');
  });

  it('writes percentages with %: a figure in percent as it is, a share of 1 times 100', () => {
    expect(formatQuantity(12.3456, 'pct')).to.equal('12.35%');
    expect(formatQuantity(-0.5, 'pct')).to.equal('-0.50%');
    expect(formatQuantity(0.96667, 'share')).to.equal('96.7%');
    expect(formatQuantity(1, 'share')).to.equal('100.0%');
  });

  it('writes dollars with the sign before the dollar sign and thousands separators', () => {
    expect(formatQuantity(1234.5, 'usd')).to.equal('$1,234.50');
    expect(formatQuantity(-1234.5, 'usd')).to.equal('-$1,234.50');
    expect(formatQuantity(0, 'usd')).to.equal('$0.00');
    expect(formatQuantity(100000, 'usd')).to.equal('$100,000.00');
  });

  it('signs a difference: + before a positive one, nothing before zero', () => {
    expect(formatQuantity(3, 'count', { signed: true })).to.equal('+3');
    expect(formatQuantity(-1261, 'count', { signed: true })).to.equal('-1,261');
    expect(formatQuantity(0, 'count', { signed: true })).to.equal('0');
    expect(formatQuantity(2, 'usd', { signed: true })).to.equal('+$2.00');
    expect(formatQuantity(-2, 'usd', { signed: true })).to.equal('-$2.00');
    expect(formatQuantity(0.5, 'pct', { signed: true })).to.equal('+0.50%');
  });

  it('shows the `none` text for a missing or non-finite value', () => {
    expect(formatQuantity(null, 'pct')).to.equal('-');
    expect(formatQuantity(undefined, 'usd', { none: 'n/a' })).to.equal('n/a');
    expect(formatQuantity(Number.NaN, 'ratio')).to.equal('-');
    expect(formatQuantity(Number.POSITIVE_INFINITY, 'ratio')).to.equal('-');
  });

  it('has a decimals entry for each quantity it is asked for', () => {
    expect(Object.values(QUANTITY_DECIMALS).every((d) => Number.isInteger(d) && d >= 0 && d <= 4)).to.equal(true);
  });
});
