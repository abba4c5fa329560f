/**
 * Scanners that look beyond their own ticker's day: a relative-strength scanner against SPY (references)
 * and a gap scanner on the previous close (lookback-days) give exactly the signals recomputed here by brute
 * force from the raw bars; legacy scripts see the same context through DATABASE_PATH; naive mode (a fresh
 * file and process per bar) gives the same as realtime; the bundled data runs with --references SPY.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { runBacktest } from '../../src/index.js';
import { publicSignal } from '../../src/report/format-json.js';
import { makeDay, nyTime, writeStore, type TestBar } from '../helpers/bars.js';
import { nyParts } from '../helpers/oracle.js';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';

const RS = path.join(ROOT, 'scanners/relative-strength-spy.ts');
const GAP = path.join(ROOT, 'scanners/gap-up-hold.sql');
const PROBE = path.join(ROOT, 'test/fixtures/scanners/context-probe.ts');
const COUNTS_PY = path.join(ROOT, 'test/fixtures/scanners/context-counts.py');
const DATES = ['2025-10-30', '2025-10-31', '2025-11-03', '2025-11-04', '2025-11-05'];

interface Day { ticker: string; date: string; bars: (TestBar & { time: string })[] }

/** Regular-session days by ticker and date, from raw bars, with New York times: shares nothing with src/. */
function daysOf(bars: TestBar[]): Map<string, Day> {
  const out = new Map<string, Day>();
  for (const b of bars) {
    const { date, time } = nyParts(b.timestamp);
    if (time < '09:30:00' || time >= '16:00:00') continue;
    const key = `${b.ticker}|${date}`;
    if (!out.has(key)) out.set(key, { ticker: b.ticker, date, bars: [] });
    out.get(key)!.bars.push({ ...b, time });
  }
  for (const d of out.values()) d.bars.sort((a, b) => a.timestamp - b.timestamp);
  return out;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const sortKey = (s: { signal_date: string; timestamp: number; ticker: string }) => `${s.signal_date}|${String(s.timestamp).padStart(15, '0')}|${s.ticker}`;
const bySortKey = <T extends { signal_date: string; timestamp: number; ticker: string }>(xs: T[]) => xs.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));

