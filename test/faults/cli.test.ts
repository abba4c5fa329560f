/**
 * Fault catalogue, CLI: misspelt commands, flags and tickers, a scanner named rather than given by path,
 * the import's --timezone and --columns, and where runs are recorded when no --results-db is given.
 * docs/reliability.md lists every case (section CLI).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { PACKAGE_ROOT } from '../../src/package-paths.js';
import { expectClean, readRun, runFault, storeDays, useFaultStore } from './harness.js';

const DATES = ['2025-11-03', '2025-11-04'];

describe('faults: CLI', function () {
  const store = useFaultStore(() => storeDays(['AAPL', 'TSLA'], DATES, 12));
  const { file } = store;
  const tmpDir = () => file('tmp');
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string) => runFault(tmpDir(), args, { env, cwd });

  it('misspelt command: the closest command named (exit 2)', async () => {
    const r = await cli(['backtset']);
    expect(r.stderr).to.match(/^barwise: Unknown argument: backtset; did you mean backtest\?\n {2}Run with --help/);
    expect(r.code).to.equal(2);
    expectClean(r);
  });

  it('misspelt flag: the closest flag of that command named (exit 2), nothing recorded', async () => {
    const results = file('typo-flag.db');
    const r = await cli(['backtest', '--db', store.db, '--results-db', results, '--tickres', 'AAPL']);
    expect(r.stderr).to.match(/Unknown argument: tickres; did you mean --tickers\?/);
    expect(r.code).to.equal(2);
    expect(fs.existsSync(results)).to.equal(false);
  });

  it('misspelt ticker: the closest ticker of the database named (exit 1)', async () => {
    const r = await store.backtest(['--tickers', 'TSLLA']);
    expect(r.stderr).to.match(/unknown ticker TSLLA: .*\n {2}Did you mean TSLLA → TSLA\? Tickers in this database: AAPL, TSLA\./);
    expect(r.code).to.equal(1);
    expectClean(r);
  });

  it('--scanner NAME runs the shipped example of that name, started from any directory', async () => {
    const out = file('named.json');
    const r = await cli(['backtest', '--scanner', 'volume-spike', '--db', store.db, '--threads', '1', '--results-db', ':memory:', '--out', out], {}, file('.'));
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).run.scanner.path).to.equal(path.join(PACKAGE_ROOT, 'scanners', 'volume-spike.sql'));
  });

  it('--scanner NAME matching no shipped example: the closest and every shipped name, with where they are (exit 1)', async () => {
    const r = await store.backtest(['--scanner', 'volume-spik']);
    const names = fs.readdirSync(path.join(PACKAGE_ROOT, 'scanners')).filter((f) => /\.(sql|ts)$/.test(f)).map((f) => f.replace(/\.\w+$/, '')).sort();
    expect(names).to.include('opening-range-breakout');
    expect(r.stderr).to.include(`scanner not found: volume-spik is neither a file here nor a shipped example; did you mean volume-spike?\n  Pass --scanner with the path of a .sql, .ts or .js scanner, or the name of a shipped example: ${names.join(', ')} (in ${path.join(PACKAGE_ROOT, 'scanners')}).`);
    expect(r.code).to.equal(1);
    expectClean(r);
  });

  it('a path is still a path: ./volume-spike is not the shipped example (exit 1)', async () => {
    const r = await store.backtest(['--scanner', './volume-spike']);
    expect(r.stderr).to.match(/scanner file not found: \.\/volume-spike\n/);
    expect(r.code).to.equal(1);
  });

  it('no --results-db: the run is recorded in $XDG_DATA_HOME/barwise/results.db, else ~/.local/share, and says so', async () => {
    const xdg = file('xdg');
    const home = file('home');
    const base = ['backtest', '--db', store.db, '--tickers', 'AAPL', '--threads', '1'];
    const a = await cli(base, { XDG_DATA_HOME: xdg, BARWISE_RESULTS_DB: '' });
    const inXdg = path.join(xdg, 'barwise', 'results.db');
    expect(a.code, a.stderr).to.equal(0);
    expect(a.stderr).to.include(`run #1 (completed) is recorded in ${inXdg}\n`);
    expect(readRun(inXdg)!.days).to.have.length(2);
    const b = await cli(base, { XDG_DATA_HOME: '', HOME: home, BARWISE_RESULTS_DB: '' }, file('.'));
    const inHome = path.join(home, '.local', 'share', 'barwise', 'results.db');
    expect(b.stderr).to.include(`is recorded in ${inHome}\n`);
    // runs reads the same default: run #1 of that database, nothing under the current directory.
    const runs = await cli(['runs', '--json'], { XDG_DATA_HOME: '', HOME: home, BARWISE_RESULTS_DB: '' });
    expect(JSON.parse(runs.stdout).map((x: { id: number }) => x.id)).to.deep.equal([1]);
    expect(fs.existsSync(path.join(file('.'), 'results'))).to.equal(false);
  });

  it('BARWISE_RESULTS_DB overrides the per-user place, and --results-db overrides both', async () => {
    const env = { XDG_DATA_HOME: file('xdg2'), BARWISE_RESULTS_DB: file('env-results.db') };
    const base = ['backtest', '--db', store.db, '--tickers', 'AAPL', '--threads', '1'];
    const a = await cli(base, env);
    expect(a.stderr).to.include(`is recorded in ${file('env-results.db')}\n`);
    const b = await cli([...base, '--results-db', file('flag-results.db')], env);
    expect(b.stderr).to.include(`is recorded in ${file('flag-results.db')}\n`);
    expect(fs.existsSync(file('xdg2'))).to.equal(false);
  });

  describe('import', () => {
    const csv = () => {
      const f = file('vendor.csv');
      fs.writeFileSync(f, 'Date,Open,High,Low,Close,Volume\n2025-11-03 09:30:00,1,1,1,1,1\n');
      return f;
    };

    it('--timezone that is no zone: named, with the closest zone (exit 2), no database made', async () => {
      const db = file('tz.db');
      const r = await cli(['import', '--csv', csv(), '--db', db, '--timezone', 'America/NewYork']);
      expect(r.stderr).to.match(/^barwise: --timezone "America\/NewYork" is not a time zone; did you mean America\/New_York\?\n {2}Pass an IANA zone name/);
      expect(r.code).to.equal(2);
      expect(fs.existsSync(db)).to.equal(false);
      expectClean(r);
    });

    it('--columns naming a field barwise does not import: named, with the closest field (exit 2)', async () => {
      const r = await cli(['import', '--csv', csv(), '--db', file('cols.db'), '--columns', 'dat=Date']);
      expect(r.stderr).to.match(/--columns: "dat" is not a field barwise imports; did you mean date\?\n {2}Fields: ticker, timestamp, date, time, open/);
      expect(r.code).to.equal(2);
    });

    it('--columns naming a column the file lacks: the file, the column and the columns it has (exit 1), no database made', async () => {
      const db = file('missing.db');
      const r = await cli(['import', '--csv', csv(), '--db', db, '--timezone', 'America/New_York', '--columns', 'date=Datum']);
      expect(r.stderr).to.include(`${csv()}: header has no column "Datum" (--columns date=Datum); its columns: Date, Open, High, Low, Close, Volume`);
      expect(r.code).to.equal(1);
      expect(fs.existsSync(db)).to.equal(false);
      expectClean(r);
    });

    it('--columns malformed (no =), or mapping timestamp and date both: usage errors (exit 2)', async () => {
      const a = await cli(['import', '--csv', csv(), '--db', file('m1.db'), '--columns', 'date']);
      expect(a.stderr).to.match(/--columns date: write FIELD=HEADER/);
      expect(a.code).to.equal(2);
      const b = await cli(['import', '--csv', csv(), '--db', file('m2.db'), '--columns', 'timestamp=Date,date=Date']);
      expect(b.stderr).to.match(/map either timestamp, or date \(and time\), not both/);
      expect(b.code).to.equal(2);
    });
  });
});
