/**
 * The trade simulator on small days computed by hand: every expected price, time and P&L below is worked
 * out in the comment beside it from the bars, not taken from the code.
 */
import { expect } from 'chai';
import { simulateDay } from '../../../src/sim/simulate-day.js';
import { runPortfolioPass } from '../../../src/portfolio/portfolio-pass.js';
import { markDayCandidates } from '../../../src/portfolio/candidate-marks.js';
import type { TradeRules } from '../../../src/config/trade-rules.js';
import type { Bar, Signal, Trade } from '../../../src/types.js';
import { noRules, ohlcDay, signalAt } from '../../helpers/trade-bars.js';

/** A day's signals simulated and taken by the portfolio pass (the account is large enough for every size here). */
function tradeDay(bars: Bar[], signals: Signal[], rules: TradeRules): { trades: Trade[]; untraded: Record<string, number> } {
  const day = simulateDay(bars, signals, rules, 300_000);
  const pass = runPortfolioPass(markDayCandidates(day.candidates, day.prices), rules);
  return { trades: pass.trades, untraded: { ...day.untraded, ...pass.untraded } as Record<string, number> };
}

/** The one trade of a signal at bar `at`, or the reason it was not traded. */
function trade(bars: Bar[], rules: TradeRules, at = 0, direction: string | null = 'LONG'): Trade | string {
  const r = tradeDay(bars, [signalAt(bars, at, direction)], rules);
  return r.trades[0] ?? Object.keys(r.untraded)[0];
}

function asTrade(x: Trade | string): Trade {
  if (typeof x === 'string') throw new Error(`not traded: ${x}`);
  return x;
}

//                     open   high   low    close
const calm = ohlcDay([[100, 101, 99, 100], // 09:30 signal bar
  [100.5, 102, 100, 101.5], //                09:35 entry at its open
  [101.5, 103, 101, 102], //                  09:40
  [102, 102.5, 100.5, 101]]); //              09:45 last bar: end-of-day exit at its close, 09:50

