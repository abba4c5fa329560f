/**
 * The lookahead audit on planted scanners whose lookahead is known: each must be flagged with the right
 * category and bar count, computed by hand from the price paths below (not by the code under test).
 * audit-honest.test.ts has the honest scanners (a file of its own so the two halves run in parallel jobs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { runAudit } from '../../src/audit/run-audit.js';
import { formatAuditJson } from '../../src/report/format-audit-json.js';
import type { AuditEntry } from '../../src/audit/audit-types.js';
import { nyTime, writeStore, type TestBar } from '../helpers/bars.js';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';

const fixture = (f: string) => path.join(ROOT, 'test/fixtures/scanners', f);

/**
 * A day of 20 five-minute bars from 09:30 with the given closes; high/low ±0.5, open = previous close kept
 * inside the bar's range (a bar whose open lies outside [low, high] is refused as BAD_BAR).
 */
function pathDay(ticker: string, date: string, closes: number[]): TestBar[] {
  const start = nyTime(date, '09:30');
  return closes.map((c, i) => ({
    ticker, timestamp: start + i * 300_000, open: i === 0 ? c : Math.min(c + 0.5, Math.max(c - 0.5, closes[i - 1])),
    high: c + 0.5, low: c - 0.5, close: c, volume: 1000,
  }));
}
const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
/** Bar i of a 09:30 day, as HH:MM:SS. */
const at = (i: number) => {
  const m = 9 * 60 + 30 + 5 * i;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
};

// S1: flat 90, steps up to 101 at bar 12.    S2: rises 1 a bar from 100.
// S3: rises to 110 at bar 10, then falls 2 a bar.   S4: flat 95, three rising closes at bars 3-5, then flat 98.
const SHAPES: Record<string, number[]> = {
  'AAA|2025-11-03': range(20, (i) => (i < 12 ? 90 : 101)),
  'AAA|2025-11-04': range(20, (i) => 100 + i),
  'BBB|2025-11-03': range(20, (i) => (i <= 10 ? 100 + i : 110 - 2 * (i - 10))),
  'BBB|2025-11-04': range(20, (i) => (i < 3 ? 95 : i <= 5 ? 95 + (i - 2) : 98)),
};

/** [ticker, date, category, full-day bar, realtime bar] */
type Row = [string, string, string, number | null, number | null];
const rows = (entries: AuditEntry[]): Row[] => entries.map((e) => [
  e.ticker, e.date, e.category,
  e.full_day ? barOf(e.full_day.signal_time) : null,
  e.realtime ? barOf(e.realtime.signal_time) : null,
]);
const barOf = (time: string) => range(20, (i) => i).find((i) => at(i) === time) ?? -1;