describe('scanners with context: references, previous days, daily bars', function () {
  const tmp = useTempDir();
  let db: string;
  let bars: TestBar[];
  before(() => {
    bars = [];
    for (const [i, date] of DATES.entries()) {
      // SPY misses its first bars on some days (a reference with no bar yet), and a whole day.
      if (date !== '2025-11-04') bars.push(...makeDay('SPY', date, { missing: i % 2 ? [0, 1, 2, 3, 30, 31, 32] : [12, 50] }));
      bars.push(...makeDay('AAA', date, { missing: [7, 40] }));
      // BBB does not trade on 2025-11-03: its previous trading day on 11-04 is 10-31.
      if (date !== '2025-11-03') bars.push(...makeDay('BBB', date, { start: '09:45' }));
    }
    db = writeStore(path.join(tmp(), 'market.db'), bars);
  });

  it('relative strength vs SPY gives exactly the brute-force signals, at every step', async () => {
    const r = await runBacktest({ db, scanner: RS, threads: 2, signals: 'all', resultsDb: ':memory:' });
    expect(r.failures).to.deep.equal([]);
    expect(r.run.references).to.deep.equal(['SPY']);
    const days = daysOf(bars);
    const expected = [];
    for (const d of days.values()) {
      if (d.ticker === 'SPY') continue;
      const spyDay = days.get(`SPY|${d.date}`)?.bars ?? [];
      for (let i = 6; i < d.bars.length; i++) {
        const bar = d.bars[i];
        if (bar.time < '10:00:00') continue;
        const spy = spyDay.filter((b) => b.timestamp <= bar.timestamp);
        if (spy.length === 0) continue;
        const own = (bar.close / d.bars[0].open - 1) * 100;
        const market = (spy[spy.length - 1].close / spy[0].open - 1) * 100;
        const lead = own - market;
        if (Math.abs(lead) < 1) continue;
        expected.push({
          ticker: d.ticker, signal_date: d.date, signal_time: bar.time, timestamp: bar.timestamp,
          direction: lead > 0 ? 'LONG' : 'SHORT', pattern_strength: round3(lead),
          metrics: { change_pct: round3(own), spy_change_pct: round3(market) },
        });
      }
    }
    expect(expected.length, 'the scanner should fire on this data').to.be.greaterThan(20);
    expect(r.signals.map(publicSignal)).to.deep.equal(bySortKey(expected));
  });

  it('a gap scanner on the previous trading day\'s close gives exactly the brute-force signals, history read from before --from', async () => {
    const from = DATES[1];
    const r = await runBacktest({ db, scanner: GAP, threads: 2, resultsDb: ':memory:', from });
    expect(r.failures).to.deep.equal([]);
    expect(r.run.lookback_days).to.equal(1);
    const days = daysOf(bars);
    const expected = [];
    for (const d of days.values()) {
      if (d.date < from) continue;
      const previous = [...days.values()].filter((p) => p.ticker === d.ticker && p.date < d.date).sort((a, b) => (a.date < b.date ? -1 : 1)).pop();
      if (!previous) continue;
      const prevClose = previous.bars[previous.bars.length - 1].close;
      const first = d.bars[0];
      for (let i = 6; i < d.bars.length; i++) {
        const bar = d.bars[i];
        if (bar.time < '10:00:00' || !(first.open >= 1.01 * prevClose) || !(bar.close > first.high)) continue;
        expected.push({
          ticker: d.ticker, signal_date: d.date, signal_time: bar.time, timestamp: bar.timestamp, direction: 'LONG',
          pattern_strength: round3(100 * (first.open / prevClose - 1)),
          metrics: { prev_close: prevClose, day_open: first.open, first_bar_high: first.high, close: bar.close },
        });
        break;
      }
    }
    expect(expected.length, 'the scanner should fire on this data').to.be.greaterThan(2);
    expect(r.signals.map(publicSignal)).to.deep.equal(bySortKey(expected));
  });

  it('naive mode gives the realtime signals, for a module and an SQL scanner with context', async () => {
    const small = { db, tickers: ['AAA', 'BBB'], from: '2025-11-04', to: '2025-11-04', threads: 2, resultsDb: ':memory:', signals: 'all' as const, stepTimeoutMs: 60_000 };
    const cases: [string, { references?: string[]; lookbackDays?: number; warmup: number }][] = [
      [PROBE, { references: ['SPY', 'AAA'], lookbackDays: 2, warmup: 74 }],
      [GAP, { warmup: 72 }],
    ];
    for (const [scanner, extra] of cases) {
      const realtime = await runBacktest({ ...small, ...extra, scanner });
      const naive = await runBacktest({ ...small, ...extra, scanner, mode: 'naive' });
      expect(realtime.failures).to.deep.equal([]);
      expect(naive.failures).to.deep.equal([]);
      expect(realtime.run.counts.steps).to.be.greaterThan(0);
      expect(naive.signals.map(publicSignal)).to.deep.equal(realtime.signals.map(publicSignal));
    }
  });

  it('legacy scripts see references (with their previous days), previous days and daily bars through DATABASE_PATH', async () => {
    const withDaily = writeStore(path.join(tmp(), 'daily.db'), bars);
    const conn = new Database(withDaily);
    const ins = conn.prepare("INSERT INTO ohlcv_data VALUES ('BBB', ?, 10, 11, 9, 10.5, 1000, '1day', NULL)");
    // Stamped at UTC midnight (the evening before in New York) and at the open; today's and later ones too.
    for (const d of ['2025-10-29', '2025-10-30', '2025-10-31', '2025-11-04', '2025-11-05']) ins.run(d < '2025-11-01' ? Date.parse(`${d}T00:00:00Z`) : nyTime(d, '09:30'));
    conn.close();
    const r = await runBacktest({ db: withDaily, scanner: COUNTS_PY, tickers: ['BBB'], from: '2025-11-04', to: '2025-11-04', threads: 1, resultsDb: ':memory:', signals: 'all', stepTimeoutMs: 60_000, warmup: 70 });
    expect(r.failures).to.deep.equal([]);
    const days = daysOf(bars);
    const today = days.get('BBB|2025-11-04')!.bars;
    const previous = days.get('BBB|2025-10-31')!.bars;
    const aaa = days.get('AAA|2025-11-04')!.bars;
    // The reference's previous trading day is its own (AAA traded on 11-03, BBB did not), whole.
    const aaaPrevious = days.get('AAA|2025-11-03')!.bars;
    const expected = today.slice(70).map((bar, k) => ({
      timestamp: bar.timestamp,
      metrics: {
        counts: { AAA: aaaPrevious.length + aaa.filter((b) => b.timestamp <= bar.timestamp).length, BBB: previous.length + 70 + k + 1 },
        last: bar.timestamp,
        daily: '2025-10-30,2025-10-31',
        daily_rows: 'BBB 2025-10-30 00:00:00,BBB 2025-10-31 00:00:00',
      },
    }));
    expect(r.signals.map((s) => ({ timestamp: s.timestamp, metrics: s.metrics }))).to.deep.equal(expected);
  });

  it('runs on the bundled data with --references SPY out of the box, and names an unknown reference', async () => {
    const ok = await runCli(['backtest', '--references', 'SPY', '--scanner', 'scanners/relative-strength-spy.ts', '--tickers', 'NVDA,AMD',
      '--from', '2025-11-03', '--to', '2025-11-07', '--results-db', ':memory:', '--no-progress', '--out', path.join(tmp(), 'rs.json')]);
    expect(ok.code, ok.stderr).to.equal(0);
    const bad = await runCli(['backtest', '--references', 'SPY,NOPE', '--results-db', ':memory:', '--no-progress']);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.match(/reference ticker\(s\) NOPE have no "5min" bars/);
  });
});
