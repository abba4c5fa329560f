/**
 * Fault catalogue, parameters: a value given with --param that the scanner does not declare, of the wrong
 * type, empty or malformed, a declaration a scanner gets wrong, a trade rule given twice, a resume with a
 * changed value, and a batch job with a bad value. Each is named before any work starts, through the real
 * CLI, leaving nothing behind. docs/reliability.md ("Parameters") lists every case.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { makeDay, writeStore } from '../helpers/bars.js';
import { ROOT } from '../helpers/temp.js';
import { expectClean, readRun, runFault, useFaultStore } from './harness.js';

const ORB = path.join(ROOT, 'scanners/opening-range-breakout.sql');
const DATES = ['2025-11-03', '2025-11-04', '2025-11-05'];

describe('faults: parameters', function () {
  const store = useFaultStore(() => ['AAA', 'BBB'].flatMap((t) => DATES.flatMap((d) => makeDay(t, d, { slots: 30 }))));
  const { file } = store;
  const bt = (...args: string[]) => store.backtest(['--threads', '1', ...args]);
  const write = (name: string, text: string) => {
    fs.writeFileSync(file(name), text);
    return file(name);
  };

  it('an undeclared name: refused, naming the closest declared parameter and all of them (exit 2)', async () => {
    const r = await bt('--scanner', ORB, '--param', 'vol_mul=2');
    expect(r.stderr).to.include('--param vol_mul: the scanner declares no parameter "vol_mul"; did you mean vol_mult?\n  Declared: or_bars = 6 (integer), vol_mult = 1.5 (number).');
    expect(r.code).to.equal(2);
    expect(r.kept).to.equal(null);
    expectClean(r);
  });

  it('a value of the wrong type, or empty: named with the parameter and its type (exit 2)', async () => {
    for (const [given, message] of [
      ['vol_mult=abc', '--param vol_mult must be a number, got "abc"'],
      ['or_bars=2.5', '--param or_bars must be a whole number (integer), got "2.5"'],
      ['vol_mult=', '--param vol_mult must be a number, got ""'],
    ]) {
      const r = await bt('--scanner', ORB, '--param', given);
      expect(r.stderr).to.include(message);
      expect(r.stderr).to.match(/The scanner declares (vol_mult = 1\.5 \(number\)|or_bars = 6 \(integer\))\./);
      expect(r.code).to.equal(2);
      expectClean(r);
    }
  });

  it('--param without =, or the same name twice: says how to write it (exit 2)', async () => {
    const a = await bt('--scanner', ORB, '--param', 'vol_mult');
    expect(a.stderr).to.include('--param vol_mult: write NAME=VALUE, e.g. --param vol_mult=2.5');
    expect(a.code).to.equal(2);
    const b = await bt('--scanner', ORB, '--param', 'vol_mult=2', '--param', 'vol_mult=3');
    expect(b.stderr).to.include('--param vol_mult is given twice (2 and 3)');
    expect(b.code).to.equal(2);
    expectClean(a);
    expectClean(b);
  });

  it('--param for a scanner that declares none: refused (exit 2)', async () => {
    const r = await bt('--scanner', path.join(ROOT, 'scanners/volume-spike.sql'), '--param', 'vol_mult=2');
    expect(r.stderr).to.include('--param vol_mult: the scanner declares no parameters');
    expect(r.code).to.equal(2);
    expectClean(r);
  });

  it('a trade rule given as --param trade.stopPct and as --stop-pct: refused; a bad value named as given (exit 2)', async () => {
    const both = await bt('--scanner', ORB, '--param', 'trade.stopPct=0.5', '--stop-pct', '1');
    expect(both.stderr).to.include('--param trade.stopPct and --stop-pct both set the trade rule stopPct');
    expect(both.code).to.equal(2);
    const bad = await bt('--scanner', ORB, '--param', 'trade.stopPct=200');
    expect(bad.stderr).to.include('--param trade.stopPct must be a number above 0 and below 100, got 200');
    expect(bad.code).to.equal(2);
    const typo = await bt('--scanner', ORB, '--param', 'trade.stopPtc=1');
    expect(typo.stderr).to.include('--param trade.stopPtc: "stopPtc" is not a trade rule; did you mean trade.stopPct?');
    for (const r of [both, bad, typo]) expectClean(r);
  });

  it('an SQL scanner using an undeclared :name: named, with the closest binding and the declared ones (exit 1)', async () => {
    const scanner = write('undeclared.sql', '-- param: vol_mult = 2\nSELECT close FROM ohlcv_data WHERE ticker = :ticker AND volume > :vol_mul\n');
    const r = await bt('--scanner', scanner);
    expect(r.stderr).to.include(`${scanner}: Missing named parameter "vol_mul": :vol_mul is neither one of barwise's bindings nor a declared parameter (its declared parameters: vol_mult = 2 (integer)); did you mean :vol_mult?`);
    expect(r.stderr).to.include('or declare it in the header, e.g. -- param: vol_mul = 2.');
    expect(r.code).to.equal(1);
    expectClean(r);
  });

  it('a declaration without a typed default, declared twice, or named like a binding: named (exit 1)', async () => {
    for (const [text, message] of [
      ["-- param: side = long\nSELECT 1 AS x FROM ohlcv_data WHERE 0", 'parameter side has no default of a known type: "long"'],
      ['-- param: a = 1\n-- param: a = 2\nSELECT 1 AS x FROM ohlcv_data WHERE 0', 'parameter a is declared twice'],
      ['-- param: as_of = 1\nSELECT 1 AS x FROM ohlcv_data WHERE 0', "parameter as_of has the name of one of barwise's own bindings (:as_of)"],
    ]) {
      const scanner = write('decl.sql', text);
      const r = await bt('--scanner', scanner);
      expect(r.stderr).to.include(`${scanner}: ${message}`);
      expect(r.code).to.equal(1);
      expectClean(r);
    }
  });

  it('a module whose params are not defaults: named (exit 1)', async () => {
    const scanner = write('bad-params.mjs', "export default { name: 'x', params: { orBars: null }, scan() { return null; } };\n");
    const r = await bt('--scanner', scanner);
    expect(r.stderr).to.include(`${scanner}: params.orBars must default to a number, a string or true/false, got null`);
    expect(r.code).to.equal(1);
    expectClean(r);
  });

  it('--resume N with a changed parameter: refused naming it, the recorded run untouched (exit 2)', async () => {
    const results = file('resume.db');
    const first = await runFault(file('tmp'), ['backtest', '--db', store.db, '--scanner', ORB, '--param', 'vol_mult=2', '--threads', '1', '--results-db', results]);
    expect(first.code, first.stderr).to.equal(0);
    const before = readRun(results);
    const r = await runFault(file('tmp'), ['backtest', '--db', store.db, '--results-db', results, '--resume', String(before!.run.id), '--param', 'vol_mult=2.5']);
    expect(r.stderr).to.match(/run #1 cannot be resumed: --param vol_mult was 2, now 2\.5/);
    expect(r.code).to.equal(2);
    expect(readRun(results)).to.deep.equal(before);
    // The same value again is no difference: the run continues (it is complete: nothing to do).
    const same = await runFault(file('tmp'), ['backtest', '--db', store.db, '--results-db', results, '--resume', '1', '--param', 'vol_mult=2']);
    expect(same.code, same.stderr).to.equal(0);
    for (const x of [first, r, same]) expectClean(x);
  });

  it('a batch job with a bad value fails alone, named by its path; the other job runs', async () => {
    const db = writeStore(file('batch-m.db'), ['AAA'].flatMap((t) => DATES.flatMap((d) => makeDay(t, d, { slots: 30 }))));
    const config = write('batch.json', JSON.stringify({
      db, resultsDb: file('batch-results.db'),
      jobs: [
        { name: 'good', scanner: ORB, options: { threads: 1, params: { vol_mult: 1.1, or_bars: 3 } } },
        { name: 'bad', scanner: ORB, options: { threads: 1, params: { or_bars: 'three' } } },
      ],
    }));
    const r = await runFault(file('tmp'), ['batch', '--config', config]);
    expect(r.stderr).to.include('[bad] failed: jobs[1].options.params.or_bars must be a whole number (integer), got "three"');
    expect(r.stderr).to.match(/\[good\] completed/);
    expectClean(r);
  });
});
