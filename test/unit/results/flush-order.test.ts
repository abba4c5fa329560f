/**
 * A flush inserts each table's rows in key order (order-pending-rows.ts), not in the order tasks were queued:
 * what is read back must be what queue order gives. A later record of a key replaces an earlier one even
 * when both are in one flush; runs recorded in one flush keep their own rows; one signal object recorded for
 * several runs (as a sweep's combinations sharing a scan record it) is stored for each.
 */
import { expect } from 'chai';
import { ResultsDb } from '../../../src/results/results-db.js';
import type { DayOutcome } from '../../../src/runtime/task-types.js';
import type { Signal } from '../../../src/types.js';

const RUN = { started_at: 't', scanner: 's', scanner_name: 's', db: 'd', from_date: 'a', to_date: 'b', threads: 1, warmup: 0, mode: 'm', version: 'v', inputs: {}, plan: {}, plan_hash: 'h' };

function signal(ticker: string, date: string, time: string, timestamp: number, metrics: Record<string, unknown>): Signal {
  return { ticker, signal_date: date, signal_time: time, timestamp, seq: 0, direction: 'LONG', pattern_strength: null, metrics };
}

const day = (date: string, steps: number): DayOutcome => ({ date, bars: 78, steps, skipped: false, signals: [] });

describe('results: a flush records what queue order would', () => {
  it('a later record of a signal or a ticker-day replaces an earlier one in the same flush, and each run keeps its own rows', () => {
    const db = new ResultsDb(':memory:');
    const r1 = db.startRun(RUN);
    const r2 = db.startRun(RUN);
    const shared = { v: 'shared' };
    // Queued out of key order: run 2 before run 1's first ticker, a later date before an earlier one, and
    // run 1's B on 11-04 twice (the second, with other metrics, must stand).
    db.recordTask(r1, 'B', [day('2025-11-04', 10)], [signal('B', '2025-11-04', '10:00:00', 2000, { v: 'first' })], []);
    db.recordTask(r2, 'A', [day('2025-11-03', 5)], [signal('A', '2025-11-03', '10:00:00', 1000, shared)], []);
    db.recordTask(r1, 'A', [day('2025-11-04', 7), day('2025-11-03', 6)],
      [signal('A', '2025-11-04', '09:45:00', 1900, { v: 'a4' }), signal('A', '2025-11-03', '10:00:00', 1000, shared)], []);
    db.recordTask(r1, 'B', [day('2025-11-04', 11)], [signal('B', '2025-11-04', '10:00:00', 2000, { v: 'second' })], []);
    db.flush();

    expect(db.readSignals(r1).map((s) => [s.ticker, s.signal_date, s.signal_time, s.metrics.v])).to.deep.equal([
      ['A', '2025-11-03', '10:00:00', 'shared'],
      ['A', '2025-11-04', '09:45:00', 'a4'],
      ['B', '2025-11-04', '10:00:00', 'second'],
    ]);
    expect(db.readSignals(r2).map((s) => [s.ticker, s.signal_date, s.metrics.v])).to.deep.equal([['A', '2025-11-03', 'shared']]);
    expect(db.readFinishedDays(r1)).to.deep.equal([
      { ticker: 'A', date: '2025-11-03' }, { ticker: 'A', date: '2025-11-04' }, { ticker: 'B', date: '2025-11-04' },
    ]);
    expect(db.readFinishedDays(r2)).to.deep.equal([{ ticker: 'A', date: '2025-11-03' }]);
    db.close();
  });
});