describe('sim: simulating a trade', () => {
  it('enters at the next open and exits at the last close when no other rule fires', () => {
    const t = asTrade(trade(calm, noRules()));
    expect(t).to.include({ direction: 'LONG', signal_time: '09:30:00', entry_time: '09:35:00', entry_price: 100.5,
      exit_time: '09:50:00', exit_price: 101, exit_reason: 'eod', bars_held: 3, shares: 100, pnl: 50, r_multiple: null });
    expect(t.return_pct).to.be.closeTo((0.5 / 100.5) * 100, 1e-6); // 0.4975 %
    expect(t.mae_pct).to.be.closeTo(((100 - 100.5) / 100.5) * 100, 1e-6); // lowest low after entry: 100
    expect(t.mfe_pct).to.be.closeTo(((103 - 100.5) / 100.5) * 100, 1e-6); // highest high: 103
  });

  it('does not trade a signal on the last bar of the day, with either entry', () => {
    expect(trade(calm, noRules(), 3)).to.equal('last-bar');
    expect(trade(calm, noRules({ entry: 'signal-close' }), 3)).to.equal('last-bar');
  });

  it('enters at the signal bar close with entry signal-close', () => {
    const t = asTrade(trade(calm, noRules({ entry: 'signal-close' })));
    // 100 at 09:35 (the signal bar's end), out at 101: bars 1..3 held
    expect(t).to.include({ entry_time: '09:35:00', entry_price: 100, exit_price: 101, bars_held: 3, pnl: 100 });
  });

  it('fills the stop, not the target, when one bar touches both', () => {
    const both = ohlcDay([[100, 101, 99, 100], [100.5, 102, 100, 101.5], [101, 103, 99, 101], [101, 102, 100, 101]]);
    const t = asTrade(trade(both, noRules({ stopPct: 1, targetPct: 2 })));
    // stop 100.5 × 0.99 = 99.495 (low 99 touches it), target 102.51 (high 103 touches it too)
    expect(t).to.include({ exit_reason: 'stop', exit_price: 99.495, exit_time: '09:45:00', bars_held: 2, pnl: -100.5, r_multiple: -1 });
    expect(t.mae_pct).to.be.closeTo(-1, 1e-9); // the stop, not the bar's low: nothing after the stop counts
  });

  it('fills a gap through the stop at the open', () => {
    const gap = ohlcDay([[100, 101, 99, 100], [100.5, 102, 100, 101.5], [98, 98.5, 97, 98], [98, 99, 97.5, 98.5]]);
    const t = asTrade(trade(gap, noRules({ stopPct: 1 })));
    // opens at 98 below the 99.495 stop: out at 98 at 09:40, one bar held; loss 2.5 × 100, risk 1.005 × 100
    expect(t).to.include({ exit_reason: 'stop', exit_price: 98, exit_time: '09:40:00', bars_held: 1, pnl: -250 });
    expect(t.r_multiple).to.be.closeTo(-250 / 100.5, 1e-6);
  });

  it('fills a gap through the target at the open', () => {
    const gap = ohlcDay([[100, 101, 99, 100], [100.5, 102, 100, 101.5], [103, 104, 102.8, 103.5], [103, 104, 102, 103]]);
    const t = asTrade(trade(gap, noRules({ targetPct: 2 })));
    expect(t).to.include({ exit_reason: 'target', exit_price: 103, exit_time: '09:40:00', bars_held: 1, pnl: 250 });
  });

  it('fills the target at its price when touched inside a bar', () => {
    const t = asTrade(trade(calm, noRules({ targetPct: 2 })));
    // target 102.51: bar 2 (high 103) reaches it; out at 09:45
    expect(t).to.include({ exit_reason: 'target', exit_price: 102.51, exit_time: '09:45:00', bars_held: 2 });
    expect(t.pnl).to.be.closeTo(201, 1e-6);
  });

  it('puts a SHORT stop above the entry', () => {
    const t = asTrade(trade(calm, noRules({ stopPct: 1 }), 0, 'SHORT'));
    // stop 100.5 × 1.01 = 101.505; bar 1 (the entry bar, high 102) hits it
    expect(t).to.include({ direction: 'SHORT', exit_reason: 'stop', exit_price: 101.505, exit_time: '09:40:00', bars_held: 1, r_multiple: -1 });
    expect(t.pnl).to.be.closeTo(-100.5, 1e-6);
  });

  it('trails from the best price of earlier bars, never from the bar being tested', () => {
    const day = ohlcDay([[100, 101, 99, 100],
      [100.5, 101, 100.2, 100.8], // stop 99.495 (entry 100.5 − 1 %); best becomes 101
      [100.8, 102, 100, 101.8], //   stop 99.99; best becomes 102
      [101.5, 103, 100.9, 102], //   stop 100.98: the low 100.9 hits it (its own high 103 must not raise it)
      [102, 103, 101, 102]]);
    const t = asTrade(trade(day, noRules({ trailPct: 1 })));
    expect(t).to.include({ exit_reason: 'trail', exit_price: 100.98, exit_time: '09:50:00', bars_held: 3 });
    expect(t.pnl).to.be.closeTo(48, 1e-6);
    expect(t.r_multiple).to.be.closeTo(48 / 100.5, 1e-6); // initial risk: 1 % of 100.5 per share
  });

  it('prefers the tighter of the fixed stop and the trailing stop, and names it', () => {
    const day = ohlcDay([[100, 101, 99, 100], [100.5, 104, 100.2, 103.8], [103.8, 104, 101.5, 102], [102, 103, 101, 102]]);
    // best after bar 1: 104 → trail 2 %: 101.92, above the fixed 5 % stop (95.475); bar 2's low 101.5 hits the trail
    const t = asTrade(trade(day, noRules({ stopPct: 5, trailPct: 2 })));
    expect(t).to.include({ exit_reason: 'trail', exit_price: 101.92 });
  });

  it('exits at the close of the N-th bar held with max-bars', () => {
    const t = asTrade(trade(calm, noRules({ maxBars: 2 })));
    expect(t).to.include({ exit_reason: 'max-bars', exit_price: 102, exit_time: '09:45:00', bars_held: 2, pnl: 150 });
  });

  it('exits at the open of the first bar at or after the exit time, and does not enter after it', () => {
    const t = asTrade(trade(calm, noRules({ exitSecond: 9 * 3600 + 45 * 60, exitTime: '09:45' })));
    expect(t).to.include({ exit_reason: 'exit-time', exit_price: 102, exit_time: '09:45:00', bars_held: 2, pnl: 150 });
    expect(trade(calm, noRules({ exitSecond: 9 * 3600 + 35 * 60, exitTime: '09:35' }))).to.equal('after-exit-time');
  });

  it('charges slippage on both fills and commission per fill with its minimum', () => {
    const t = asTrade(trade(calm, noRules({ slippageBps: 10, commissionPerShare: 0.005, commissionMin: 1 })));
    const entry = 100.5 * 1.001; // 100.6005
    const exit = 101 * 0.999; //    100.899
    const pnl = (exit - entry) * 100 - 2 * 1; // 100 × 0.005 = 0.50 per fill, raised to the 1.00 minimum
    expect(t.entry_price).to.be.closeTo(entry, 1e-6);
    expect(t.exit_price).to.be.closeTo(exit, 1e-6);
    expect(t.commission).to.equal(2);
    expect(t.pnl).to.be.closeTo(pnl, 1e-6); // 27.85
    expect(t.return_pct).to.be.closeTo((pnl / (entry * 100)) * 100, 1e-6);
  });

  it('sizes by dollars at risk, rounding shares down', () => {
    const t = asTrade(trade(calm, noRules({ size: { mode: 'risk', value: 500 }, stopPct: 1 })));
    expect(t.shares).to.equal(497); // 500 / (100.5 × 1 %) = 497.5
    expect(trade(calm, noRules({ size: { mode: 'risk', value: 0.5 }, stopPct: 1 }))).to.equal('no-size');
  });

  it('sets an ATR stop from the bars up to the signal bar only', () => {
    const day = ohlcDay([[100, 101, 99, 99.2], // TR 2 (no previous close today)
      [100.5, 101, 100, 100.8], //                TR max(1, |101 − 99.2|, |100 − 99.2|) = 1.8; signal here
      [102, 102, 97, 98], //                      entry 102; ATR(2) = 1.9, stop 102 − 2 × 1.9 = 98.2
      [98, 99, 97, 98]]);
    const t = asTrade(trade(day, noRules({ atrStop: 2, atrPeriod: 2 }), 1));
    expect(t.exit_reason).to.equal('stop');
    expect(t.exit_price).to.be.closeTo(98.2, 1e-6);
    expect(t.r_multiple).to.be.closeTo(-1, 1e-6);
    expect(t.mae_pct).to.be.closeTo(((98.2 - 102) / 102) * 100, 1e-6);
    expect(t.mfe_pct).to.equal(0);
  });
});

