import { expect } from 'chai';
import fc from 'fast-check';
import { compareSignals, compareTrades, signalKey } from '../../../src/merge/signal-order.js';
import { ResultsDb } from '../../../src/results/results-db.js';
import type { Signal } from '../../../src/types.js';
import type { Candidate, CandidateRecord } from '../../../src/portfolio/candidate.js';
import { encodeDayCandidates } from '../../../src/portfolio/candidate-bytes.js';
import type { DayOutcome } from '../../../src/runtime/task-types.js';

const sig = (ticker: string, date: string, ts: number, seq: number, direction: string | null): Signal => ({
  ticker, signal_date: date, signal_time: `09:${String(30 + ts).padStart(2, '0')}:00`, timestamp: ts, seq, direction, pattern_strength: seq, metrics: {},
});

/** A candidate trade of the signal: only its keys matter here. */
const tradeOf = (s: Signal): CandidateRecord => ({
  ticker: s.ticker, date: s.signal_date, direction: 'LONG', signal_time: s.signal_time, signal_ts: s.timestamp, seq: s.seq, pattern_strength: null,
  entry_time: s.signal_time, entry_ts: s.timestamp, entry_price: 1, entry_quote: 1, exit_time: s.signal_time, exit_ts: s.timestamp, exit_price: 1,
  exit_quote: 1, exit_reason: 'eod', bars_held: 0, risk: null, mae_pct: 0, mfe_pct: 0, marks_from: 0, marks_count: 0,
});

const arbSignals = fc.uniqueArray(fc.record({
  ticker: fc.constantFrom('A', 'AA', 'B', 'b', 'BRK.B'), date: fc.constantFrom('2025-01-02', '2025-01-03', '2024-12-31'),
  ts: fc.integer({ min: 0, max: 4 }), seq: fc.integer({ min: 0, max: 2 }), dir: fc.constantFrom('LONG', 'SHORT', null),
}), { selector: (r) => `${r.ticker}|${r.date}|${r.ts}|${r.seq}`, maxLength: 30 }).map((rs) => rs.map((r) => sig(r.ticker, r.date, r.ts, r.seq, r.dir)));

function recordAndRead(signals: Signal[], cap?: number): { signals: Signal[]; trades: Candidate[] } {
  const db = new ResultsDb(':memory:');
  const runId = db.startRun({ started_at: 't', scanner: 's', scanner_name: 's', db: 'd', from_date: 'a', to_date: 'b', threads: 1, warmup: 0, mode: 'm', version: 'v', inputs: {}, plan: {}, plan_hash: 'h' });
  // Each ticker's days, each with the candidates of its signals, as a worker ships them.
  const byTicker = new Map<string, Map<string, Signal[]>>();
  for (const s of signals) {
    const days = byTicker.get(s.ticker) ?? byTicker.set(s.ticker, new Map()).get(s.ticker)!;
    days.set(s.signal_date, [...(days.get(s.signal_date) ?? []), s]);
  }
  for (const [ticker, days] of byTicker) {
    const outcomes: DayOutcome[] = [...days].map(([date, list]) => ({ date, bars: 5, steps: 5, skipped: false, signals: [], candidates: encodeDayCandidates(list.map(tradeOf)) }));
    db.recordTask(runId, ticker, outcomes, signals.filter((s) => s.ticker === ticker), []);
  }
  if (cap !== undefined) db.capSignals(runId, cap);
  return { signals: db.readSignals(runId), trades: db.readCandidates(runId) };
}

describe('the total order of signals and trades', () => {
  it('sorts by date, bar start, ticker, then sequence', () => {
    const list = [sig('B', '2025-01-02', 1, 0, null), sig('A', '2025-01-02', 1, 1, null), sig('A', '2025-01-02', 1, 0, null), sig('A', '2024-12-31', 4, 0, null)];
    expect([...list].sort(compareSignals).map((s) => `${s.signal_date} ${s.timestamp} ${s.ticker} ${s.seq}`))
      .to.deep.equal(['2024-12-31 4 A 0', '2025-01-02 1 A 0', '2025-01-02 1 A 1', '2025-01-02 1 B 0']);
  });

  it('is the order the results database reads signals and trades back in (property)', () => {
    fc.assert(fc.property(arbSignals, (signals) => {
      const back = recordAndRead(signals);
      const expected = [...signals].sort(compareSignals);
      expect(back.signals.map((s) => `${s.signal_date}|${s.timestamp}|${s.ticker}|${s.seq}`))
        .to.deep.equal(expected.map((s) => `${s.signal_date}|${s.timestamp}|${s.ticker}|${s.seq}`));
      expect(back.trades.map((t) => `${t.date}|${t.signal_ts}|${t.ticker}|${t.seq}`))
        .to.deep.equal(signals.map(tradeOf).sort(compareTrades).map((t) => `${t.date}|${t.signal_ts}|${t.ticker}|${t.seq}`));
    }), { numRuns: 60 });
  });

  it('caps a run to its first signals in that order, keeping exactly their trades (property)', () => {
    fc.assert(fc.property(arbSignals, fc.integer({ min: 0, max: 30 }), (signals, cap) => {
      const back = recordAndRead(signals, cap);
      const kept = [...signals].sort(compareSignals).slice(0, cap);
      expect(back.signals.map((s) => s.seq + s.ticker + s.signal_date + s.timestamp)).to.deep.equal(kept.map((s) => s.seq + s.ticker + s.signal_date + s.timestamp));
      expect(back.trades).to.have.length(kept.length);
    }), { numRuns: 40 });
  });

  it('de-duplicates by ticker, date, time and direction, telling no direction apart from any other', () => {
    const a = sig('A', '2025-01-02', 1, 0, 'LONG');
    expect(signalKey(a)).to.equal(signalKey(sig('A', '2025-01-02', 1, 5, 'LONG')));
    for (const other of [sig('B', '2025-01-02', 1, 0, 'LONG'), sig('A', '2025-01-03', 1, 0, 'LONG'), sig('A', '2025-01-02', 2, 0, 'LONG'), sig('A', '2025-01-02', 1, 0, null)]) {
      expect(signalKey(other)).to.not.equal(signalKey(a));
    }
  });
});
