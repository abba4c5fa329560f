/**
 * Importing CSV: idempotent, streaming, bad rows reported with file and line, --strict all-or-nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { importCsv } from '../../src/data/import-csv.js';
import { BarwiseError } from '../../src/errors.js';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';

const GOOD = [
  'ticker,timestamp,open,high,low,close,volume',
  'AAA,2025-11-03T09:30:00-05:00,10,11,9.5,10.5,1000',
  'AAA,2025-11-03T09:35:00-05:00,10.5,11,10,10.8,1200',
  'BBB,1762180200000,20,21,19,20.5,500',
];

function count(db: string): number {
  const d = new Database(db, { readonly: true });
  const n = (d.prepare('SELECT COUNT(*) AS n FROM ohlcv_data').get() as { n: number }).n;
  d.close();
  return n;
}

describe('CSV import', function () {
  const tmp = useTempDir();

  it('imports ISO and epoch-ms rows and labels time_of_day in New York time', async () => {
    const csv = path.join(tmp(), 'a.csv');
    fs.writeFileSync(csv, GOOD.join('\n') + '\n');
    const db = path.join(tmp(), 'a.db');
    const rep = await importCsv({ source: csv, dbPath: db });
    expect(rep).to.include({ rowsRead: 3, rowsImported: 3, badRowCount: 0 });
    const d = new Database(db, { readonly: true });
    expect(d.prepare('SELECT ticker, timestamp, time_of_day, timeframe FROM ohlcv_data ORDER BY ticker, timestamp').all()).to.deep.equal([
      { ticker: 'AAA', timestamp: Date.parse('2025-11-03T14:30:00Z'), time_of_day: '09:30:00', timeframe: '5min' },
      { ticker: 'AAA', timestamp: Date.parse('2025-11-03T14:35:00Z'), time_of_day: '09:35:00', timeframe: '5min' },
      { ticker: 'BBB', timestamp: 1762180200000, time_of_day: '09:30:00', timeframe: '5min' },
    ]);
    d.close();
  });

  it('does not duplicate bars when the same file is imported twice', async () => {
    const csv = path.join(tmp(), 'b.csv');
    fs.writeFileSync(csv, GOOD.join('\n'));
    const db = path.join(tmp(), 'b.db');
    await importCsv({ source: csv, dbPath: db });
    await importCsv({ source: csv, dbPath: db });
    expect(count(db)).to.equal(3);
  });

  it('skips and reports bad rows with file and line, and imports the rest', async () => {
    const csv = path.join(tmp(), 'c.csv');
    const lines = [...GOOD];
    lines.splice(2, 0, 'AAA,2025-11-03T09:40:00-05:00,10,9,11,10,5', 'AAA,2025-11-03T09:45:00-05:00,abc,11,9,10,5', 'AAA,2025-11-03T09:50:00-05:00,10,11,9,10,-1');
    fs.writeFileSync(csv, lines.join('\n'));
    const db = path.join(tmp(), 'c.db');
    const rep = await importCsv({ source: csv, dbPath: db });
    expect(rep.badRowCount).to.equal(3);
    expect(rep.badRows.map((b) => [path.basename(b.file), b.line])).to.deep.equal([['c.csv', 3], ['c.csv', 4], ['c.csv', 5]]);
    expect(rep.badRows[0].reason).to.match(/high 9 is below low 11/);
    expect(count(db)).to.equal(3);
  });

  it('with --strict, aborts at a bad row in the middle of a large file and writes nothing', async () => {
    const db = path.join(tmp(), 'd.db');
    const first = path.join(tmp(), 'first.csv');
    fs.writeFileSync(first, GOOD.join('\n'));
    await importCsv({ source: first, dbPath: db });
    const big = path.join(tmp(), 'big.csv');
    const rows = ['ticker,timestamp,open,high,low,close,volume'];
    const t0 = Date.parse('2025-01-02T14:30:00Z');
    for (let i = 0; i < 50_000; i++) rows.push(`ZZZ,${t0 + i * 300_000},10,11,9,10,${i}`);
    rows[25_000] = 'ZZZ,2025-01-02T09:30:00-05:00,10,11,9,10,NaN';
    fs.writeFileSync(big, rows.join('\n'));
    const err = await importCsv({ source: big, dbPath: db, strict: true }).catch((e) => e);
    expect(err).to.be.instanceOf(BarwiseError);
    expect(err.message).to.match(/big\.csv:25001: volume "NaN" is not a number/);
    expect(count(db)).to.equal(3); // the earlier import is intact, nothing of big.csv is in
  });

  it('imports a directory of per-ticker .csv.gz files without a ticker column, through the CLI', async () => {
    const dir = path.join(tmp(), 'per-ticker');
    fs.mkdirSync(dir);
    const body = ['timestamp,open,high,low,close,volume', '2025-11-03T09:30:00-05:00,1,2,0.5,1.5,10', '2025-11-03T09:35:00-05:00,1,2,0.5,1.5,10'].join('\n');
    fs.writeFileSync(path.join(dir, 'XYZ.csv.gz'), zlib.gzipSync(body));
    fs.writeFileSync(path.join(dir, 'QRS.csv'), body);
    const db = path.join(tmp(), 'e.db');
    const r = await runCli(['import', '--csv', dir, '--db', db]);
    expect(r.code, r.stderr).to.equal(0);
    const d = new Database(db, { readonly: true });
    expect(d.prepare('SELECT ticker, COUNT(*) AS n FROM ohlcv_data GROUP BY ticker ORDER BY ticker').all()).to.deep.equal([{ ticker: 'QRS', n: 2 }, { ticker: 'XYZ', n: 2 }]);
    d.close();
  });

  it('names an unknown header column and the missing file through the CLI', async () => {
    const csv = path.join(tmp(), 'f.csv');
    fs.writeFileSync(csv, 'ticker,timestamp,open,high,low,colse,volume\nA,1762180200000,1,1,1,1,1\n');
    const r = await runCli(['import', '--csv', csv, '--db', path.join(tmp(), 'f.db')]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/f\.csv: header unknown column\(s\) "colse"/);
    const missing = await runCli(['import', '--csv', path.join(tmp(), 'none.csv'), '--db', path.join(tmp(), 'f.db')]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.match(/CSV source not found/);
  });

  it('ships a bundled sample that imports without a single bad row', async () => {
    const rep = await importCsv({ source: path.join(ROOT, 'data/bundled'), dbPath: path.join(tmp(), 'g.db'), strict: true });
    expect(rep.rowsImported).to.equal(15582);
  });
});
