/**
 * Fault catalogue, legacy scripts' messages and traps, through the real CLI: a failing script's message keeps
 * the error itself and the script's own line, --persistent on a script without the protocol says so, signals
 * a scanner dates another day are refused (every kind), and the run notices (warmup trap, a scanner reading
 * days it was not given, reported times outside the session) appear when they should and only then.
 * docs/reliability.md lists every case under "Legacy messages and audit".
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { writeStore } from '../helpers/bars.js';
import { ROOT } from '../helpers/temp.js';
import { checkLookbackUse } from '../../src/notices/lookback-use.js';
import { resolveScannerSource } from '../../src/scanners/scanner-source.js';
import { SCANNER_KIND_ADAPTERS } from '../../src/scanners/scanner-kinds.js';
import { expectClean, faultFixture, storeDays, useFaultStore } from './harness.js';

const legacy = (f: string) => faultFixture(path.join('legacy', f));
const DATES = ['2025-10-31', '2025-11-03']; // either side of the end of daylight saving time (2025-11-02)

describe('faults: legacy messages and traps', function () {
  const store = useFaultStore(() => storeDays(['AAA', 'BBB'], DATES, 12));
  const bt = (args: string[], o: { db?: string } = {}) => store.backtest(['--warmup', '2', ...args], o);
  const noticesOf = (json: { notices: { code: string }[] }) => json.notices.map((n) => n.code);

  describe('a failing script\'s message', () => {
    it('a TS script importing a module that is not there: names "Cannot find module" and the script, not Node\'s version line (exit 1)', async () => {
      const r = await bt(['--scanner', legacy('missing-import.ts'), '--tickers', 'AAA', '--from', '2025-11-03']);
      expect(r.code).to.equal(1);
      const f = r.json.failures[0];
      expect(f.code).to.equal('SCANNER_THREW');
      expect(f.message).to.match(/^script missing-import\.ts exited with code 1; stderr, its first error and last lines:\nError \[ERR_MODULE_NOT_FOUND\]: Cannot find module '[^']*legacy\/src\/database\/db' imported from [^\n]*missing-import\.ts\n/);
      // The one-line summary on stderr shows the error, not the last line (Node.js v20…).
      expect(r.stderr).to.match(/AAA 2025-11-03 SCANNER_THREW: script missing-import\.ts exited with code 1; .* … Error \[ERR_MODULE_NOT_FOUND\]: Cannot find module/);
      expectClean(r);
    });

    it('a Python traceback: the exception, then the script\'s own frame with its line of code, then the last lines (exit 1)', async () => {
      const r = await bt(['--scanner', legacy('traceback.py'), '--tickers', 'AAA', '--from', '2025-11-03']);
      expect(r.code).to.equal(1);
      const lines = r.json.failures[0].message.split('\n');
      expect(lines[1]).to.equal('ValueError: no close for AAA in AAA-2025-11-03.db');
      expect(lines[2]).to.match(/^File ".*legacy\/traceback\.py", line 7, in latest_close$/);
      expect(lines[3]).to.equal('  raise ValueError("no close for " + os.environ["SCAN_TICKERS"] + " in " + os.path.basename(path))');
      expect(r.stderr).to.match(/SCANNER_THREW: script traceback\.py exited with code 1; .* … ValueError: no close for AAA/);
      expectClean(r);
    });

    it('500 lines of stderr after an early error: keeps that error and its frame in the script, and the last lines; bounded (exit 1)', async () => {
      const r = await bt(['--scanner', legacy('noisy-then-fails.js'), '--tickers', 'AAA', '--from', '2025-11-03']);
      expect(r.code).to.equal(1);
      const message: string = r.json.failures[0].message;
      const lines = message.split('\n');
      expect(lines[0]).to.equal('script noisy-then-fails.js exited with code 2; stderr, its first error and last lines:');
      expect(lines[1]).to.match(/^Error: config\.json not found in /);
      expect(lines[2]).to.match(/^at loadConfig \(.*legacy\/noisy-then-fails\.js:5:9\)$/);
      expect(lines[3]).to.equal('…');
      expect(lines.slice(-2)).to.deep.equal(['progress: scanned row 500 of 500 for AAA', 'giving up: no configuration']);
      expect(message).not.to.include('row 250 ');
      expect(message.length).to.be.below(1000);
      expectClean(r);
    });
  });

  describe('--persistent on a script without the persistent protocol', () => {
    it('a run-once script (prints its JSON and exits): says it does not implement the protocol and to drop --persistent (exit 1)', async () => {
      const r = await bt(['--scanner', legacy('run-once.ts'), '--persistent', '--threads', '1']);
      expect(r.code).to.equal(1);
      expect(r.json.failures).to.have.length(4);
      for (const f of r.json.failures) {
        expect(f.code).to.equal('SCANNER_PROTOCOL');
        expect(f.message).to.match(/^script run-once\.ts does not implement the persistent protocol \(it exited \(code 0\) before printing READY\); drop --persistent \(warm execution is the default\)/);
      }
      expect(r.stderr).to.match(/SCANNER_PROTOCOL: script run-once\.ts does not implement the persistent protocol/);
      expectClean(r);
    });

    it('a persistent script failing before READY: its error first, SCANNER_THREW, with the hint about --persistent (exit 1)', async () => {
      const r = await bt(['--scanner', legacy('crashes-before-ready.py'), '--tickers', 'AAA', '--from', '2025-11-03']);
      expect(r.code).to.equal(1);
      const f = r.json.failures[0];
      expect(f.code).to.equal('SCANNER_THREW');
      expect(f.message).to.match(/^persistent script crashes-before-ready\.py exited \(code 1\) before printing READY \(if it does not implement the persistent protocol, drop --persistent\); stderr, its first error and last lines:\nModuleNotFoundError: No module named 'barwise_helpers_that_are_not_installed'\nFile ".*crashes-before-ready\.py", line 4, in <module>/);
      expectClean(r);
    });

    it('a script that never prints READY: "no READY within 15 s", waited for once per worker, not once per ticker-day (exit 1)', async () => {
      const started = Date.now();
      const r = await bt(['--scanner', legacy('never-ready.js'), '--persistent', '--threads', '1', '--step-timeout', '1']);
      expect(r.code).to.equal(1);
      expect(r.json.failures.map((f: { code: string }) => f.code)).to.deep.equal(Array(4).fill('SCANNER_PROTOCOL'));
      expect(r.json.failures[0].message).to.match(/^script never-ready\.js does not implement the persistent protocol \(no READY within 15 s\); drop --persistent/);
      expect(Date.now() - started).to.be.below(28_000); // four ticker-days, one wait
      expectClean(r);
    });
  });

  describe('signals a scanner dates another day (SIGNAL_OUTSIDE_DAY), never re-dated to today', () => {
    for (const file of ['reports-previous-day.py', 'reports-previous-day.ts', 'reports-previous-day.sql']) {
      it(`${path.extname(file).slice(1)}: a signal at yesterday's bar (seen through lookback-days) fails that ticker-day, naming both days (exit 1)`, async () => {
        const r = await bt(['--scanner', legacy(file)]);
        expect(r.code).to.equal(1);
        // 2025-10-31 is the first day in the store: no yesterday, no signal, no failure.
        expect(r.json.failures.map((f: { ticker: string; date: string; code: string }) => [f.ticker, f.date, f.code])).to.deep.equal([
          ['AAA', '2025-11-03', 'SIGNAL_OUTSIDE_DAY'], ['BBB', '2025-11-03', 'SIGNAL_OUTSIDE_DAY'],
        ]);
        expect(r.json.failures[0].message).to.match(/scanner reported a signal dated 2025-10-31 \(timestamp "\d+"\) while scanning AAA 2025-11-03: it is not a bar of this ticker-day, and barwise does not re-date it/);
        expect(r.json.signals).to.deep.equal([]);
        expectClean(r);
      });
    }

    it('full-day mode: the same script fails the same ticker-days instead of landing on today\'s first bar (exit 1)', async () => {
      const r = await bt(['--scanner', legacy('reports-previous-day.py'), '--mode', 'full-day']);
      expect(r.code).to.equal(1);
      expect(r.json.failures.map((f: { date: string; code: string }) => [f.date, f.code])).to.deep.equal([
        ['2025-11-03', 'SIGNAL_OUTSIDE_DAY'], ['2025-11-03', 'SIGNAL_OUTSIDE_DAY'],
      ]);
      expect(r.json.signals).to.deep.equal([]);
      expectClean(r);
    });
  });

  describe('reported times outside the session (full-day mode)', () => {
    it('UTC times read as New York time are flagged on each signal and in a notice naming --reported-time-zone UTC (exit 0)', async () => {
      const r = await bt(['--scanner', legacy('reports-utc-time.py'), '--mode', 'full-day', '--tickers', 'AAA']);
      expect(r.code, r.stderr).to.equal(0);
      // The last bar (10:25 New York) is 14:25 UTC on 10-31 (EDT, UTC-4) and 15:25 UTC on 11-03 (EST, UTC-5).
      expect(r.json.signals.map((s: { signal_time: string; metrics: Record<string, unknown> }) => [s.signal_time, s.metrics.reported_time_outside_session]))
        .to.deep.equal([['10:25:00', '14:25'], ['10:25:00', '15:25']]);
      expect(noticesOf(r.json)).to.deep.equal(['TIME_OUTSIDE_SESSION']);
      expect(r.stderr).to.match(/barwise: notice \(TIME_OUTSIDE_SESSION\): 2 of 2 signal\(s\) reported a time outside the day's bars \(e\.g\. AAA 2025-10-31: "14:25", read as New York time\).*\n  If the scanner reports UTC times, pass --reported-time-zone UTC/);
      expectClean(r);
    });

    it('with --reported-time-zone UTC each lands on its bar, on both sides of the DST change, unflagged and without a notice (exit 0)', async () => {
      const r = await bt(['--scanner', legacy('reports-utc-time.py'), '--mode', 'full-day', '--tickers', 'AAA', '--reported-time-zone', 'UTC']);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.json.signals.map((s: { signal_date: string; signal_time: string; metrics: Record<string, unknown> }) => [s.signal_date, s.signal_time, 'reported_time_outside_session' in s.metrics]))
        .to.deep.equal([['2025-10-31', '10:25:00', false], ['2025-11-03', '10:25:00', false]]);
      expect(r.json.notices).to.deep.equal([]);
      expect(r.stderr).not.to.match(/notice/);
      expectClean(r);
    });

    it('--reported-time-zone is checked like every choice (exit 2)', async () => {
      const r = await bt(['--scanner', legacy('reports-utc-time.py'), '--reported-time-zone', 'Europe/Paris']);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/reported-time-zone/);
      expectClean(r);
    });
  });

  describe('the warmup trap', () => {
    let long: string;
    before(() => {
      long = writeStore(store.file('long.db'), storeDays(['AAA', 'BBB'], DATES, 40));
    });

    it('most signals at the first step: a notice with the share, the first step\'s bar and time, and a lower --warmup (exit 0)', async () => {
      const r = await store.backtest(['--scanner', legacy('fires-every-bar.sql')], { db: long });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.json.signals).to.have.length(4);
      expect(noticesOf(r.json)).to.deep.equal(['WARMUP_TRAP']);
      expect(r.json.notices[0].message).to.equal("4 of 4 signals (100%) fired at the first step of their day (bar 30, 12:00 on most days): the scanner's condition already held when it first ran, so their time is the warmup's, not the signal's");
      expect(r.stderr).to.match(/barwise: notice \(WARMUP_TRAP\): 4 of 4 signals \(100%\).*\n  Lower --warmup to the bars the scanner needs before it can signal \(e\.g\. --warmup 6/);
      expectClean(r);
    });

    it('no notice when signals are spread over the day (every bar, --signals all) or the warmup is 0 (exit 0)', async () => {
      const all = await store.backtest(['--scanner', legacy('fires-every-bar.sql'), '--signals', 'all'], { db: long });
      expect(all.code, all.stderr).to.equal(0);
      expect(all.json.signals).to.have.length(4 * 10);
      expect(all.json.notices).to.deep.equal([]);
      const zero = await store.backtest(['--scanner', legacy('fires-every-bar.sql'), '--warmup', '0'], { db: long });
      expect(zero.json.notices).to.deep.equal([]);
      expect(zero.stderr).not.to.match(/notice/);
    });
  });

  describe('a scanner reading previous days it was not given', () => {
    it('SQL filtering rows before :day_start without --lookback-days: a notice naming --lookback-days; none with it (exit 0)', async () => {
      const r = await bt(['--scanner', legacy('previous-close.sql')]);
      expect(r.code, r.stderr).to.equal(0);
      expect(noticesOf(r.json)).to.deep.equal(['LOOKBACK_NEEDED']);
      expect(r.stderr).to.match(/notice \(LOOKBACK_NEEDED\): scanner previous-close seems to read previous days \(it filters rows before :day_start, but --lookback-days is 0\).*\n  Pass --lookback-days N .*\(-- lookback-days: N\)/);
      const given = await bt(['--scanner', legacy('previous-close.sql'), '--lookback-days', '1']);
      expect(given.json.notices).to.deep.equal([]);
    });

    it("a script querying timeframe = '1day' rows without --daily-bars: a notice naming --daily-bars (exit 0)", async () => {
      const r = await bt(['--scanner', legacy('daily-closes.py'), '--tickers', 'AAA', '--from', '2025-11-03']);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.json.notices.map((n: { code: string; message: string }) => [n.code, n.message.includes("reads timeframe = '1day' rows, but --daily-bars is 0")]))
        .to.deep.equal([['LOOKBACK_NEEDED', true]]);
      expect(r.stderr).to.match(/Pass --daily-bars N .*\(\/\/ barwise: daily-bars=N \(or #\)\)/);
    });

    it('never raises it for the bundled scanners, with the history they declare', async () => {
      const dir = path.join(ROOT, 'scanners');
      const files = [...fs.readdirSync(dir), ...fs.readdirSync(path.join(dir, 'legacy')).map((f) => path.join('legacy', f))]
        .map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile());
      expect(files.length).to.be.at.least(8);
      for (const file of files) {
        const source = resolveScannerSource(file);
        const meta = await SCANNER_KIND_ADAPTERS[source.kind].readMeta(source.path);
        const context = { references: [], lookbackDays: meta.lookbackDays ?? 0, dailyBars: meta.dailyBars ?? 0 };
        const scanner = { path: source.path, kind: source.kind, name: meta.name, meta: {}, sha256: '', files: [] };
        expect(checkLookbackUse({ scanner, context }), file).to.equal(null);
      }
    });
  });
});
