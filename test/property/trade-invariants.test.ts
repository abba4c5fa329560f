/**
 * Properties of the simulator on random days, signals and rules (no costs, so fills are market prices):
 * every signal is either traded or counted as untraded; every fill is a price its bar traded at; a stop that
 * fills inside a bar loses exactly the stop; no trade outlives its day, its max-bars or its exit time; and
 * the merged trade list does not depend on the order results arrive in.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { simulateDay } from '../../src/sim/simulate-day.js';
import { mergeTrades } from '../../src/merge/merge-trades.js';
import type { Bar, Signal, Trade } from '../../src/types.js';
import type { TradeRules } from '../../src/config/trade-rules.js';
import { runPortfolioPass } from '../../src/portfolio/portfolio-pass.js';
import { markDayCandidates } from '../../src/portfolio/candidate-marks.js';
import { makeDay } from '../helpers/bars.js';
import { DATE, noRules, ohlcDay, signalAt } from '../helpers/trade-bars.js';

const BAR_MS = 300_000;

/** The day's candidates, taken by the portfolio pass (one account large enough for every trade here). */
function tradeDay(bars: Bar[], signals: Signal[], rules: TradeRules): { trades: Trade[]; untraded: Record<string, number | undefined> } {
  const day = simulateDay(bars, signals, rules, BAR_MS);
  const pass = runPortfolioPass(markDayCandidates(day.candidates, day.prices), rules);
  return { trades: pass.trades, untraded: { ...day.untraded, ...pass.untraded } };
}

const caseArb = fc.record({
  seed: fc.integer(),
  slots: fc.integer({ min: 2, max: 78 }),
  signalAt: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
  short: fc.boolean(),
  entry: fc.constantFrom('next-open' as const, 'signal-close' as const),
  stopPct: fc.option(fc.double({ min: 0.05, max: 3, noNaN: true }), { nil: null }),
  targetPct: fc.option(fc.double({ min: 0.05, max: 3, noNaN: true }), { nil: null }),
  trailPct: fc.option(fc.double({ min: 0.05, max: 3, noNaN: true }), { nil: null }),
  atrStop: fc.option(fc.double({ min: 0.2, max: 4, noNaN: true }), { nil: null }),
  maxBars: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }),
  exitSlot: fc.option(fc.integer({ min: 1, max: 77 }), { nil: null }),
});

describe('property: simulated trades', () => {
  it('account for every signal, fill at traded prices and respect every exit rule', () => {
    const reasons = new Set<string>();
    fc.assert(fc.property(caseArb, (c) => {
      const bars = ohlcDay(makeDay('TEST', DATE, { slots: c.slots, seed: c.seed }).map((b) => [b.open, b.high, b.low, b.close] as const));
      const n = bars.length;
      const idx = [...new Set(c.signalAt.map((i) => i % n))].sort((a, b) => a - b);
      const signals = idx.map((i) => signalAt(bars, i, c.short ? 'SHORT' : 'LONG'));
      const exitSecond = c.exitSlot === null ? null : 9 * 3600 + 30 * 60 + 300 * c.exitSlot;
      const rules = noRules({ entry: c.entry, stopPct: c.stopPct, targetPct: c.targetPct, trailPct: c.trailPct, atrStop: c.atrStop, maxBars: c.maxBars, exitSecond, exitTime: exitSecond === null ? null : 'x' });
      const r = tradeDay(bars, signals, rules);
      const untraded = Object.values(r.untraded).reduce<number>((a, b) => a + (b ?? 0), 0);
      expect(r.trades.length + untraded).to.equal(signals.length);

      const dayEnd = bars[n - 1].timestamp + BAR_MS;
      let prevExit = -Infinity;
      for (const t of r.trades) {
        reasons.add(t.exit_reason);
        expect(t.entry_ts).to.be.at.least(prevExit); // one position at a time
        expect(t.exit_ts).to.be.at.least(t.entry_ts);
        expect(t.exit_ts).to.be.at.most(dayEnd);
        prevExit = t.exit_ts;
        // The exit is a price the market traded at: inside the range of the bar ending then (a stop, target or
        // close), or the open of the bar starting then (a gap or the exit time).
        const ending = bars.find((b) => b.timestamp + BAR_MS === t.exit_ts);
        const starting = bars.find((b) => b.timestamp === t.exit_ts);
        const inRange = ending !== undefined && t.exit_price >= ending.low - 1e-6 && t.exit_price <= ending.high + 1e-6;
        const atOpen = starting !== undefined && Math.abs(t.exit_price - starting.open) < 1e-6;
        expect(inRange || atOpen, `${t.exit_reason} at ${t.exit_price}`).to.equal(true);
        expect(t.mae_pct).to.be.at.most(0);
        expect(t.mfe_pct).to.be.at.least(0);
        expect(Math.sign(t.return_pct)).to.equal(Math.sign(t.pnl));
        if (c.maxBars !== null) expect(t.bars_held).to.be.at.most(c.maxBars);
        if (exitSecond !== null) expect(t.exit_ts).to.be.at.most(bars[0].timestamp + (exitSecond - (9 * 3600 + 30 * 60)) * 1000);
        // A fixed stop never loses less than the stop (more only through a gap); a target never makes less.
        if (t.exit_reason === 'stop' && c.stopPct !== null && c.atrStop === null) expect(t.return_pct).to.be.at.most(-c.stopPct + 1e-4);
        if (t.exit_reason === 'target') expect(t.return_pct).to.be.at.least(c.targetPct! - 1e-4);
      }
    }), { numRuns: 400 });
    // Not vacuous: the random cases reached every kind of exit.
    expect([...reasons].sort()).to.deep.equal(['eod', 'exit-time', 'max-bars', 'stop', 'target', 'trail']);
  });

  it('merges trades to the same list whatever order they arrive in', () => {
    const bars = ohlcDay(makeDay('AAA', DATE, { slots: 40, seed: 7 }).map((b) => [b.open, b.high, b.low, b.close] as const));
    const all: Trade[] = [];
    for (const ticker of ['AAA', 'BBB', 'CCC']) {
      const tb = bars.map((b) => ({ ...b, ticker }));
      all.push(...tradeDay(tb, [signalAt(tb, 3), signalAt(tb, 20, 'SHORT')], noRules({ maxBars: 5 })).trades);
    }
    const expected = mergeTrades(all);
    fc.assert(fc.property(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), (shuffled) => {
      expect(mergeTrades(shuffled)).to.deep.equal(expected);
    }));
  });
});
