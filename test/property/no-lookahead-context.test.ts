/**
 * Property: whatever the market (tickers, days, gaps, extended hours, daily bars in any stamping convention,
 * including today's and future ones), a scanner's context never holds anything from after the current bar:
 * no reference or history bar later than it, no daily bar from today or later. The probe scanner throws on
 * any violation it can see (ctx and ctx.db); what it saw at every step is also compared with a brute-force
 * recomputation from the raw bars here, so a context that is merely smaller than it should be fails too.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import fc from 'fast-check';
import { createTaskRunner } from '../../src/runtime/task-runner.js';
import { runBacktest } from '../../src/index.js';
import { makeDay, nyTime, writeStore, type TestBar } from '../helpers/bars.js';
import { bruteForceReplay, nyParts } from '../helpers/oracle.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

const PROBE = path.join(ROOT, 'test/fixtures/scanners/context-probe.ts');
const TICKERS = ['AAA', 'BBB', 'CCC'];
const REFERENCES = ['AAA', 'BBB'];
/** The first date is before the run's range: only history may show it. */
const DATES = ['2025-10-29', '2025-10-30', '2025-10-31', '2025-11-03', '2025-11-28'];
const DAILY_DATES = ['2025-10-27', '2025-10-28', ...DATES, '2025-12-01'];
const STAMPS = ['utc-midnight', 'ny-midnight', 'ny-open', 'ny-close'] as const;

interface DailySpec { ticker: string; date: string; stamp: (typeof STAMPS)[number] }

const marketArb = fc.array(fc.record({
  ticker: fc.constantFrom(...TICKERS),
  date: fc.constantFrom(...DATES),
  start: fc.constantFrom('04:00', '09:00', '09:30', '09:45', '15:00'),
  slots: fc.integer({ min: 1, max: 100 }),
  missing: fc.array(fc.integer({ min: 0, max: 99 }), { maxLength: 30 }),
  seed: fc.integer(),
}), { minLength: 1, maxLength: 8 });

const dailyArb = fc.uniqueArray(fc.record({
  ticker: fc.constantFrom(...TICKERS),
  date: fc.constantFrom(...DAILY_DATES),
  stamp: fc.constantFrom(...STAMPS),
}), { selector: (d) => `${d.ticker}|${d.date}`, maxLength: 12 });

function buildMarket(spec: { ticker: string; date: string; start: string; slots: number; missing: number[]; seed: number }[]): TestBar[] {
  const byKey = new Map<string, TestBar[]>();
  for (const d of spec) byKey.set(`${d.ticker}|${d.date}`, makeDay(d.ticker, d.date, d));
  return [...byKey.values()].flat();
}

function stampOf(d: DailySpec): number {
  switch (d.stamp) {
    case 'utc-midnight': return Date.parse(`${d.date}T00:00:00Z`);
    case 'ny-midnight': return nyTime(d.date, '00:00');
    case 'ny-open': return nyTime(d.date, '09:30');
    default: return nyTime(d.date, '16:00');
  }
}

function addDailyBars(db: string, daily: DailySpec[]): void {
  const conn = new Database(db);
  const ins = conn.prepare("INSERT INTO ohlcv_data VALUES (?, ?, 10, 11, 9, 10.5, 1000, '1day', NULL)");
  for (const d of daily) ins.run(d.ticker, stampOf(d));
  conn.close();
}

/** What the probe must report at each step, recomputed from the raw bars. */
function expectedContext(bars: TestBar[], daily: DailySpec[], session: 'regular' | 'extended', lookbackDays: number, dailyBars: number) {
  const inSession = (b: TestBar) => {
    const t = nyParts(b.timestamp).time;
    return session === 'extended' || (t >= '09:30:00' && t < '16:00:00');
  };
  const kept = bars.filter(inSession);
  const dateOf = (b: TestBar) => nyParts(b.timestamp).date;
  return bruteForceReplay(bars, ({ ticker, date, visible }) => {
    const now = visible[visible.length - 1].timestamp;
    const refs: Record<string, number> = {};
    for (const r of REFERENCES) refs[r] = kept.filter((b) => b.ticker === r && dateOf(b) === date && b.timestamp <= now).length;
    const pastDates = [...new Set(kept.filter((b) => b.ticker === ticker && dateOf(b) < date).map(dateOf))].sort().slice(-lookbackDays || Infinity);
    const history = lookbackDays === 0 ? [] : kept.filter((b) => b.ticker === ticker && pastDates.includes(dateOf(b))).sort((a, b) => a.timestamp - b.timestamp);
    const dailyDates = dailyBars === 0 ? [] : daily.filter((d) => d.ticker === ticker && d.date < date).map((d) => d.date).sort().slice(-dailyBars);
    return {
      direction: 'LONG',
      metrics: {
        refs,
        history: history.length,
        history_first: history.length ? history[0].timestamp : null,
        daily: dailyDates.join(','),
        db_daily: dailyDates.join(','),
      },
    };
  }, { warmup: 3, signals: 'all', session, from: DATES[1], to: DATES[DATES.length - 1] });
}

