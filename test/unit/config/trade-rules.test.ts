/**
 * Trade rules resolve once: defaults < --trade-config file < flags, and bad input is refused with a
 * message naming the option.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { resolveTradeRules, tradeRulesToInput } from '../../../src/config/trade-rules.js';
import { BarwiseError } from '../../../src/errors.js';
import { useTempDir } from '../../helpers/temp.js';

function refused(fn: () => unknown): BarwiseError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(BarwiseError);
    return err as BarwiseError;
  }
  throw new Error('expected a BarwiseError');
}

describe('config: trade rules', () => {
  const tmp = useTempDir();

  it('defaults to next-open LONG entries, 100 shares, no costs and end-of-day exits only', () => {
    expect(resolveTradeRules({})).to.deep.equal({
      direction: 'LONG', entry: 'next-open', stopPct: null, targetPct: null, trailPct: null, atrStop: null, atrPeriod: 14,
      maxBars: null, exitSecond: null, exitTime: null, slippageBps: 0, commissionPerShare: 0, commissionMin: 0,
      shares: 100, riskPerTrade: null, capital: 100_000, benchmark: 'SPY',
    });
  });

  it('takes a benchmark ticker in any case, and none turns it off for good (a continued run keeps none)', () => {
    expect(resolveTradeRules({ benchmark: 'qqq' }).benchmark).to.equal('QQQ');
    const off = resolveTradeRules({ benchmark: 'none' });
    expect(off.benchmark).to.equal(null);
    expect(resolveTradeRules(tradeRulesToInput(off)).benchmark).to.equal(null);
    expect(resolveTradeRules(tradeRulesToInput(resolveTradeRules({}))).benchmark).to.equal('SPY');
  });

  it('reads a config file and lets flags override it', () => {
    const file = path.join(tmp(), 'rules.json');
    fs.writeFileSync(file, JSON.stringify({ stopPct: 1, targetPct: 3, exitTime: '15:45', direction: 'short' }));
    const r = resolveTradeRules({ config: file, targetPct: 2 });
    expect(r).to.include({ stopPct: 1, targetPct: 2, exitTime: '15:45', exitSecond: 15 * 3600 + 45 * 60, direction: 'SHORT' });
  });

  it('names unknown keys in a config file', () => {
    const file = path.join(tmp(), 'typo.json');
    fs.writeFileSync(file, JSON.stringify({ stopPercent: 1 }));
    const e = refused(() => resolveTradeRules({ config: file }));
    expect(e.code).to.equal('USAGE');
    expect(e.message).to.contain('"stopPercent"');
    expect(e.hint).to.contain('stopPct');
  });

  it('refuses malformed rules with the flag in the message', () => {
    expect(refused(() => resolveTradeRules({ stopPct: -1 })).message).to.contain('--stop-pct');
    expect(refused(() => resolveTradeRules({ exitTime: '3pm' })).message).to.contain('--exit-time');
    expect(refused(() => resolveTradeRules({ entry: 'market' as never })).message).to.contain('--entry');
    expect(refused(() => resolveTradeRules({ maxBars: 1.5 })).message).to.contain('--max-bars');
    expect(refused(() => resolveTradeRules({ shares: 10, riskPerTrade: 100, stopPct: 1 })).message).to.contain('--shares and --risk-per-trade');
    expect(refused(() => resolveTradeRules({ riskPerTrade: 100 })).hint).to.contain('--stop-pct');
    expect(refused(() => resolveTradeRules({ config: path.join(tmp(), 'missing.json') })).message).to.contain('not found');
  });

  it('sizes by risk instead of shares when risk-per-trade is given', () => {
    expect(resolveTradeRules({ riskPerTrade: 250, atrStop: 2 })).to.include({ shares: null, riskPerTrade: 250, atrStop: 2 });
  });
});
