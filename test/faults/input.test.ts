/**
 * Fault catalogue, input: bad databases, ranges, tickers, bars, CSV files and options, through the real CLI.
 * Every case asserts what a user sees: a message naming the problem and what to do, the exit code, the
 * results kept, and that no temp file or child process outlives the run. docs/reliability.md lists them.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { makeDay, writeStore } from '../helpers/bars.js';
import { fixture, readRun, runFault, expectClean, storeDays, useFaultStore, type FaultRun } from './harness.js';

describe('faults: input', function () {
  const store = useFaultStore(() => storeDays(['AAA', 'BBB'], ['2025-11-03'], 20));
  const { file } = store;
  before(() => {
    const noTable = new Database(file('no-table.db'));
    noTable.exec('CREATE TABLE other (x)');
    noTable.close();
    const cols = new Database(file('no-cols.db'));
    cols.exec('CREATE TABLE ohlcv_data (ticker TEXT, timestamp INTEGER, close REAL)');
    cols.close();
    fs.writeFileSync(file('not-a-db.db'), 'ticker,timestamp\nAAA,1\n');
  });

  const bt = (...args: string[]) => runFault(file('tmp'), ['backtest', '--results-db', file('r.db'), '--warmup', '2', ...args]);

  // [case, args, exit code, message: the problem, then what to do]
  const usage: [string, () => string[], number, RegExp][] = [
    ['missing DB', () => ['--db', file('nope.db')], 1, /market database not found: .*nope\.db\n.*--db .*npm run import/],
    ['unreadable DB (not SQLite)', () => ['--db', file('not-a-db.db')], 1, /cannot (open|read) market database .*not-a-db\.db.*\n.*SQLite/],
    ['DB without ohlcv_data', () => ['--db', file('no-table.db')], 1, /has no table ohlcv_data\n.*npm run import/],
    ['DB with missing columns', () => ['--db', file('no-cols.db')], 1, /lacks column\(s\) open, high, low, volume, timeframe\n.*needs ticker, timestamp/],
    ['empty range', () => ['--db', store.db, '--from', '2024-01-01', '--to', '2024-01-31'], 1, /no 5min bars from 2024-01-01 to 2024-01-31.*\n.*covers 2025-11-03 to 2025-11-03/],
    ['unknown tickers, named', () => ['--db', store.db, '--tickers', 'AAA,ZZZ,QQQQ'], 1, /unknown tickers ZZZ, QQQQ.*\n.*Tickers in this database: AAA, BBB/],
    ['invalid date', () => ['--db', store.db, '--from', '2025-02-30'], 2, /--from "2025-02-30" is not a date; write YYYY-MM-DD/],
    ['--from after --to', () => ['--db', store.db, '--from', '2025-11-05', '--to', '2025-11-01'], 2, /--from 2025-11-05 is after --to 2025-11-01\n.*Swap them/],
    ['--threads 0', () => ['--db', store.db, '--threads', '0'], 2, /--threads must be a whole number from 1 to 256, got 0/],
    ['--threads 10000', () => ['--db', store.db, '--threads', '10000'], 2, /--threads must be a whole number from 1 to 256, got 10000/],
    ['unknown flag', () => ['--db', store.db, '--treads', '2'], 2, /Unknown argument: treads; did you mean --threads\?\n.*--help/],
    ['unknown scanner kind', () => ['--db', store.db, '--scanner-kind', 'perl'], 2, /Invalid values:[\s\S]*scanner-kind[\s\S]*--help/],
    ['scanner with an unknown extension', () => ['--db', store.db, '--scanner', 'package.json'], 2, /cannot tell what kind of scanner package\.json is \(extension "\.json"\)\n/],
  ];
  for (const [name, args, code, message] of usage) {
    it(`${name}: exit ${code}, names the problem and what to do`, async () => {
      const r = await bt(...args());
      expect(r.stderr, r.stderr).to.match(message);
      expect(r.code, r.stderr).to.equal(code);
      expectClean(r);
    });
  }

  it('a locked DB: waits a few seconds, then says who holds it and what to do (exit 1)', async () => {
    const locked = writeStore(file('locked.db'), store.bars);
    const holder = new Database(locked);
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const r = await bt('--db', locked);
      expect(r.stderr).to.match(/market database .*locked\.db is locked by another process \(waited 3 s\)\n.*Wait for the process writing to it/);
      expect(r.code).to.equal(1);
      expectClean(r);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('a warmup larger than any day: says the scanner never ran and the longest day, exit 2', async () => {
    const r = await bt('--db', store.db, '--warmup', '500');
    expect(r.stderr).to.match(/the warmup \(500 bars\) is longer than every ticker-day in the range \(the longest has 20 bars\), so the scanner never ran\.\n.*Lower --warmup .* below 20/);
    expect(r.code).to.equal(2);
    expect(readRun(file('r.db'))!.days.map((d) => d.status)).to.deep.equal(['skipped', 'skipped']);
    expectClean(r);
  });

  describe('bars in the source', () => {
    const every = fixture('every-bar.sql');
    const signalsOf = (r: FaultRun) => {
      expect(r.code, r.stderr).to.equal(0);
      return readRun(file('r.db'))!.signals;
    };

    it('duplicate and out-of-order bars: replayed once each, in time order, as from a clean store', async () => {
      const clean = signalsOf(await bt('--db', store.db, '--scanner', every, '--signals', 'all'));
      // No unique constraint, rows reversed, every third bar stored twice.
      const messy = new Database(file('messy.db'));
      messy.exec(`CREATE TABLE ohlcv_data (ticker TEXT, timestamp INTEGER, open REAL, high REAL, low REAL, close REAL,
        volume INTEGER, timeframe TEXT, time_of_day TEXT)`);
      const ins = messy.prepare("INSERT INTO ohlcv_data VALUES (?, ?, ?, ?, ?, ?, ?, '5min', NULL)");
      [...store.bars].reverse().forEach((b, i) => {
        for (let k = 0; k < (i % 3 === 0 ? 2 : 1); k++) ins.run(b.ticker, b.timestamp, b.open, b.high, b.low, b.close, b.volume);
      });
      messy.close();
      const r = await bt('--db', file('messy.db'), '--scanner', every, '--signals', 'all');
      expect(signalsOf(r)).to.deep.equal(clean);
      expect(clean).to.have.length(2 * 18); // 20 bars, warmup 2, a signal at every step
      expectClean(r);
    });

    it('NaN and negative-volume bars: that ticker-day fails naming the bar and the fix; others are kept (exit 1)', async () => {
      const bad = writeStore(file('bad-bars.db'), [
        ...store.bars,
        ...makeDay('CCC', '2025-11-03', { slots: 20 }).map((b, i) => (i === 5 ? { ...b, close: NaN } : b)),
        ...makeDay('DDD', '2025-11-03', { slots: 20 }).map((b, i) => (i === 7 ? { ...b, volume: -100 } : b)),
      ]);
      const out = file('bad-bars.json');
      const r = await bt('--db', bad, '--scanner', every, '--out', out);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/2 ticker-day\(s\) failed/);
      expect(r.stderr).to.match(/CCC 2025-11-03 BAD_BAR: CCC 2025-11-03: bar at 09:55:00 has close NULL \(NaN is stored as NULL\) in the market database; fix or delete that row/);
      expect(r.stderr).to.match(/DDD 2025-11-03 BAD_BAR: .*bar at 10:05:00 has volume -100, which is negative/);
      const json = JSON.parse(fs.readFileSync(out, 'utf8'));
      expect(json.signals.map((s: { ticker: string }) => s.ticker)).to.deep.equal(['AAA', 'BBB']);
      expect(json.failures.map((f: { ticker: string; code: string }) => [f.ticker, f.code])).to.deep.equal([['CCC', 'BAD_BAR'], ['DDD', 'BAD_BAR']]);
      expectClean(r);
    });
  });

  describe('CSV import', () => {
    const header = 'ticker,timestamp,open,high,low,close,volume\n';
    const rows = (n: number) => Array.from({ length: n }, (_, i) =>
      `AAA,${Date.parse('2025-11-03T14:30:00Z') + i * 300_000},10,11,9,10.5,${1000 + i}`);

    it('a bad line in the middle of a large file: named by file and line, the rest imported (exit 0)', async () => {
      const lines = rows(20_000);
      lines[9_999] = 'AAA,2025-13-45T09:30:00-05:00,10,11,9,10.5,100';
      const csv = file('large.csv');
      fs.writeFileSync(csv, header + lines.join('\n') + '\n');
      const r = await runFault(file('tmp'), ['import', '--csv', csv, '--db', file('large.db')]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/imported 19,999 bar\(s\) from 1 file\(s\)/);
      expect(r.stderr).to.match(/skipped 1 bad row\(s\):\n.*large\.csv:10001: timestamp "2025-13-45T09:30:00-05:00"/);
      expect(r.stderr).to.match(/Fix them and import again/);
      expectClean(r);
    });

    it('the same file with --strict: refused with the line, nothing imported (exit 1)', async () => {
      const r = await runFault(file('tmp'), ['import', '--strict', '--csv', file('large.csv'), '--db', file('strict.db')]);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/large\.csv:10001: timestamp .*\n.*drop --strict .* Nothing was imported/);
      // The database did not exist before: nothing is left behind.
      expect(fs.existsSync(file('strict.db'))).to.equal(false);
      expectClean(r);
    });

    it('a non-UTF-8 file (UTF-16): named as not UTF-8, with how to convert it; nothing imported (exit 1)', async () => {
      const csv = file('utf16.csv');
      fs.writeFileSync(csv, Buffer.from('\uFEFF' + header + rows(3).join('\n'), 'utf16le'));
      const r = await runFault(file('tmp'), ['import', '--csv', csv, '--db', file('u.db')]);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/utf16\.csv is not UTF-8 text \(it looks like UTF-16\)\n.*Save it as UTF-8/);
      expect(fs.existsSync(file('u.db'))).to.equal(false);
      expectClean(r);
    });

    it('a non-UTF-8 ticker (Latin-1 bytes): the row is named and skipped (exit 0)', async () => {
      const csv = file('latin1.csv');
      fs.writeFileSync(csv, Buffer.concat([Buffer.from(header + rows(2).join('\n') + '\n'),
        Buffer.from([0x41, 0xc4, 0x41]), Buffer.from(`,${Date.parse('2025-11-03T16:30:00Z')},10,11,9,10.5,100\n`)]));
      const r = await runFault(file('tmp'), ['import', '--csv', csv, '--db', file('l.db')]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.match(/latin1\.csv:4: ticker is not valid UTF-8 text/);
      expectClean(r);
    });

    it('a truncated .csv.gz: named as not gzip/CSV, nothing half-imported (exit 1)', async () => {
      const gz = zlib.gzipSync(header + rows(5000).join('\n'));
      fs.writeFileSync(file('cut.csv.gz'), gz.subarray(0, gz.length >> 1));
      const r = await runFault(file('tmp'), ['import', '--csv', file('cut.csv.gz'), '--db', file('cut.db')]);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/cut\.csv\.gz: .*\n.*gzip-compressed if it ends in \.gz/);
      expect(fs.existsSync(file('cut.db'))).to.equal(false);
      expectClean(r);
    });
  });
});