describe('no lookahead through references, previous days and daily bars (property)', function () {
  const tmp = useTempDir();
  let n = 0;

  it('never shows a reference or history bar later than the current bar, nor a daily bar of today or later', async () => {
    await fc.assert(fc.asyncProperty(
      marketArb, dailyArb,
      fc.constantFrom('regular', 'extended') as fc.Arbitrary<'regular' | 'extended'>,
      fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 3 }),
      async (spec, daily, session, lookbackDays, dailyBars) => {
        const bars = buildMarket(spec);
        const db = writeStore(path.join(tmp(), `c${n++}.db`), bars);
        addDailyBars(db, daily);
        const run = await createTaskRunner({
          dbPath: db, scanner: { path: PROBE, kind: 'module' }, warmup: 3, signals: 'all', session, timeframe: '5min',
          mode: 'realtime', tempDir: tmp(), stepTimeoutMs: 10_000, persistent: false,
          context: { references: REFERENCES, lookbackDays, dailyBars },
        });
        try {
          const seen = [];
          for (const ticker of TICKERS) {
            const res = await run({ key: ticker, ticker, fromDate: DATES[1], toDate: DATES[DATES.length - 1] });
            expect(res.ok).to.equal(true);
            if (!res.ok) return;
            for (const d of res.days) {
              expect(d.error, `${ticker} ${d.date}: ${d.error?.message}`).to.equal(undefined);
              for (const s of d.signals) seen.push({ ticker: s.ticker, signal_date: s.signal_date, timestamp: s.timestamp, metrics: s.metrics });
            }
          }
          const expected = expectedContext(bars, daily, session, lookbackDays, dailyBars)
            .map((s) => ({ ticker: s.ticker, signal_date: s.signal_date, timestamp: s.timestamp, metrics: s.metrics }));
          const key = (s: { ticker: string; timestamp: number }) => `${s.ticker}|${s.timestamp}`;
          seen.sort((a, b) => (key(a) < key(b) ? -1 : 1));
          expected.sort((a, b) => (key(a) < key(b) ? -1 : 1));
          expect(seen).to.deep.equal(expected);
        } finally {
          run.close();
        }
      },
    ), { numRuns: 25 });
  });

  it('holds through the worker pool, with the options given as flags', async () => {
    const bars = TICKERS.flatMap((t) => DATES.map((d) => makeDay(t, d, { start: '09:30', slots: 40, missing: t === 'BBB' ? [0, 1, 2, 10, 11] : [5] }))).flat();
    const daily = DAILY_DATES.map((date, i) => ({ ticker: 'CCC', date, stamp: STAMPS[i % STAMPS.length] }));
    const db = writeStore(path.join(tmp(), 'pool.db'), bars);
    addDailyBars(db, daily);
    const r = await runBacktest({
      db, scanner: PROBE, threads: 2, signals: 'all', resultsDb: ':memory:', from: DATES[1],
      references: ['aaa', 'BBB', 'AAA'], lookbackDays: 2, dailyBars: 3,
    });
    expect(r.failures).to.deep.equal([]);
    expect(r.run.references).to.deep.equal(REFERENCES);
    const got = r.signals.map((s) => ({ ticker: s.ticker, signal_date: s.signal_date, timestamp: s.timestamp, metrics: s.metrics }));
    const want = expectedContext(bars, daily, 'regular', 2, 3).map((s) => ({ ticker: s.ticker, signal_date: s.signal_date, timestamp: s.timestamp, metrics: s.metrics }));
    const key = (s: { ticker: string; timestamp: number }) => `${s.ticker}|${s.timestamp}`;
    expect(got.sort((a, b) => (key(a) < key(b) ? -1 : 1))).to.deep.equal(want.sort((a, b) => (key(a) < key(b) ? -1 : 1)));
  });
});
