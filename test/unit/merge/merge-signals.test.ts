import { expect } from 'chai';
import fc from 'fast-check';
import { mergeSignals } from '../../../src/merge/merge-signals.js';
import type { Signal } from '../../../src/types.js';

const sig = (ticker: string, date: string, ts: number, seq: number, direction: string | null = 'LONG'): Signal => ({
  ticker, signal_date: date, signal_time: `t${ts}`, timestamp: ts, seq, direction, pattern_strength: seq, metrics: {},
});

describe('merging signals', () => {
  it('orders by date, time, ticker, then sequence', () => {
    const out = mergeSignals([sig('B', '2025-01-02', 1, 0), sig('A', '2025-01-02', 1, 0), sig('A', '2025-01-01', 9, 0), sig('A', '2025-01-02', 0, 0)]);
    expect(out.map((s) => `${s.signal_date}/${s.timestamp}/${s.ticker}`)).to.deep.equal(['2025-01-01/9/A', '2025-01-02/0/A', '2025-01-02/1/A', '2025-01-02/1/B']);
  });

  it('keeps the first of signals sharing ticker, date, time and direction', () => {
    const out = mergeSignals([sig('A', 'd', 1, 1, 'LONG'), sig('A', 'd', 1, 0, 'LONG'), sig('A', 'd', 1, 2, 'SHORT')]);
    expect(out.map((s) => [s.seq, s.direction])).to.deep.equal([[0, 'LONG'], [2, 'SHORT']]);
  });

  it('gives the same output for any input order (property)', () => {
    const arb = fc.array(fc.record({
      ticker: fc.constantFrom('A', 'B', 'C'), date: fc.constantFrom('2025-01-01', '2025-01-02'),
      ts: fc.integer({ min: 0, max: 5 }), seq: fc.integer({ min: 0, max: 2 }), dir: fc.constantFrom('LONG', 'SHORT', null),
    }), { maxLength: 40 });
    fc.assert(fc.property(arb, fc.func(fc.integer()), (raw, order) => {
      // Unique (ticker, date, ts, seq), as the engine guarantees: one step yields one sequence.
      const uniq = new Map(raw.map((r) => [`${r.ticker}${r.date}${r.ts}${r.seq}`, sig(r.ticker, r.date, r.ts, r.seq, r.dir)]));
      const list = [...uniq.values()];
      const shuffled = list.map((s, i) => ({ s, k: order(i) })).sort((a, b) => a.k - b.k).map((x) => x.s);
      expect(JSON.stringify(mergeSignals(shuffled))).to.equal(JSON.stringify(mergeSignals(list)));
    }));
  });
});
