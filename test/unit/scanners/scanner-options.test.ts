import { expect } from 'chai';
import { parseSqlHeader } from '../../../src/scanners/scanner-options.js';
import { BarwiseError } from '../../../src/errors.js';

describe('SQL scanner header options', () => {
  it('reads name, description and warmup, and lets prose comments through', () => {
    const h = parseSqlHeader('-- name: orb\n-- Finds breakouts of the opening range\n-- description: a\n-- description: b\n-- warmup: 6\nSELECT 1', 'f.sql');
    expect(h).to.deep.equal({ name: 'orb', description: 'a b', warmup: 6 });
  });

  it('stops at the first line of SQL', () => {
    expect(parseSqlHeader('SELECT 1\n-- warmup: 3', 'f.sql')).to.deep.equal({});
  });

  it('rejects an unknown key, naming it', () => {
    expect(() => parseSqlHeader('-- warmpu: 6\nSELECT 1', 'f.sql')).to.throw(BarwiseError, /unknown header option "warmpu"/);
  });

  it('rejects a warmup that is not a whole number', () => {
    expect(() => parseSqlHeader('-- warmup: six\nSELECT 1', 'f.sql')).to.throw(/warmup must be a whole number/);
    expect(() => parseSqlHeader('-- warmup: -1\nSELECT 1', 'f.sql')).to.throw(/warmup must be a whole number/);
  });

  it('reads the context options: references (upper case, no repeats), lookback-days, daily-bars', () => {
    const h = parseSqlHeader('-- references: SPY, qqq,SPY\n-- lookback-days: 2\n-- daily-bars: 20\nSELECT 1', 'f.sql');
    expect(h).to.deep.equal({ references: ['SPY', 'QQQ'], lookbackDays: 2, dailyBars: 20 });
  });

  it('rejects a lookback that is not a whole number, naming the option', () => {
    expect(() => parseSqlHeader('-- lookback-days: two\nSELECT 1', 'f.sql')).to.throw(/lookback-days must be a whole number/);
    expect(() => parseSqlHeader('-- daily-bars: -3\nSELECT 1', 'f.sql')).to.throw(/daily-bars must be a whole number/);
  });
});
