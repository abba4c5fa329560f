/**
 * Fault catalogue, scanners: a scanner that is missing, broken, throws, returns garbage, hangs, leaks
 * memory, exits, crashes its worker, or (as a script) dies, hangs or prints garbage fails only what it must,
 * through the real CLI. And scanners cannot damage data. docs/reliability.md lists every case.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { makeDay, writeStore } from '../helpers/bars.js';
import { faultFixture, fixture, readRun, runFault, expectClean, storeDays, useFaultStore } from './harness.js';

const DATES = ['2025-10-31', '2025-11-03', '2025-11-04'];

describe('faults: scanners', function () {
  const store = useFaultStore(() => storeDays(['AAA', 'BBB', 'CCC'], DATES, 12));
  const { file } = store;
  const bt = (...args: string[]) => store.backtest(args);
  const failuresOf = (json: { failures: { ticker: string; date: string; code: string }[] }) => json.failures.map((f) => [f.ticker, f.date, f.code]);

  it('scanner file missing: named, with the kinds barwise runs (exit 1)', async () => {
    const r = await bt('--scanner', 'scanners/nope.sql');
    expect(r.stderr).to.match(/scanner file not found: scanners\/nope\.sql\n.*Pass --scanner with the path of a \.sql, \.ts or \.js scanner, or the name of a shipped example: .*opening-range-breakout.* \(in .*\/scanners\)/);
    expect(r.code).to.equal(1);
    expectClean(r);
  });

  it('scanner with a syntax error: the file and the compiler message, and how to see it in full (exit 1)', async () => {
    const r = await bt('--scanner', fixture('syntax-error.ts'));
    expect(r.stderr).to.match(/cannot load scanner .*syntax-error\.ts: [\s\S]*npx tsx FILE/);
    expect(r.code).to.equal(1);
    expectClean(r);
  });

  it('module without scan(): says what the default export must look like (exit 1)', async () => {
    const r = await bt('--scanner', fixture('no-scan.js'));
    expect(r.stderr).to.match(/the default export has no scan\(ctx\) function\n.*Expected export default \{ name/);
    expect(r.code).to.equal(1);
    expectClean(r);
  });

  it('SQL with a misspelt parameter: named, with the parameters there are (exit 1)', async () => {
    const r = await bt('--scanner', fixture('typo-param.sql'));
    expect(r.stderr).to.match(/Missing named parameter "tickr"[\s\S]*Available parameters: :ticker, :date, :as_of, :time, :day_start/);
    expect(r.code).to.equal(1);
    expectClean(r);
  });

  it('throws on its first step: every ticker-day fails with the message, the notice shows the first ones (exit 1)', async () => {
    const r = await bt('--scanner', faultFixture('throws-at-once.ts'));
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/9 ticker-day\(s\) failed[^\n]*\n  AAA 2025-10-31 SCANNER_THREW: Cannot read properties of undefined \(reading 'vwap'\)\n[\s\S]*… and 6 more\n  Fix the scanner/);
    expect(r.json.failures).to.have.length(9);
    expect(r.kept!.run.status).to.equal('partial');
    expect(r.kept!.failures).to.have.length(9);
    expectClean(r);
  });

  it('throws on one ticker only: that ticker fails, every other result is kept in --out and the results DB (exit 1)', async () => {
    const r = await bt('--scanner', fixture('throws-on-bbb.ts'));
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/3 ticker-day\(s\) failed \(the other results are kept\):\n  BBB 2025-10-31 SCANNER_THREW: cannot handle BBB/);
    expect(failuresOf(r.json)).to.deep.equal(DATES.map((d) => ['BBB', d, 'SCANNER_THREW']));
    expect(r.json.signals.map((s: { ticker: string }) => s.ticker)).to.deep.equal(['AAA', 'CCC', 'AAA', 'CCC', 'AAA', 'CCC']);
    expect(r.kept!.signals).to.have.length(6);
    expect(r.kept!.days.filter((d) => d.status === 'done')).to.have.length(6);
    expectClean(r);
  });

  it('returns non-serialisable signals (a function, a BigInt, a cycle): each named as not JSON data (exit 1)', async () => {
    const r = await bt('--scanner', faultFixture('returns-unserialisable.ts'), '--from', '2025-10-31', '--to', '2025-10-31');
    expect(r.code).to.equal(1);
    const msg = Object.fromEntries(r.json.failures.map((f: { ticker: string; code: string; message: string }) => [f.ticker, `${f.code}: ${f.message}`]));
    expect(msg.AAA).to.match(/^SCANNER_BAD_OUTPUT: signal metrics are not JSON data: metrics\.score is a function/);
    expect(msg.BBB).to.match(/^SCANNER_BAD_OUTPUT: signal metrics are not JSON data: metrics\.volume is a bigint/);
    expect(msg.CCC).to.match(/^SCANNER_BAD_OUTPUT: signal metrics are not JSON data: .*circular/i);
    expectClean(r);
  });

  it('returns malformed signals (a number, a numeric direction, a string strength): each says what was expected (exit 1)', async () => {
    const r = await bt('--scanner', faultFixture('returns-malformed.ts'), '--from', '2025-10-31', '--to', '2025-10-31');
    expect(r.code).to.equal(1);
    const msg = Object.fromEntries(r.json.failures.map((f: { ticker: string; code: string; message: string }) => [f.ticker, `${f.code}: ${f.message}`]));
    expect(msg.AAA).to.match(/^SCANNER_BAD_OUTPUT: scanner returned a number \(42\) at 09:40:00; expected null, a signal object, or an array of signal objects/);
    expect(msg.BBB).to.match(/^SCANNER_BAD_OUTPUT: signal\.direction must be a string such as "LONG" or "SHORT", got a number \(1\)/);
    expect(msg.CCC).to.match(/^SCANNER_BAD_OUTPUT: signal\.pattern_strength must be a number, got a string \("high"\)/);
    expectClean(r);
  });

  it('never returns (a synchronous loop): stopped at the step timeout, that day recorded, the rest kept (exit 1)', async () => {
    const r = await bt('--scanner', fixture('loops-on-bbb.ts'), '--step-timeout', '0.5');
    expect(r.code).to.equal(1);
    expect(failuresOf(r.json)).to.deep.equal([['BBB', '2025-11-03', 'SCANNER_TIMEOUT']]);
    expect(r.json.failures[0].message).to.match(/took longer than the step timeout \(0\.5 s\); its worker was stopped/);
    expect(r.json.signals.filter((s: { ticker: string }) => s.ticker === 'BBB').map((s: { signal_date: string }) => s.signal_date)).to.deep.equal(['2025-10-31', '2025-11-04']);
    expect(r.json.signals).to.have.length(8);
    expectClean(r);
  });

  it('never returns (a promise that never settles): each such day times out, the rest kept (exit 1)', async () => {
    const r = await bt('--scanner', fixture('never-resolves.ts'), '--step-timeout', '0.3', '--threads', '1');
    expect(r.code).to.equal(1);
    expect(failuresOf(r.json)).to.deep.equal(DATES.map((d) => ['BBB', d, 'SCANNER_TIMEOUT']));
    expect(r.json.signals).to.have.length(6);
    expectClean(r);
  });

  it('allocates without bound: the worker heap limit stops that worker only; retried once, then recorded (exit 1)', async () => {
    const r = await bt('--scanner', faultFixture('allocates-on-bbb.ts'), '--worker-memory', '64');
    expect(r.code).to.equal(1);
    expect(failuresOf(r.json)).to.deep.equal([['BBB', '2025-11-03', 'WORKER_CRASHED']]);
    expect(r.json.failures[0].message).to.match(/died twice: the scanner ran out of memory .*the limit per worker is 64 MB: fix what the scanner keeps, or raise --worker-memory/);
    expect(r.json.signals).to.have.length(8);
    expectClean(r);
  });

  it('calls process.exit: ends only its worker; retried once, then recorded, the rest kept (exit 1)', async () => {
    const r = await bt('--scanner', fixture('exits-on-bbb.ts'));
    expect(r.code).to.equal(1);
    expect(failuresOf(r.json)).to.deep.equal([['BBB', '2025-11-03', 'WORKER_CRASHED']]);
    expect(r.json.failures[0].message).to.match(/died twice: the scanner ended its worker thread \(exit code 3, e\.g\. process\.exit\(\)\); scanners must return, not exit/);
    expect(r.json.signals).to.have.length(8);
    expectClean(r);
  });

  it('crashes its worker thread (an uncaught error in a timer): the pool replaces it, the day is retried once, then recorded (exit 1)', async () => {
    const r = await bt('--scanner', faultFixture('crashes-worker-on-bbb.ts'));
    expect(r.code).to.equal(1);
    expect(failuresOf(r.json)).to.deep.equal([['BBB', '2025-11-03', 'WORKER_CRASHED']]);
    expect(r.json.failures[0].message).to.match(/died twice: async boom; an uncaught error in a callback .* ends the worker: catch it inside the scanner/);
    expect(r.json.signals).to.have.length(8);
    expectClean(r);
  });

  it('a per-step script that exits non-zero, prints garbage or hangs (in a child of its own): each fails with its stderr; no process outlives it (exit 1)', async () => {
    const four = writeStore(file('four.db'), ['AAA', 'BBB', 'CCC', 'DDD'].flatMap((t) => makeDay(t, '2025-11-03', { slots: 6 })));
    const r = await bt('--db', four, '--scanner', faultFixture('script-fails.sh'), '--warmup', '5', '--step-timeout', '2');
    expect(r.code).to.equal(1);
    const byTicker = Object.fromEntries(r.json.failures.map((f: { ticker: string }) => [f.ticker, f]));
    expect(byTicker.AAA.code).to.equal('SCANNER_THREW');
    expect(byTicker.AAA.message).to.match(/exited with code 3; last stderr lines:\ndatabase is locked/);
    expect(byTicker.BBB.code).to.equal('SCANNER_BAD_OUTPUT');
    expect(byTicker.BBB.message).to.match(/no JSON array on stdout \(last output: this is not json\)/);
    expect(byTicker.CCC.code).to.equal('SCANNER_TIMEOUT');
    expect(byTicker.CCC.message).to.match(/did not finish within 2 s and was killed/);
    expect(byTicker.DDD).to.equal(undefined);
    expect(r.kept!.days).to.have.length(4);
    expectClean(r);
  });

  it('a persistent script that dies, hangs (in a child of its own) or prints garbage: restarted once per day, then that day fails with what it printed (exit 1)', async () => {
    const four = writeStore(file('four-p.db'), ['AAA', 'BBB', 'CCC', 'DDD'].flatMap((t) => makeDay(t, '2025-11-03', { slots: 7 })));
    const r = await bt('--db', four, '--scanner', faultFixture('persistent-bad.sh'), '--warmup', '5', '--step-timeout', '1', '--signals', 'all', '--threads', '2');
    expect(r.code).to.equal(1);
    const byTicker = Object.fromEntries(r.json.failures.map((f: { ticker: string }) => [f.ticker, f]));
    expect(byTicker.AAA.code).to.equal('SCANNER_THREW');
    expect(byTicker.AAA.message).to.match(/persistent script persistent-bad\.sh exited \(code 1\); last stderr lines:\nfatal: cannot open model file/);
    expect(byTicker.BBB.code).to.equal('SCANNER_TIMEOUT');
    expect(byTicker.BBB.message).to.match(/sent no reply within 1 s \(it must answer each request with one JSON line/);
    expect(byTicker.CCC.code).to.equal('SCANNER_TIMEOUT');
    expect(byTicker.CCC.message).to.match(/last non-protocol stdout lines:\nTraceback\? no: just garbage, not JSON/);
    expect(r.json.signals.map((s: { ticker: string; signal_time: string }) => [s.ticker, s.signal_time])).to.deep.equal([['DDD', '09:55:00'], ['DDD', '10:00:00']]);
    expectClean(r);
  });

  describe('scanners cannot damage data', () => {
    const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

    it('a module that writes to the day database gets SCANNER_WRITE for its ticker-days (exit 1)', async () => {
      const r = await bt('--scanner', fixture('writes-db.ts'), '--from', '2025-10-31', '--to', '2025-10-31');
      expect(r.code).to.equal(1);
      expect(r.json.failures).to.have.length(3);
      expect(r.json.failures[0].code).to.equal('SCANNER_WRITE');
      expect(r.json.failures[0].message).to.match(/scanner tried to write to the day database: DELETE FROM ohlcv_data/);
      expectClean(r);
    });

    it('an SQL scanner that writes is refused before the run, saying scanners only read (exit 1)', async () => {
      const r = await bt('--scanner', fixture('writes.sql'));
      expect(r.stderr).to.match(/scanner tried to write to the day database: DELETE FROM ohlcv_data WHERE ticker = :ticker\n.*Scanners may only read/);
      expect(r.code).to.equal(1);
      expectClean(r);
    });

    it('a module that ATTACHes the source database to write to it gets SCANNER_WRITE; the source is unchanged', async () => {
      const before = sha(store.db);
      const r = await runFault(file('tmp'), ['backtest', '--db', store.db, '--results-db', file('attach.db'), '--scanner', faultFixture('attaches-source.ts')],
        { env: { FAULT_SOURCE_DB: store.db } });
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/SCANNER_WRITE: scanner tried to run a statement that is not a query on the day database: ATTACH DATABASE/);
      expect(readRun(file('attach.db'))!.failures.every((f) => f.code === 'SCANNER_WRITE')).to.equal(true);
      expect(sha(store.db)).to.equal(before);
      expectClean(r);
    });

    it('a script that writes to its DATABASE_PATH gets SCANNER_WRITE for that ticker-day; other tickers are kept', async () => {
      const r = await bt('--scanner', faultFixture('writes-day-file.py'), '--warmup', '11', '--from', '2025-10-31', '--to', '2025-10-31');
      expect(r.code).to.equal(1);
      expect(failuresOf(r.json)).to.deep.equal([['BBB', '2025-10-31', 'SCANNER_WRITE']]);
      expect(r.json.failures[0].message).to.match(/the script wrote to the day database \(DATABASE_PATH BBB-2025-10-31\.db\)/);
      expect(r.json.signals.map((s: { ticker: string }) => s.ticker)).to.deep.equal(['AAA', 'CCC']);
      expectClean(r);
    });

    it('the source database is opened read-only: a run leaves its bytes as they were', async () => {
      const before = sha(store.db);
      const r = await bt('--scanner', fixture('every-bar.sql'), '--signals', 'all');
      expect(r.code, r.stderr).to.equal(0);
      expect(sha(store.db)).to.equal(before);
      expect(fs.existsSync(`${store.db}-wal`) || fs.existsSync(`${store.db}-journal`)).to.equal(false);
      expectClean(r);
    });
  });
});
