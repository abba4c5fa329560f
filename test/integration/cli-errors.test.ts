/**
 * Bad input through the real CLI: each case names the problem, says what to do, and exits 2 for usage
 * errors or 1 otherwise.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { makeDay, writeStore } from '../helpers/bars.js';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';

const fixture = (f: string) => path.join(ROOT, 'test/fixtures/scanners', f);

describe('CLI: bad input gets a clear message', function () {
  const tmp = useTempDir();
  let db: string;
  before(() => {
    db = writeStore(path.join(tmp(), 'm.db'), [...makeDay('AAA', '2025-11-03'), ...makeDay('BBB', '2025-11-03')]);
    const empty = new Database(path.join(tmp(), 'no-table.db'));
    empty.exec('CREATE TABLE other (x)');
    empty.close();
    const cols = new Database(path.join(tmp(), 'no-cols.db'));
    cols.exec('CREATE TABLE ohlcv_data (ticker TEXT, timestamp INTEGER, close REAL)');
    cols.close();
    fs.writeFileSync(path.join(tmp(), 'not-a-db.db'), 'ticker,timestamp\nAAA,1\n');
  });

  const bt = (...args: string[]) => runCli(['backtest', '--results-db', path.join(tmp(), 'r.db'), ...args]);

  const cases: [string, () => string[], number, RegExp][] = [
    ['missing DB', () => ['--db', path.join(tmp(), 'nope.db')], 1, /market database not found: .*nope\.db[\s\S]*npm run import/],
    ['a file that is not SQLite', () => ['--db', path.join(tmp(), 'not-a-db.db')], 1, /not-a-db\.db[\s\S]*SQLite/],
    ['DB without ohlcv_data', () => ['--db', path.join(tmp(), 'no-table.db')], 1, /has no table ohlcv_data/],
    ['DB with missing columns', () => ['--db', path.join(tmp(), 'no-cols.db')], 1, /lacks column\(s\) open, high, low, volume, timeframe/],
    ['no bars in range', () => ['--db', db, '--from', '2024-01-01', '--to', '2024-01-31'], 1, /no 5min bars from 2024-01-01 to 2024-01-31[\s\S]*covers 2025-11-03 to 2025-11-03/],
    ['unknown ticker', () => ['--db', db, '--tickers', 'AAA,ZZZ,QQQQ'], 1, /unknown tickers ZZZ, QQQQ[\s\S]*Tickers in this database: AAA, BBB/],
    ['invalid date', () => ['--db', db, '--from', '2025-02-30'], 2, /--from "2025-02-30" is not a date/],
    ['--from after --to', () => ['--db', db, '--from', '2025-11-05', '--to', '2025-11-01'], 2, /--from 2025-11-05 is after --to 2025-11-01/],
    ['scanner file missing', () => ['--db', db, '--scanner', 'scanners/nope.sql'], 1, /scanner file not found: scanners\/nope\.sql/],
    ['scanner with a wrong extension', () => ['--db', db, '--scanner', 'package.json'], 2, /cannot tell what kind of scanner package\.json is \(extension "\.json"\)/],
    ['scanner with a syntax error', () => ['--db', db, '--scanner', fixture('syntax-error.ts')], 1, /cannot load scanner .*syntax-error\.ts/],
    ['module without scan()', () => ['--db', db, '--scanner', fixture('no-scan.js')], 1, /the default export has no scan\(ctx\) function/],
    ['SQL that writes', () => ['--db', db, '--scanner', fixture('writes.sql')], 1, /scanner tried to write to the day database/],
    ['SQL with a misspelt parameter', () => ['--db', db, '--scanner', fixture('typo-param.sql')], 1, /Missing named parameter "tickr"[\s\S]*:ticker, :date, :as_of, :time, :day_start/],
    ['threads 0', () => ['--db', db, '--threads', '0'], 2, /--threads must be a whole number from 1 to 256, got 0/],
    ['threads 10000', () => ['--db', db, '--threads', '10000'], 2, /--threads must be a whole number from 1 to 256, got 10000/],
    ['unknown flag', () => ['--db', db, '--treads', '2'], 2, /Unknown argument: treads/],
    ['unknown scanner kind', () => ['--db', db, '--scanner-kind', 'perl'], 2, /Invalid values:[\s\S]*scanner-kind/],
  ];

  for (const [name, args, code, message] of cases) {
    it(name, async () => {
      const r = await bt(...args());
      expect(r.stderr, r.stderr).to.match(message);
      expect(r.code, r.stderr).to.equal(code);
    });
  }

  it('reports a failing scanner, exits 1, and still writes --out with the failures', async () => {
    const out = path.join(tmp(), 'out.json');
    const r = await bt('--db', db, '--scanner', fixture('throws-on-bbb.ts'), '--out', out);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/1 ticker-day\(s\) failed/);
    const json = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(json.failures).to.deep.equal([{ ticker: 'BBB', date: '2025-11-03', code: 'SCANNER_THREW', message: 'cannot handle BBB' }]);
    expect(json.signals.map((s: { ticker: string }) => s.ticker)).to.deep.equal(['AAA']);
    expect(json.run.status).to.equal('partial');
  });
});
