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
      capital: 100_000, size: { mode: 'shares', value: 100 }, maxPositions: null, maxExposure: 1, benchmark: 'SPY',
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

  it('reads --shares and --risk-per-trade as the short forms of --size shares:N and risk:D', () => {
    expect(resolveTradeRules({ riskPerTrade: 250, atrStop: 2 }).size).to.deep.equal({ mode: 'risk', value: 250 });
    expect(resolveTradeRules({ shares: 7 }).size).to.deep.equal({ mode: 'shares', value: 7 });
    expect(resolveTradeRules({ size: 'equity-pct:12.5' }).size).to.deep.equal({ mode: 'equity-pct', value: 12.5 });
    expect(resolveTradeRules({ size: 'risk-pct:1', stopPct: 1 }).size).to.deep.equal({ mode: 'risk-pct', value: 1 });
  });

  it('refuses two ways to give one size, a malformed size and risk sizing without a stop', () => {
    expect(refused(() => resolveTradeRules({ size: 'shares:10', shares: 10 })).message).to.contain('--size and --shares both given');
    expect(refused(() => resolveTradeRules({ size: 'dollars:1000', riskPerTrade: 5, stopPct: 1 })).message).to.contain('--size and --risk-per-trade');
    for (const bad of ['100', 'shares:1.5', 'risk-pct:150', 'percent:5', 'dollars:-3', 'dollars:']) {
      const e = refused(() => resolveTradeRules({ size: bad }));
      expect(e.message, bad).to.contain(`--size must be MODE:VALUE`);
      expect(e.message, bad).to.contain(`"${bad}"`);
    }
    const e = refused(() => resolveTradeRules({ size: 'risk-pct:1' }));
    expect(e.message).to.contain('--size risk-pct:1 needs a stop');
    expect(e.hint).to.contain('--stop-pct');
  });

  it('defaults to a cash account without a position limit, and checks the limits', () => {
    expect(resolveTradeRules({ maxPositions: 5, maxExposure: 2 })).to.include({ maxPositions: 5, maxExposure: 2 });
    expect(refused(() => resolveTradeRules({ maxPositions: 0 })).message).to.contain('--max-positions');
    expect(refused(() => resolveTradeRules({ maxExposure: 0 })).message).to.contain('--max-exposure');
    expect(refused(() => resolveTradeRules({ size: 'equity-pct:150' })).message).to.contain('can never be bought with --max-exposure 1');
    expect(resolveTradeRules({ size: 'equity-pct:150', maxExposure: 2 }).size).to.deep.equal({ mode: 'equity-pct', value: 150 });
  });
});
