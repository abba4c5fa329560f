/**
 * The exit-rule registry's contract: the simulator closes a trade only through the rules it is given, asks
 * them in the registry's order at each moment of a bar, and fills at the open, at the rule's own price or at
 * the close as the moment says. Expected prices are read off the bars below by hand.
 */
import { expect } from 'chai';
import { defineExitRule } from '../../../src/sim/exit-rule.js';
import { EXIT_RULES } from '../../../src/sim/exit-rules.js';
import { simulateTrade } from '../../../src/sim/simulate-trade.js';
import { priceTrade } from '../../../src/portfolio/price-trade.js';
import type { ExitReason, Trade } from '../../../src/types.js';
import { noRules, ohlcDay } from '../../helpers/trade-bars.js';

//                    open   high   low    close
const day = ohlcDay([[100, 101, 99, 100], //  09:30 signal bar
  [100, 101, 99.5, 100.5], //                   09:35 entry at 100
  [100.5, 103, 100, 102], //                    09:40 high 103
  [102, 102.5, 98, 99], //                      09:45 low 98
  [99, 100, 97, 98]]); //                       09:50 last bar

const signal = { ticker: 'TEST', date: '2025-11-03', index: 0, direction: 'LONG' as const, seq: 0 };

/** The signal's candidate at the rules' 100 shares. */
function simulate(rules = noRules(), exitRules: Parameters<typeof simulateTrade>[4] = EXIT_RULES): Trade {
  const c = simulateTrade(day, signal, rules, 300_000, exitRules);
  if (typeof c === 'string') throw new Error(`not traded: ${c}`);
  return priceTrade(c, 100, rules);
}

/** Closes the trade at the close of the first bar whose high reaches `level`. */
const closeAbove = (level: number) => defineExitRule<{ level: number }>({
  moments: ['close'],
  init: () => ({ level }),
  check: (s, moment, { bar }) => (moment === 'close' && bar.high >= s.level ? { price: bar.close, reason: 'breakout' as ExitReason } : null),
});

describe('sim: the exit-rule registry', () => {
  it('asks the exit time, the stop, the target, the bar limit and the end of the day, in that order', () => {
    expect(Object.keys(EXIT_RULES)).to.deep.equal(['exit-time', 'stop', 'target', 'max-bars', 'end-of-day']);
  });

  it('closes a trade through a rule added to a copy of the registry, at the close of its bar', () => {
    const t = simulate(noRules(), { ...EXIT_RULES, breakout: closeAbove(103) });
    // 09:40 is the first bar with a high of 103: out at its close, 102, at its end 09:45, after 2 bars.
    expect(t).to.include({ exit_reason: 'breakout', exit_price: 102, exit_time: '09:45:00', bars_held: 2, pnl: 200 });
    expect(simulate().exit_reason).to.equal('eod');
  });

  it('lets the first rule in the registry order fill when two fire on one bar', () => {
    // At 09:40 both the +2% target (102) and the breakout rule fire; the target is asked within the bar,
    // before any rule at its close: it fills at 102 at 09:45.
    const rules = noRules({ targetPct: 2 });
    expect(simulate(rules, { ...EXIT_RULES, breakout: closeAbove(103) })).to.include({ exit_reason: 'target', exit_price: 102 });
    // Put first and asked at the open, a rule closes before anything trades in the bar.
    const atOpen = defineExitRule<true>({ moments: ['open'], init: () => true, check: (_s, m, { held }) => (m === 'open' && held === 1 ? { price: 0, reason: 'gap' as ExitReason } : null) });
    expect(simulate(rules, { atOpen, ...EXIT_RULES })).to.include({ exit_reason: 'gap', exit_price: 100.5, exit_time: '09:40:00', bars_held: 1 });
  });

  it('closes only through the rules it is given: without the stop rule, a stop never fills', () => {
    const rules = noRules({ stopPct: 1.5 }); // stop at 98.5: the 09:45 low of 98 touches it
    expect(simulate(rules)).to.include({ exit_reason: 'stop', exit_price: 98.5, exit_time: '09:50:00' });
    const { stop: _stop, ...withoutStop } = EXIT_RULES;
    expect(simulate(rules, withoutStop)).to.include({ exit_reason: 'eod', exit_price: 98, exit_time: '09:55:00', bars_held: 4 });
  });
});
