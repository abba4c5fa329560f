/**
 * Fault catalogue, inputs that could destroy or corrupt data: outputs naming inputs, CSV rows with impossible
 * dates, wrong units, prices outside the bar or repeated bars, imports into foreign databases or interrupted,
 * market databases with timestamps in the wrong unit or as text, and trades CSV cells a spreadsheet would run.
 * Every case runs the real CLI and asserts that no input changed (byte for byte where it matters), the exit
 * code, and a message naming the problem and what to do. docs/reliability.md lists them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { parse as parseCsv } from 'csv-parse/sync';
import { makeDay, writeStore, type TestBar } from '../helpers/bars.js';
import { fixture, readRun, runFault, expectClean, storeDays, useFaultStore } from './harness.js';

const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
const countBars = (db: string) => new Database(db, { readonly: true }).prepare('SELECT COUNT(*) FROM ohlcv_data').pluck().get() as number;

describe('faults: inputs that could destroy or corrupt data', function () {
  const store = useFaultStore(() => storeDays(['AAA', 'BBB'], ['2025-11-03'], 20));
  const { file } = store;
  const bt = (...args: string[]) => runFault(file('tmp'), ['backtest', '--warmup', '2', ...args]);

  describe('outputs that resolve to an input or another output: refused before anything is written (exit 2)', () => {
    let results: string;
    before(async () => {
      results = file('r.db');
      const r = await bt('--db', store.db, '--results-db', results);
      expect(r.code, r.stderr).to.equal(0);
      fs.symlinkSync(store.db, file('link-to-m.db'));
      fs.linkSync(fixture('every-bar.sql'), file('hard-scanner.sql'));
    });

    // [case, args, the two options the message must name]
    const cases: [string, () => string[], string, string][] = [
      ['--out naming the market DB', () => ['--db', store.db, '--results-db', results, '--out', store.db], '--out', '--db'],
      ['--trades-csv through a symlink to the market DB', () => ['--db', store.db, '--results-db', results, '--trades-csv', file('link-to-m.db')], '--trades-csv', '--db'],
      ['--report naming the results DB by a relative path', () => ['--db', store.db, '--results-db', results, '--report', path.relative(process.cwd(), results)], '--report', '--results-db'],
      ['--results-db equal to --db', () => ['--db', store.db, '--results-db', store.db], '--results-db', '--db'],
      ['--results-db as the market DB spelt with ..', () => ['--db', store.db, '--results-db', path.join(file('tmp'), '..', 'm.db')], '--results-db', '--db'],
      ['--out a hard link to the scanner', () => ['--db', store.db, '--results-db', results, '--scanner', file('hard-scanner.sql'), '--out', fixture('every-bar.sql')], '--out', '--scanner'],
      ['--out naming the market DB\'s -wal file', () => ['--db', store.db, '--results-db', results, '--out', `${store.db}-wal`], '--out', '--db'],
      ['--out and --trades-csv the same file', () => ['--db', store.db, '--results-db', results, '--out', file('x.out'), '--trades-csv', file('x.out')], '--trades-csv', '--out'],
    ];
    for (const [name, args, output, input] of cases) {
      it(`${name}: names ${output} and ${input}, changes nothing`, async () => {
        const before = [sha(store.db), sha(results), sha(fixture('every-bar.sql'))];
        const r = await bt(...args());
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stderr).to.match(new RegExp(`${output} .* is the same file as ${input} .*\\n.*Pass ${output} a path of its own; nothing was written`));
        expect([sha(store.db), sha(results), sha(fixture('every-bar.sql'))]).to.deep.equal(before);
        expect(fs.existsSync(file('x.out'))).to.equal(false);
        expectClean(r);
      });
    }

    it('audit --out naming the market DB: refused the same way', async () => {
      const before = sha(store.db);
      const r = await runFault(file('tmp'), ['audit', '--db', store.db, '--results-db', results, '--warmup', '2', '--out', file('link-to-m.db')]);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.match(/--out .* is the same file as --db /);
      expect(sha(store.db)).to.equal(before);
      expectClean(r);
    });

    it('import --db naming the CSV being imported: refused, the CSV untouched', async () => {
      const csv = file('in.csv');
      fs.writeFileSync(csv, `ticker,timestamp,open,high,low,close,volume\nAAA,${Date.parse('2025-11-03T14:30:00Z')},10,11,9,10,100\n`);
      const before = sha(csv);
      const r = await runFault(file('tmp'), ['import', '--csv', csv, '--db', csv]);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.match(/--db .*in\.csv is the same file as --csv .*in\.csv/);
      expect(sha(csv)).to.equal(before);
      expectClean(r);
    });

    it('a batch whose resultsDb is a job\'s market DB: refused before the batch starts', async () => {
      const batch = file('batch.yaml');
      fs.writeFileSync(batch, `resultsDb: m.db\njobs:\n  - name: one\n    scanner: ${fixture('every-bar.sql')}\n    db: m.db\n`);
      const before = sha(store.db);
      const r = await runFault(file('tmp'), ['batch', '--config', batch]);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.match(/--results-db .*m\.db is the same file as (db \(batch file\)|jobs\.one\.db) /);
      expect(sha(store.db)).to.equal(before);
      expectClean(r);
    });
  });

  describe('CSV rows that would corrupt bars', () => {
    const header = 'ticker,timestamp,open,high,low,close,volume\n';
    const at = (iso: string) => Date.parse(iso);
    const importCsv = (csv: string, target: string, ...flags: string[]) => runFault(file('tmp'), ['import', '--csv', csv, '--db', target, ...flags]);

    it('an impossible calendar date (2025-04-31, 2025-02-30, hour 25) is a bad row and never overwrites the real bar it would roll to', async () => {
      const csv = file('dates.csv');
      fs.writeFileSync(csv, header + [
        'AAA,2025-05-01T09:30:00-04:00,10,11,9,10,100',
        'AAA,2025-04-31T09:30:00-04:00,50,51,49,50,999',
        'AAA,2025-02-30T09:30:00-05:00,50,51,49,50,999',
        'AAA,2025-05-01T25:30:00-04:00,50,51,49,50,999',
      ].join('\n') + '\n');
      const target = file('dates.db');
      const r = await importCsv(csv, target);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/imported 1 bar\(s\)/);
      expect(r.stderr).to.match(/dates\.csv:3: timestamp "2025-04-31T09:30:00-04:00" is not a real date \(2025-04 has no day 31\)/);
      expect(r.stderr).to.match(/dates\.csv:4: timestamp "2025-02-30T09:30:00-05:00" is not a real date/);
      expect(r.stderr).to.match(/dates\.csv:5: timestamp "2025-05-01T25:30:00-04:00" is not a real time of day/);
      const stored = new Database(target, { readonly: true }).prepare('SELECT timestamp, open, volume FROM ohlcv_data').all();
      expect(stored).to.deep.equal([{ timestamp: at('2025-05-01T13:30:00Z'), open: 10, volume: 100 }]);
      expectClean(r);
    });

    it('epoch seconds, microseconds and nanoseconds rows: each named by line with its unit and the conversion; the rest imported', async () => {
      const ms = at('2025-05-01T13:30:00Z');
      const csv = file('units.csv');
      fs.writeFileSync(csv, header + [
        `AAA,${ms},10,11,9,10,100`,
        `AAA,${ms / 1000 + 300},10,11,9,10,100`,
        `AAA,${ms * 1000 + 600_000_000},10,11,9,10,100`,
        `AAA,${BigInt(ms) * 1_000_000n + 900_000_000_000n},10,11,9,10,100`,
        'AAA,1800,10,11,9,10,100',
        'AAA,1985-05-01T09:30:00-04:00,10,11,9,10,100',
        `AAA,${ms + 1_200_000},10,11,9,10,100`,
      ].join('\n') + '\n');
      const r = await importCsv(csv, file('units.db'));
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/imported 2 bar\(s\)/);
      expect(r.stderr).to.match(/units\.csv:3: timestamp \d+ looks like epoch seconds \(2025-05-01T13:35:00Z\); barwise expects epoch milliseconds \(convert: × 1000\)/);
      expect(r.stderr).to.match(/units\.csv:4: timestamp \d+ looks like epoch microseconds \(2025-05-01T13:40:00Z\).*÷ 1000\)/);
      expect(r.stderr).to.match(/units\.csv:5: timestamp \d+ looks like epoch nanoseconds \(2025-05-01T13:45:00Z\).*÷ 1000000\)/);
      expect(r.stderr).to.match(/units\.csv:6: timestamp 1800 .*is outside 1990–2100/);
      expect(r.stderr).to.match(/units\.csv:7: timestamp "1985-05-01T09:30:00-04:00" is outside 1990–2100/);
      expectClean(r);
    });

    it('open or close outside [low, high]: a bad row, named', async () => {
      const csv = file('range.csv');
      fs.writeFileSync(csv, header + [
        'AAA,2025-05-01T09:30:00-04:00,12,11,9,10,100',
        'AAA,2025-05-01T09:35:00-04:00,10,11,9,8.5,100',
        'AAA,2025-05-01T09:40:00-04:00,10,11,9,10,100',
      ].join('\n') + '\n');
      const r = await importCsv(csv, file('range.db'));
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/imported 1 bar\(s\)/);
      expect(r.stderr).to.match(/range\.csv:2: open 12 is outside the bar's range \[low 9, high 11\]/);
      expect(r.stderr).to.match(/range\.csv:3: close 8\.5 is outside the bar's range \[low 9, high 11\]/);
      expectClean(r);
    });

    it('duplicate bars in one import: repeats skipped, conflicts reported with both lines, the first kept, the count not inflated', async () => {
      const csv = file('dups.csv');
      fs.writeFileSync(csv, header + [
        'AAA,2025-05-01T09:30:00-04:00,10,11,9,10,100',
        'AAA,2025-05-01T09:30:00-04:00,10,11,9,10,100',
        'AAA,2025-05-01T09:30:00-04:00,10.5,11,9,10,100',
        'AAA,2025-05-01T13:30:00Z,10,11,9,10.25,100',
        'BBB,2025-05-01T09:30:00-04:00,20,21,19,20,100',
      ].join('\n') + '\n');
      const target = file('dups.db');
      const r = await importCsv(csv, target);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/imported 2 bar\(s\)/);
      expect(r.stderr).to.match(/skipped 1 row\(s\) repeating an earlier row exactly/);
      expect(r.stderr).to.match(/skipped 2 conflicting duplicate row\(s\)/);
      expect(r.stderr).to.match(/dups\.csv:4: AAA 09:30:00 .*already read with other values at .*dups\.csv:2; the first is kept/);
      expect(r.stderr).to.match(/dups\.csv:5: AAA 09:30:00 .*dups\.csv:2/);
      expect(new Database(target, { readonly: true }).prepare("SELECT open, close FROM ohlcv_data WHERE ticker = 'AAA'").all()).to.deep.equal([{ open: 10, close: 10 }]);
      const strict = await importCsv(csv, file('dups-strict.db'), '--strict');
      expect(strict.code).to.equal(1);
      expect(strict.stderr).to.match(/dups\.csv:4: .*dups\.csv:2.*\n.*Nothing was imported/);
      expectClean(r);
    });

    it('an import that imports nothing: exit 1, says so, creates no database', async () => {
      const csv = file('nothing.csv');
      fs.writeFileSync(csv, header + 'AAA,2025-04-31T09:30:00-04:00,10,11,9,10,100\n');
      const r = await importCsv(csv, file('nothing.db'));
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr).to.match(/nothing\.csv:2: .*not a real date/);
      expect(r.stderr).to.match(/imported nothing: none of the 1 row\(s\) read was a valid bar; .*nothing\.db is unchanged/);
      expect(fs.existsSync(file('nothing.db'))).to.equal(false);
      fs.writeFileSync(file('header-only.csv'), header);
      const empty = await importCsv(file('header-only.csv'), store.db);
      expect(empty.code).to.equal(1);
      expect(empty.stderr).to.match(/imported nothing: no bar rows in .*header-only\.csv/);
      expectClean(r);
    });
  });

  describe('importing into a database of another shape: checked first, refused, nothing changed', () => {
    const csvRows = () => {
      const csv = file('two.csv');
      fs.writeFileSync(csv, `ticker,timestamp,open,high,low,close,volume\nAAA,2025-05-01T09:30:00-04:00,10,11,9,10,100\n`);
      return csv;
    };
    const shapes: [string, string, RegExp][] = [
      ['without the unique key', 'ticker TEXT, timestamp INTEGER, open REAL, high REAL, low REAL, close REAL, volume INTEGER, timeframe TEXT, time_of_day TEXT',
        /has no unique key on \(ticker, timestamp, timeframe\).*\n.*CREATE UNIQUE INDEX .*nothing was changed/],
      ['without time_of_day', 'ticker TEXT, timestamp INTEGER, open REAL, high REAL, low REAL, close REAL, volume INTEGER, timeframe TEXT, UNIQUE (ticker, timestamp, timeframe)',
        /lacks column\(s\) time_of_day\n.*ALTER TABLE ohlcv_data ADD COLUMN time_of_day TEXT.*nothing was changed/],
    ];
    for (const [name, columns, message] of shapes) {
      it(`${name}: exit 1 with the statement that fixes it; file bytes and journal mode unchanged`, async () => {
        const target = file(`foreign-${name.length}.db`);
        const setup = new Database(target);
        setup.exec(`CREATE TABLE ohlcv_data (${columns}); INSERT INTO ohlcv_data (ticker, timestamp, open, high, low, close, volume, timeframe) VALUES ('ZZZ', ${Date.parse('2025-05-01T13:30:00Z')}, 1, 1, 1, 1, 1, '5min')`);
        expect(setup.pragma('journal_mode', { simple: true })).to.equal('delete');
        setup.close();
        const before = sha(target);
        const r = await runFault(file('tmp'), ['import', '--csv', csvRows(), '--db', target]);
        expect(r.code, r.stderr).to.equal(1);
        expect(r.stderr).to.match(message);
        expect(sha(target)).to.equal(before);
        const after = new Database(target, { readonly: true });
        expect(after.pragma('journal_mode', { simple: true })).to.equal('delete');
        after.close();
        expect(fs.existsSync(`${target}-wal`)).to.equal(false);
        expectClean(r);
      });
    }
  });

  it('import --db naming a results database: refused, the results database byte-identical (exit 1)', async () => {
    const results = file('import-into-r.db');
    const r0 = await bt('--db', store.db, '--results-db', results);
    expect(r0.code, r0.stderr).to.equal(0);
    const before = sha(results);
    const csv = file('one.csv');
    fs.writeFileSync(csv, 'ticker,timestamp,open,high,low,close,volume\nAAA,2025-05-01T09:30:00-04:00,10,11,9,10,100\n');
    const r = await runFault(file('tmp'), ['import', '--csv', csv, '--db', results]);
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stderr).to.match(/cannot import into .*import-into-r\.db: it is a barwise results database .*\n.*market database the backtest reads.*nothing was changed/);
    expect(sha(results)).to.equal(before);
    expectClean(r);
  });

  it('import while another process writes the database: waits, then says it is locked (not "not CSV"), exit 1, the database as it was', async function () {
    this.timeout(60_000);
    const target = writeStore(file('held.db'), store.bars);
    // Hashed only while no lock is held: closing any other descriptor of the file drops this process's POSIX locks.
    const before = sha(target);
    const holder = new Database(target);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const csv = file('held.csv');
      fs.writeFileSync(csv, 'ticker,timestamp,open,high,low,close,volume\nAAA,2025-05-01T09:30:00-04:00,10,11,9,10,100\n');
      const r = await runFault(file('tmp'), ['import', '--csv', csv, '--db', target]);
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr).to.match(/cannot import into .*held\.db: it is locked by another process \(waited 5 s, while importing .*held\.csv:2\)\n.*Wait for the process writing to it/);
      expect(r.stderr).to.not.match(/CSV text/);
      expectClean(r);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(sha(target)).to.equal(before);
  });

  describe('an interrupted import leaves the database as it was', () => {
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      it(`${signal} mid-import: exit ${code}, the database byte-identical`, async () => {
        const target = writeStore(file(`int-${signal}.db`), store.bars);
        const before = sha(target);
        const csv = file('big.csv');
        if (!fs.existsSync(csv)) {
          const start = Date.parse('2025-06-02T13:30:00Z');
          const lines = Array.from({ length: 400_000 }, (_, i) => `T${i % 50},${start + Math.floor(i / 50) * 300_000},10,11,9,10,${i}`);
          fs.writeFileSync(csv, 'ticker,timestamp,open,high,low,close,volume\n' + lines.join('\n') + '\n');
        }
        // The rollback journal appears with the import's first write: the import is then mid-way.
        const r = await runFault(file('tmp'), ['import', '--csv', csv, '--db', target], { kill: { signal, until: () => fs.existsSync(`${target}-journal`) } });
        expect(r.stopMs, 'the import was not interrupted mid-way').to.not.equal(null);
        expect(r.code, r.stderr).to.equal(code);
        expect(r.stderr).to.match(/import interrupted; .* is as it was/);
        expect(fs.existsSync(`${target}-journal`)).to.equal(false);
        expect(sha(target)).to.equal(before);
        expect(countBars(target)).to.equal(store.bars.length);
        expectClean(r);
      });
    }
  });

  describe('market databases whose timestamps are not epoch milliseconds', () => {
    const storeWith = (name: string, f: (b: TestBar) => unknown) => {
      const target = file(name);
      const d = new Database(target);
      d.exec(`CREATE TABLE ohlcv_data (ticker TEXT, timestamp INTEGER, open REAL, high REAL, low REAL, close REAL,
        volume INTEGER, timeframe TEXT, time_of_day TEXT, UNIQUE (ticker, timestamp, timeframe))`);
      const ins = d.prepare("INSERT INTO ohlcv_data VALUES (?, ?, ?, ?, ?, ?, ?, '5min', NULL)");
      for (const b of store.bars) ins.run(b.ticker, b.ticker === 'AAA' ? f(b) : b.timestamp, b.open, b.high, b.low, b.close, b.volume);
      d.close();
      return target;
    };
    const cases: [string, (b: TestBar) => unknown, RegExp][] = [
      ['epoch seconds', (b) => b.timestamp / 1000, /AAA: timestamp \d+ looks like epoch seconds \(2025-11-03T14:30:00Z\).*\n.*Fix them in place, e.g. .UPDATE ohlcv_data SET timestamp = timestamp \* 1000 WHERE ticker = 'AAA' AND timestamp >= 631152000 AND timestamp < 4102444800., or delete their rows and import them again .*barwise import/],
      ['epoch microseconds', (b) => b.timestamp * 1000, /AAA: timestamp \d+ looks like epoch microseconds.*\n.*UPDATE ohlcv_data SET timestamp = timestamp \/ 1000 WHERE ticker = 'AAA'/],
      ['epoch nanoseconds', (b) => BigInt(b.timestamp) * 1_000_000n, /AAA: timestamp \d+ looks like epoch nanoseconds.*\n.*timestamp \/ 1000000 WHERE ticker = 'AAA'/],
      ['text (ISO)', (b) => new Date(b.timestamp).toISOString(), /AAA: timestamps stored as text \("2025-11-03T.*"\)\n.*UPDATE ohlcv_data SET timestamp = CAST\(strftime\('%s', timestamp\) AS INTEGER\) \* 1000 WHERE ticker = 'AAA' AND typeof\(timestamp\) = 'text'/],
      ['implausible (1980)', (b) => b.timestamp - Date.parse('2025-11-03T00:00:00Z') + Date.parse('1980-01-02T00:00:00Z'), /AAA: timestamp \d+ \(1980-01-02T.*\) is outside 1990–2100.*\n.*DELETE FROM ohlcv_data WHERE ticker = 'AAA'/],
    ];
    for (const [name, f, message] of cases) {
      it(`one ticker in ${name}: refused naming that ticker and the fix, within seconds (exit 1)`, async () => {
        const target = storeWith(`ts-${name.replace(/\W/g, '')}.db`, f);
        const t0 = Date.now();
        const r = await bt('--db', target, '--results-db', file('ts-r.db'));
        expect(Date.now() - t0).to.be.below(20_000);
        expect(r.code, r.stderr).to.equal(1);
        expect(r.stderr).to.match(/ohlcv_data\.timestamp must be epoch milliseconds \(UTC bar start\) of 1990–2100; 1 ticker\(s\) are not: /);
        expect(r.stderr).to.match(message);
        expect(r.stderr).to.not.match(/BBB:/);
        expectClean(r);
      });
    }

    it('daily bars (timeframe 1day) in epoch seconds, with --daily-bars: refused naming the ticker (exit 1)', async () => {
      const target = writeStore(file('daily-s.db'), store.bars);
      const d = new Database(target);
      d.prepare("INSERT INTO ohlcv_data VALUES ('AAA', ?, 10, 11, 9, 10, 100, '1day', NULL)").run(Date.parse('2025-10-31T00:00:00Z') / 1000);
      d.close();
      const r = await bt('--db', target, '--results-db', file('ts-r.db'), '--daily-bars', '1');
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr, r.stderr).to.match(/1 ticker\(s\) are not: AAA: timestamp \d+ looks like epoch seconds \(2025-10-31T00:00:00Z\)/);
      expectClean(r);
    });

    it('every ticker in microseconds, no range given: exits at once with the message instead of walking dates without end', async function () {
      this.timeout(60_000);
      const target = file('all-us.db');
      writeStore(target, store.bars.map((b) => ({ ...b, timestamp: b.timestamp * 1000 })));
      const r = await runFault(file('tmp'), ['backtest', '--db', target, '--results-db', file('ts-r.db')], { kill: { signal: 'SIGKILL', afterMs: 30_000 } });
      expect(r.signal, 'still running after 30 s').to.equal(null);
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr).to.match(/2 ticker\(s\) are not: AAA: .*microseconds.*; BBB: .*microseconds/);
      const batch = file('us-batch.yaml');
      fs.writeFileSync(batch, `jobs:\n  - name: last5\n    scanner: ${fixture('every-bar.sql')}\n    db: all-us.db\n    range: last 5 trading days\n`);
      const b = await runFault(file('tmp'), ['batch', '--config', batch, '--results-db', file('ts-r.db')], { kill: { signal: 'SIGKILL', afterMs: 30_000 } });
      expect(b.signal, 'batch still running after 30 s').to.equal(null);
      expect(b.code, b.stderr).to.equal(1);
      expect(b.stderr).to.match(/last5.*is not epoch milliseconds of 1990–2100/);
      expectClean(r);
    });

    it('a bar with open or close outside [low, high] in the source: that ticker-day fails BAD_BAR, the others are kept (exit 1)', async () => {
      const target = writeStore(file('outside.db'), [
        ...store.bars,
        ...makeDay('CCC', '2025-11-03', { slots: 20 }).map((b, i) => (i === 4 ? { ...b, open: b.high + 1 } : b)),
      ]);
      const r = await bt('--db', target, '--results-db', file('outside-r.db'), '--scanner', fixture('every-bar.sql'));
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr).to.match(/CCC 2025-11-03 BAD_BAR: .*bar at 09:50:00: open [\d.]+ is outside the bar's range \[low [\d.]+, high [\d.]+\].*fix or delete that row/);
      expect(readRun(file('outside-r.db'))!.days.filter((d) => d.status !== 'failed').map((d) => d.ticker)).to.deep.equal(['AAA', 'BBB']);
      expectClean(r);
    });
  });

  it('trades CSV: a ticker a spreadsheet would run as a formula is written as text; negative P&L stays a number', async () => {
    const evil = '=HYPERLINK("http://x.example","y")';
    const target = writeStore(file('evil.db'), makeDay('AAA', '2025-11-03', { slots: 20 }).map((b) => ({ ...b, ticker: evil })));
    const csv = file('trades.csv');
    const r = await bt('--db', target, '--results-db', file('evil-r.db'), '--scanner', fixture('every-bar.sql'), '--trades-csv', csv, '--signals', 'all', '--commission-min', '1000');
    expect(r.code, r.stderr).to.equal(0);
    const [header, ...rows] = parseCsv(fs.readFileSync(csv, 'utf8')) as string[][];
    expect(rows.length).to.be.above(0);
    for (const row of rows) {
      expect(row[header.indexOf('ticker')]).to.equal(`'${evil}`);
      expect(row[header.indexOf('pnl')]).to.match(/^-?\d+(\.\d+)?(e-?\d+)?$/);
    }
    expect(rows.some((row) => row[header.indexOf('pnl')].startsWith('-')), 'a losing trade (commission 1000) to check').to.equal(true);
    expectClean(r);
  });
});
