/**
 * Context the way existing scripts query it: `barwise aggregate` makes the daily bars a hand computation gives
 * (an early close and a DST change day among them), idempotently; with `--daily-bars` those bars are
 * `timeframe = '1day'` rows of ohlcv_data in every day database, never today's; references get their own
 * previous days and daily bars. A legacy script and a module scanner reading QQQ's previous close give, in
 * realtime and naive mode, exactly what a brute force over the raw bars gives.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { runBacktest } from '../../src/index.js';
import { planToOptions } from '../../src/plan/plan-to-options.js';
import { resolveRun } from '../../src/plan/resolve-run.js';
import { hashPlan } from '../../src/plan/run-plan.js';
import { makeDay, writeStore, type TestBar } from '../helpers/bars.js';
import { nyParts } from '../helpers/oracle.js';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';

const SCRIPT = path.join(ROOT, 'test/fixtures/scanners/regime-qqq.mjs');
const MODULE = path.join(ROOT, 'test/fixtures/scanners/regime-qqq-module.ts');

interface DailyRow { ticker: string; timestamp: number; open: number; high: number; low: number; close: number; volume: number; time_of_day: string }

const readDaily = (db: string): DailyRow[] => {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare("SELECT ticker, timestamp, open, high, low, close, volume, time_of_day FROM ohlcv_data WHERE timeframe = '1day' ORDER BY ticker, timestamp").all() as DailyRow[];
  } finally {
    conn.close();
  }
};

describe('legacy context: daily bars as ohlcv_data rows, made by barwise aggregate, and references with a past', function () {
  const tmp = useTempDir();

  describe('barwise aggregate', () => {
    // XYZ: a regular EDT day, the first EST day after the change (2025-11-03), and the early close of 2025-11-28.
    // Bars outside 09:30-16:00 New York (pre-market, after hours) are in the file and must be left out.
    const CSV = [
      'ticker,timestamp,open,high,low,close,volume',
      'XYZ,2025-10-31T09:25:00-04:00,9,99,1,9,5000',
      'XYZ,2025-10-31T09:30:00-04:00,10,11,9.5,10.5,100',
      'XYZ,2025-10-31T12:00:00-04:00,10.5,12.25,10,12,250',
      'XYZ,2025-10-31T15:55:00-04:00,12,12.5,11,11.75,300',
      'XYZ,2025-10-31T16:00:00-04:00,11.75,20,0.5,11.8,7000',
      'XYZ,2025-11-03T08:00:00-05:00,13,30,2,13,900',
      'XYZ,2025-11-03T09:30:00-05:00,20,21,19,20.5,40',
      'XYZ,2025-11-03T10:00:00-05:00,20.5,20.75,18.5,19,60',
      'XYZ,2025-11-03T15:55:00-05:00,19,22,18.75,21.5,80',
      'XYZ,2025-11-28T09:30:00-05:00,30,30.5,29,29.5,10',
      'XYZ,2025-11-28T12:55:00-05:00,29.5,31,28,30.25,20',
      'XYZ,2025-11-28T13:00:00-05:00,30.25,31.5,29,31,5',
      'XYZ,2025-11-28T16:30:00-05:00,31,40,1,35,999',
      '',
    ].join('\n');
    // By hand from the lines above; stamped at New York midnight of the date (04:00 UTC in EDT, 05:00 in EST).
    const HAND: DailyRow[] = [
      { ticker: 'XYZ', timestamp: Date.parse('2025-10-31T04:00:00Z'), open: 10, high: 12.5, low: 9.5, close: 11.75, volume: 650, time_of_day: '00:00:00' },
      { ticker: 'XYZ', timestamp: Date.parse('2025-11-03T05:00:00Z'), open: 20, high: 22, low: 18.5, close: 21.5, volume: 180, time_of_day: '00:00:00' },
      { ticker: 'XYZ', timestamp: Date.parse('2025-11-28T05:00:00Z'), open: 30, high: 31.5, low: 28, close: 31, volume: 35, time_of_day: '00:00:00' },
    ];

    it('makes the hand-computed daily bars from regular-session bars, and a second run changes nothing', async () => {
      const csv = path.join(tmp(), 'xyz.csv');
      fs.writeFileSync(csv, CSV);
      const db = path.join(tmp(), 'xyz.db');
      const imp = await runCli(['import', '--csv', csv, '--db', db]);
      expect(imp.code, imp.stderr).to.equal(0);
      const first = await runCli(['aggregate', '--db', db]);
      expect(first.code, first.stderr).to.equal(0);
      expect(first.stdout).to.include('3 1day bar(s) of 1 ticker(s) from "5min" bars: 3 written, 0 already up to date');
      expect(readDaily(db)).to.deep.equal(HAND);
      const again = await runCli(['aggregate', '--db', db]);
      expect(again.code, again.stderr).to.equal(0);
      expect(again.stdout).to.include('0 written, 3 already up to date');
      expect(readDaily(db)).to.deep.equal(HAND);
    });

    it('after more bars are imported, rewrites only the days they belong to', async () => {
      const db = path.join(tmp(), 'xyz.db');
      const more = path.join(tmp(), 'more.csv');
      fs.writeFileSync(more, 'ticker,timestamp,open,high,low,close,volume\nXYZ,2025-11-03T15:50:00-05:00,21,23,17,21.25,20\n');
      expect((await runCli(['import', '--csv', more, '--db', db])).code).to.equal(0);
      const r = await runCli(['aggregate', '--db', db]);
      expect(r.stdout).to.include('1 written, 2 already up to date');
      expect(readDaily(db)).to.deep.equal([HAND[0], { ...HAND[1], high: 23, low: 17, volume: 200 }, HAND[2]]);
    });
  });

  describe('a reference\'s previous close, through DATABASE_PATH and ctx', () => {
    // QQQ does not trade on 2025-11-03: on 11-04 its previous trading day (and daily bar) is 10-31, AAA's is 11-03.
    const DATES = ['2025-10-30', '2025-10-31', '2025-11-03', '2025-11-04'];
    const WARMUP = 6;
    let db: string;
    let bars: TestBar[];
    before(async () => {
      bars = [];
      for (const date of DATES) {
        bars.push(...makeDay('AAA', date, { slots: 10, missing: [3] }));
        if (date !== '2025-11-03') bars.push(...makeDay('QQQ', date, { slots: 10, start: '09:35', price: date === '2025-10-31' ? 103 : 100 }));
      }
      db = writeStore(path.join(tmp(), 'regime.db'), bars);
      const r = await runCli(['aggregate', '--db', db]);
      expect(r.code, r.stderr).to.equal(0);
    });

    /** What each step must see, from the raw bars alone: daily bars recomputed here, not read from the store. */
    const bruteForce = (from: string) => {
      const byDay = new Map<string, TestBar[]>();
      for (const b of bars) {
        const key = `${b.ticker}|${nyParts(b.timestamp).date}`;
        byDay.set(key, [...(byDay.get(key) ?? []), b]);
      }
      const datesOf = (t: string, before: string) => DATES.filter((d) => d < before && byDay.has(`${t}|${d}`));
      const closeOf = (t: string, d: string) => byDay.get(`${t}|${d}`)!.at(-1)!.close;
      const out = [];
      for (const date of DATES.filter((d) => d >= from)) {
        const day = byDay.get(`AAA|${date}`)!;
        const qqqDaily = datesOf('QQQ', date).slice(-2);
        const prevClose = qqqDaily.length > 0 ? closeOf('QQQ', qqqDaily.at(-1)!) : null;
        const qqqPrev = datesOf('QQQ', date).slice(-1).map((d) => byDay.get(`QQQ|${d}`)!.length)[0] ?? 0;
        const ownPrev = datesOf('AAA', date).slice(-1).map((d) => byDay.get(`AAA|${d}`)!.length)[0] ?? 0;
        for (let i = WARMUP; i < day.length; i++) {
          const seen = (byDay.get(`QQQ|${date}`) ?? []).filter((b) => b.timestamp <= day[i].timestamp);
          const qqqLast = seen.length > 0 ? seen.at(-1)!.close : null;
          out.push({
            timestamp: day[i].timestamp,
            direction: prevClose !== null && qqqLast !== null && qqqLast > prevClose ? 'LONG' : 'SHORT',
            metrics: {
              prev_close: prevClose, qqq_last: qqqLast, qqq_daily: qqqDaily.join(','), own_daily: datesOf('AAA', date).slice(-2).join(','),
              qqq_prev_bars: qqqPrev, own_5min: ownPrev + i + 1, daily_bars_qqq: qqqDaily.join(','),
            },
          });
        }
      }
      return out;
    };
    const seen = (signals: { timestamp: number; direction: string | null; metrics?: unknown }[]) =>
      signals.map((s) => ({ timestamp: s.timestamp, direction: s.direction, metrics: s.metrics }));

    it('a legacy script gives the brute-force answer at every step, in realtime and naive mode', async () => {
      const want = bruteForce('2025-10-31');
      expect(want.some((s) => s.direction === 'LONG') && want.some((s) => s.direction === 'SHORT'), 'both regimes occur').to.equal(true);
      for (const mode of ['realtime', 'naive'] as const) {
        const r = await runBacktest({ db, scanner: SCRIPT, tickers: ['AAA'], from: '2025-10-31', warmup: WARMUP, signals: 'all', mode, threads: 1, resultsDb: ':memory:', stepTimeoutMs: 60_000 });
        expect(r.failures, mode).to.deep.equal([]);
        expect(seen(r.signals), mode).to.deep.equal(want);
      }
    });

    it('a module scanner gives the same through ctx.refs.daily / history / get and ctx.db, in realtime and naive mode', async () => {
      const want = bruteForce('2025-10-31').map((s) => ({ ...s, metrics: { ...s.metrics, db_qqq_daily: s.metrics.qqq_daily } }));
      for (const mode of ['realtime', 'naive'] as const) {
        const r = await runBacktest({ db, scanner: MODULE, tickers: ['AAA'], from: '2025-10-31', warmup: WARMUP, signals: 'all', mode, threads: 1, resultsDb: ':memory:', stepTimeoutMs: 60_000 });
        expect(r.failures, mode).to.deep.equal([]);
        expect(seen(r.signals), mode).to.deep.equal(want);
      }
    });

    it('--allow-scanner-writes is part of the run\'s identity, kept by a resume, and absent from the plan when not given', async () => {
      const base = { db, scanner: SCRIPT, tickers: ['AAA'], from: '2025-10-31' };
      const without = await resolveRun(base);
      const withWrites = await resolveRun({ ...base, allowScannerWrites: true });
      expect(without.options).to.not.have.property('allowScannerWrites');
      expect(hashPlan(await resolveRun({ ...base, allowScannerWrites: false }))).to.equal(hashPlan(without));
      expect(hashPlan(withWrites)).to.not.equal(hashPlan(without));
      expect(hashPlan(await resolveRun(planToOptions(withWrites)))).to.equal(hashPlan(withWrites));
    });

    it('without --daily-bars no 1day row reaches the day database, and a 5min query never sees one', async () => {
      const r = await runBacktest({ db, scanner: SCRIPT, tickers: ['AAA'], from: '2025-11-04', warmup: 8, signals: 'all', dailyBars: 0, threads: 1, resultsDb: ':memory:' });
      expect(r.failures).to.deep.equal([]);
      const last = bruteForce('2025-11-04').at(-1)!.metrics;
      expect(seen(r.signals).map((s) => s.metrics)).to.deep.equal([{ ...last, prev_close: null, qqq_daily: '', own_daily: '', daily_bars_qqq: '' }]);
    });
  });
});
