/**
 * Property: nothing reachable from a module scanner's ctx — own and inherited properties, enumerable or
 * not, getters, arrays, Maps, iterables, what its functions return (ctx.refs.get for every ticker,
 * ctx.db.prepare(...).all() over every table) — is a bar later than the current one, a later timestamp,
 * or a bar of a ticker that is neither the scanned one nor a declared reference. And the walk is not
 * vacuous: it reaches exactly the bars of the day so far, recounted here from the raw bars.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import fc from 'fast-check';
import { createTaskRunner } from '../../src/runtime/task-runner.js';
import { makeDay, nyTime, writeStore, type TestBar } from '../helpers/bars.js';
import { nyParts } from '../helpers/oracle.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

const WALKER = path.join(ROOT, 'test/fixtures/scanners/walks-context.ts');
const TICKERS = ['AAA', 'BBB', 'CCC'];
const DATES = ['2025-10-30', '2025-10-31', '2025-11-03'];

describe('nothing later than the current bar is reachable from ctx (property)', function () {
  const tmp = useTempDir();
  let n = 0;

  it('reaches only the bars so far of the ticker and its declared references, through every property and call', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.record({
        ticker: fc.constantFrom(...TICKERS),
        date: fc.constantFrom(...DATES),
        slots: fc.integer({ min: 3, max: 14 }),
        missing: fc.array(fc.integer({ min: 0, max: 13 }), { maxLength: 4 }),
      }), { minLength: 1, maxLength: 6 }),
      fc.subarray(TICKERS), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 2 }),
      async (spec, references, lookbackDays, dailyBars) => {
        const byKey = new Map<string, TestBar[]>();
        for (const d of spec) byKey.set(`${d.ticker}|${d.date}`, makeDay(d.ticker, d.date, d));
        const bars = [...byKey.values()].flat();
        const db = writeStore(path.join(tmp(), `w${n++}.db`), bars);
        // Daily bars of every date, today's and later ones included: only earlier ones may be reached.
        const conn = new Database(db);
        const ins = conn.prepare("INSERT INTO ohlcv_data VALUES (?, ?, 10, 11, 9, 10.5, 1000, '1day', NULL)");
        for (const t of TICKERS) for (const d of DATES) ins.run(t, nyTime(d, '16:00'));
        conn.close();
        process.env.WALK_REFERENCES = references.join(',');
        const run = await createTaskRunner({
          dbPath: db, scanner: { path: WALKER, kind: 'module' }, warmup: 2, signals: 'all', session: 'regular', timeframe: '5min',
          mode: 'realtime', tempDir: tmp(), stepTimeoutMs: 10_000, persistent: false,
          context: { references, lookbackDays, dailyBars },
        });
        try {
          for (const ticker of TICKERS) {
            const res = await run({ key: ticker, ticker, fromDate: DATES[1], toDate: DATES[2] });
            expect(res.ok).to.equal(true);
            if (!res.ok) return;
            for (const d of res.days) {
              expect(d.error, `${ticker} ${d.date}: ${d.error?.message}`).to.equal(undefined);
              for (const s of d.signals) {
                const m = s.metrics as { violations: string[]; today: Record<string, number> };
                expect(m.violations, `${ticker} ${s.signal_date} ${s.signal_time}: ${m.violations.join("; ")}`).to.deep.equal([]);
                const soFar = (t: string) => bars.filter((b) => b.ticker === t && nyParts(b.timestamp).date === d.date && b.timestamp <= s.timestamp).length;
                const want: Record<string, number> = { [ticker]: soFar(ticker) };
                for (const r of references) if (soFar(r) > 0) want[r] = soFar(r);
                expect(m.today, `${ticker} ${s.signal_date} ${s.signal_time}`).to.deep.equal(want);
              }
            }
          }
        } finally {
          run.close();
          delete process.env.WALK_REFERENCES;
        }
      },
    ), { numRuns: 15, seed: Number(process.env.SEED ?? Date.now() % 1e9) });
  });
});
