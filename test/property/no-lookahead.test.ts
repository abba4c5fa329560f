/**
 * Property: whatever the market looks like (tickers, days, gaps, extended hours), no scanner ever sees a
 * bar later than the current one, or another ticker's bar, through ctx.bars or ctx.db. The probe scanner
 * throws on any violation, which would fail its ticker-day; the step count is checked independently.
 */
import path from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { createTaskRunner } from '../../src/runtime/task-runner.js';
import { runBacktest } from '../../src/index.js';
import { makeDay, writeStore, type TestBar } from '../helpers/bars.js';
import { bruteForceReplay } from '../helpers/oracle.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

const PROBE = path.join(ROOT, 'test/fixtures/scanners/lookahead-probe.ts');
const DATES = ['2025-10-30', '2025-10-31', '2025-11-03', '2025-11-28'];

const marketArb = fc.array(fc.record({
  ticker: fc.constantFrom('AAA', 'BBB', 'CCC'),
  date: fc.constantFrom(...DATES),
  start: fc.constantFrom('04:00', '09:00', '09:30', '15:00'),
  slots: fc.integer({ min: 1, max: 120 }),
  missing: fc.array(fc.integer({ min: 0, max: 119 }), { maxLength: 30 }),
  seed: fc.integer(),
}), { minLength: 1, maxLength: 6 });

function buildMarket(spec: { ticker: string; date: string; start: string; slots: number; missing: number[]; seed: number }[]): TestBar[] {
  const byKey = new Map<string, TestBar[]>();
  for (const d of spec) byKey.set(`${d.ticker}|${d.date}`, makeDay(d.ticker, d.date, d));
  return [...byKey.values()].flat();
}

describe('no lookahead (property)', function () {
  const tmp = useTempDir();
  let n = 0;

  it('never shows a scanner a later bar or another ticker\'s bar, in any session', async () => {
    await fc.assert(fc.asyncProperty(marketArb, fc.constantFrom('regular', 'extended') as fc.Arbitrary<'regular' | 'extended'>, async (spec, session) => {
      const bars = buildMarket(spec);
      if (bars.length === 0) return;
      const db = writeStore(path.join(tmp(), `m${n++}.db`), bars);
      const run = await createTaskRunner({ dbPath: db, scanner: { path: PROBE, kind: 'module' }, warmup: 3, signals: 'all', session, timeframe: '5min', mode: 'realtime', tempDir: tmp(), stepTimeoutMs: 10_000, persistent: false });
      try {
        let steps = 0;
        for (const ticker of ['AAA', 'BBB', 'CCC']) {
          const res = await run({ key: ticker, ticker, fromDate: DATES[0], toDate: DATES[DATES.length - 1] });
          expect(res.ok).to.equal(true);
          if (!res.ok) return;
          for (const d of res.days) {
            expect(d.error, `${ticker} ${d.date}: ${d.error?.message}`).to.equal(undefined);
            steps += d.steps;
          }
        }
        const expectedSteps = bruteForceReplay(bars, () => ({}), { warmup: 3, signals: 'all', session, from: DATES[0], to: DATES[DATES.length - 1] }).length;
        expect(steps).to.equal(expectedSteps);
      } finally {
        run.close();
      }
    }), { numRuns: 40 });
  });

  it('holds through the worker pool too', async () => {
    const bars = ['AAA', 'BBB'].flatMap((t) => DATES.map((d) => makeDay(t, d, { start: '04:00', slots: 192, missing: [5, 100] }))).flat();
    const db = writeStore(path.join(tmp(), 'pool.db'), bars);
    const r = await runBacktest({ db, scanner: PROBE, threads: 2, signals: 'all', session: 'extended', resultsDb: ':memory:' });
    expect(r.failures).to.deep.equal([]);
    expect(r.run.counts.steps).to.equal(bruteForceReplay(bars, () => ({}), { warmup: 3, signals: 'all', session: 'extended' }).length);
  });
});
