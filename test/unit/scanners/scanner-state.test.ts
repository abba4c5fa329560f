import path from 'node:path';
import { expect } from 'chai';
import { createTaskRunner } from '../../../src/runtime/task-runner.js';
import { makeDay, writeStore } from '../../helpers/bars.js';
import { ROOT, useTempDir } from '../../helpers/temp.js';

const SCANNER = path.join(ROOT, 'test/fixtures/scanners/counts-in-state.ts');

describe('module scanner state: init(ctx)', function () {
  const tmp = useTempDir();

  it('makes fresh state at each ticker-day\'s first step and hands it to every scan of that day only', async () => {
    const dates = ['2025-10-31', '2025-11-03'];
    const db = writeStore(path.join(tmp(), 'm.db'), ['AAA', 'BBB'].flatMap((t) => dates.flatMap((d) => makeDay(t, d, { slots: 8 }))));
    const run = await createTaskRunner({
      dbPath: db, scanner: { path: SCANNER, kind: 'module' }, warmup: 3, signals: 'all', session: 'regular', timeframe: '5min',
      mode: 'realtime', tempDir: tmp(), stepTimeoutMs: 10_000, persistent: false,
    });
    try {
      for (const ticker of ['AAA', 'BBB']) {
        const res = await run({ key: ticker, ticker, fromDate: dates[0], toDate: dates[1] });
        if (!res.ok) throw new Error(res.error.message);
        expect(res.days.map((d) => d.date)).to.deep.equal(dates);
        for (const d of res.days) {
          // Steps 3..7: the count restarts at 1 on every ticker-day, init ran at the first step (index 3).
          expect(d.signals.map((s) => s.metrics)).to.deep.equal([1, 2, 3, 4, 5].map((steps) => ({ steps, init_index: 3, same_day: true })));
        }
      }
    } finally {
      run.close();
    }
  });
});