describe('sim: a day of signals', () => {
  it('takes one position at a time per ticker', () => {
    const r = tradeDay(calm, [signalAt(calm, 0), signalAt(calm, 1)], noRules());
    expect(r.trades.map((t) => t.signal_time)).to.deep.equal(['09:30:00']);
    expect(r.untraded).to.deep.equal({ already_in_position: 1 });
  });

  it('lets the next signal enter at the instant the previous trade exits', () => {
    // max-bars 1: the first trade ends at 09:40 (bar 1's close); the second enters at bar 2's open, 09:40
    const r = tradeDay(calm, [signalAt(calm, 0), signalAt(calm, 1)], noRules({ maxBars: 1 }));
    expect(r.trades.map((t) => [t.entry_time, t.exit_time])).to.deep.equal([['09:35:00', '09:40:00'], ['09:40:00', '09:45:00']]);
  });

  it('reads direction in any case, uses the default when there is none, and skips other words', () => {
    const r = tradeDay(calm, [signalAt(calm, 0, 'short')], noRules());
    expect(r.trades[0].direction).to.equal('SHORT');
    expect(tradeDay(calm, [signalAt(calm, 0, null)], noRules({ direction: 'SHORT' })).trades[0].direction).to.equal('SHORT');
    expect(tradeDay(calm, [signalAt(calm, 0, 'NEUTRAL')], noRules()).untraded).to.deep.equal({ direction: 1 });
  });
});