describe('lookahead audit (planted scanners)', function () {
  const tmp = useTempDir();
  let db: string;
  before(() => {
    db = writeStore(path.join(tmp(), 'm.db'), Object.entries(SHAPES).flatMap(([k, closes]) => {
      const [t, d] = k.split('|');
      return pathDay(t, d, closes);
    }));
  });
  const audit = (scanner: string, extra: object = {}) => runAudit({ db, scanner: fixture(scanner), threads: 2, resultsDb: ':memory:', stepTimeoutMs: 20_000, ...extra });

  it('flags a module reading bars[i + 5] as late by 5 bars where the future decided', async () => {
    const a = await audit('audit/peeks-ahead.ts');
    // S1: full-day fires at the first i >= 3 with close[i + 5] > 100 (i = 7); realtime when close > 100 (12).
    // S2, S3: closes are above 100 from bar 1, so both fire at the first step (3). S4 never tops 100.
    // Entries come in the order of the day's earliest signal time.
    expect(rows(a.entries)).to.deep.equal([
      ['BBB', '2025-11-03', 'confirmed', 3, 3],
      ['AAA', '2025-11-03', 'late', 7, 12],
      ['AAA', '2025-11-04', 'confirmed', 3, 3],
    ]);
    expect(a.entries[1].bars_late).to.equal(5);
    expect(a.audit.summary).to.include({ full_day_signals: 3, confirmed: 2, late: 1, phantom: 0, extra: 0, knowable_share: 0.6667, bars_late_max: 5 });
    expect(a.audit.status).to.equal('completed');
  });

  it('in --signals all mode, matches every signal; the entries are byte-identical for 1 and 2 threads', async () => {
    const [one, two] = [await audit('audit/peeks-ahead.ts', { signals: 'all', threads: 1 }), await audit('audit/peeks-ahead.ts', { signals: 'all', threads: 2 })];
    // S1: full-day fires at bars 7-19 (close[min(i + 5, 19)] > 100), realtime at 12-19: 8 confirmed, 7-11 phantom.
    // S2: both at 3-19: 17 confirmed. S3: full-day 3-9 (close[i + 5] > 100 up to close[14] = 102), realtime
    // 3-14 (close > 100): 7 confirmed, 10-14 extra. S4: none.
    const count = (ticker: string, date: string, category: string) => one.entries.filter((e) => e.ticker === ticker && e.date === date && e.category === category).length;
    expect([count('AAA', '2025-11-03', 'confirmed'), count('AAA', '2025-11-03', 'phantom')]).to.deep.equal([8, 5]);
    expect(one.entries.filter((e) => e.category === 'phantom').map((e) => barOf(e.full_day!.signal_time))).to.deep.equal([7, 8, 9, 10, 11]);
    expect(count('AAA', '2025-11-04', 'confirmed')).to.equal(17);
    expect([count('BBB', '2025-11-03', 'confirmed'), count('BBB', '2025-11-03', 'extra')]).to.deep.equal([7, 5]);
    expect(one.entries.filter((e) => e.category === 'extra').map((e) => barOf(e.realtime!.signal_time))).to.deep.equal([10, 11, 12, 13, 14]);
    expect(one.audit.summary).to.include({ full_day_signals: 37, realtime_signals: 37, confirmed: 32, late: 0, phantom: 5, extra: 5, knowable_share: 0.8649 });
    const entries = (a: typeof one) => formatAuditJson(a).split('"runs"')[0];
    expect(entries(two)).to.equal(entries(one));
  });

  it('flags an SQL scanner using the day\'s maximum high as phantom, or late by the bars until the high existed', async () => {
    const a = await audit('audit/below-day-high.sql');
    // Full-day: the first step's close (bar 3) is more than 2% below the day's final high in every shape:
    // S1 90 vs 101.5, S2 103 vs 119.5, S3 103 vs 110.5, S4 96 vs 98.5.
    // Realtime: only S3 ever closes 2% below its high so far: bar 11 (108 < 0.98 × 110.5 = 108.29).
    expect(rows(a.entries)).to.deep.equal([
      ['AAA', '2025-11-03', 'phantom', 3, null],
      ['BBB', '2025-11-03', 'late', 3, 11],
      ['AAA', '2025-11-04', 'phantom', 3, null],
      ['BBB', '2025-11-04', 'phantom', 3, null],
    ]);
    expect(a.entries[1].bars_late).to.equal(8);
    expect(a.audit.summary).to.include({ full_day_signals: 4, confirmed: 0, knowable_share: 0, phantom: 3, late: 1 });
  });

  it('flags a legacy script that back-dates its signal_time as late by the pattern\'s length, run once per day over the whole day', async () => {
    // BBB only: every Python start costs seconds on a loaded machine. Three rising closes complete first at
    // bar 2 (S3) and bar 4 (S4); the script reports the first bar of the three, bars 0 and 2.
    const a = await audit('audit/backdated.py', { tickers: ['BBB'] });
    expect(rows(a.entries)).to.deep.equal([
      ['BBB', '2025-11-03', 'late', 0, 2],
      ['BBB', '2025-11-04', 'late', 2, 4],
    ]);
    expect(a.entries.map((e) => e.bars_late)).to.deep.equal([2, 2]);
    // Once per ticker-day in full-day mode: 2 scanner calls.
    expect(a.runs.full_day.counts.steps).to.equal(2);
    expect(a.audit.summary.knowable_share).to.equal(0);
  });

  it('audits an honest whole-day legacy script as 100% confirmed', async () => {
    // The first close 0.3% above the opening close: bar 1 in S3 (101 > 100.3), bar 3 in S4 (96 > 95.285).
    const a = await audit('audit/honest-whole-day.py', { tickers: ['BBB'] });
    expect(rows(a.entries)).to.deep.equal([
      ['BBB', '2025-11-03', 'confirmed', 1, 1],
      ['BBB', '2025-11-04', 'confirmed', 3, 3],
    ]);
    expect(a.audit.summary.knowable_share).to.equal(1);
  });

  it('runs from the CLI: the table, --out JSON with entries one per line, and usage errors for flags that do not apply', async () => {
    const out = path.join(tmp(), 'audit.json');
    const r = await runCli(['audit', '--db', db, '--scanner', fixture('audit/peeks-ahead.ts'), '--results-db', ':memory:', '--out', out, '--threads', '1']);
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout.trim())).to.include({ status: 'completed', full_day_signals: 3, confirmed: 2, late: 1 });
    const text = fs.readFileSync(out, 'utf8');
    const json = JSON.parse(text);
    expect(json.audit.summary.knowable_share).to.equal(0.6667);
    expect(json.runs.full_day.mode).to.equal('full-day');
    expect(json.runs.realtime.mode).to.equal('realtime');
    expect(text).to.include('\n{"ticker":"AAA","date":"2025-11-03","category":"late","full_day":{"signal_time":"10:05:00"');
    const bad = await runCli(['audit', '--db', db, '--scanner', fixture('audit/peeks-ahead.ts'), '--mode', 'naive']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/--mode naive does not apply/);
  });

  it('flags a regime filter on SPY\'s end-of-day close as late by the bars until SPY was really up', async () => {
    // 11-03: SPY opens at 99 and is up only from bar 15;
    // CCC first closes above its opening bar's high at bar 5. Full-day: SPY closed up, signal at bar 5.
    // Realtime: the filter passes from bar 15 → late by 10. 11-04: SPY is up from bar 1 → confirmed at bar 5.
    const spyUpLate = range(20, (i) => (i < 15 ? 99 : 101)); // opens 99, closes up only after bar 15
    const spyUpAllDay = range(20, (i) => 100 + i * 0.1);
    const bars = [
      ...pathDay('SPY', '2025-11-03', spyUpLate), ...pathDay('CCC', '2025-11-03', range(20, (i) => (i < 5 ? 50 : 51))),
      ...pathDay('SPY', '2025-11-04', spyUpAllDay), ...pathDay('CCC', '2025-11-04', range(20, (i) => (i < 5 ? 50 : 51))),
    ];
    const spyDb = writeStore(path.join(tmp(), 'spy.db'), bars);
    const a = await runAudit({ db: spyDb, scanner: fixture('audit/spy-closes-up.py'), tickers: ['CCC'], threads: 1, resultsDb: ':memory:', references: ['SPY'] });
    expect(rows(a.entries)).to.deep.equal([
      ['CCC', '2025-11-03', 'late', 5, 15],
      ['CCC', '2025-11-04', 'confirmed', 5, 5],
    ]);
  });
});
