/**
 * Vendor CSV files: wall-clock timestamps without an offset (--timezone), other column names (--columns), and
 * the summary printed after an import. Every expected instant is written out by hand in UTC.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { importCsv } from '../../src/data/import-csv.js';
import { runCli, useTempDir } from '../helpers/temp.js';

function rows(db: string): { ticker: string; timestamp: string; time_of_day: string }[] {
  const d = new Database(db, { readonly: true });
  const out = (d.prepare('SELECT ticker, timestamp, time_of_day FROM ohlcv_data ORDER BY ticker, timestamp').all() as { ticker: string; timestamp: number; time_of_day: string }[])
    .map((r) => ({ ...r, timestamp: new Date(r.timestamp).toISOString() }));
  d.close();
  return out;
}

describe('CSV import of vendor files', function () {
  const tmp = useTempDir();
  const write = (name: string, lines: string[]) => {
    const f = path.join(tmp(), name);
    fs.writeFileSync(f, lines.join('\n') + '\n');
    return f;
  };

  it('reads offset-less New York times in EST and EDT, across both DST changes of 2025', async () => {
    const csv = write('dst.csv', [
      'ticker,timestamp,open,high,low,close,volume',
      'SPY,2025-03-07 09:30:00,1,1,1,1,1', // Friday before spring forward: EST, UTC-5
      'SPY,2025-03-10 09:30:00,1,1,1,1,1', // Monday after: EDT, UTC-4
      'SPY,2025-10-31 15:55:00,1,1,1,1,1', // Friday before fall back: EDT
      'SPY,2025-11-03 09:30,1,1,1,1,1', // Monday after: EST (seconds left out)
      'SPY,2025-11-03T09:35:00-05:00,1,1,1,1,1', // an offset is exact whatever the zone
    ]);
    const db = path.join(tmp(), 'dst.db');
    const rep = await importCsv({ source: csv, dbPath: db, timeZone: 'America/New_York' });
    expect(rep).to.include({ rowsImported: 5, badRowCount: 0, outsideRegularHours: 0 });
    expect(rows(db).map((r) => `${r.ticker} ${r.timestamp} ${r.time_of_day}`)).to.deep.equal([
      'SPY 2025-03-07T14:30:00.000Z 09:30:00',
      'SPY 2025-03-10T13:30:00.000Z 09:30:00',
      'SPY 2025-10-31T19:55:00.000Z 15:55:00',
      'SPY 2025-11-03T14:30:00.000Z 09:30:00',
      'SPY 2025-11-03T14:35:00.000Z 09:35:00',
    ]);
  });

  it('refuses, as bad rows with the reason, a time the clocks skipped and a time that happened twice', async () => {
    const csv = write('gap.csv', [
      'ticker,timestamp,open,high,low,close,volume',
      'SPY,2025-03-09 02:30:00,1,1,1,1,1', // spring forward: 02:00 → 03:00
      'SPY,2025-03-09 03:00:00,1,1,1,1,1', // 07:00Z, exists
      'SPY,2025-11-02 01:30:00,1,1,1,1,1', // fall back: 01:00–02:00 happens twice
      'SPY,2025-11-02 02:00:00,1,1,1,1,1', // 07:00Z, once
    ]);
    const db = path.join(tmp(), 'gap.db');
    const rep = await importCsv({ source: csv, dbPath: db, timeZone: 'America/New_York' });
    expect(rep.badRows.map((b) => [b.line, b.reason])).to.deep.equal([
      [2, 'timestamp "2025-03-09 02:30:00" never happened in America/New_York (the clocks skipped that hour for daylight saving)'],
      [4, 'timestamp "2025-11-02 01:30:00" happened twice in America/New_York (the clocks went back that hour); give it with its UTC offset'],
    ]);
    expect(rows(db).map((r) => r.timestamp)).to.deep.equal(['2025-03-09T07:00:00.000Z', '2025-11-02T07:00:00.000Z']);
    expect(rep.outsideRegularHours).to.equal(2);
  });

  it('reads another zone by its own rules (London changes on other dates than New York)', async () => {
    const csv = write('london.csv', [
      'ticker,timestamp,open,high,low,close,volume',
      'VOD,2025-03-28 14:30:00,1,1,1,1,1', // GMT (UTC+0) until 30 March
      'VOD,2025-03-31 14:30:00,1,1,1,1,1', // BST (UTC+1)
    ]);
    const db = path.join(tmp(), 'london.db');
    await importCsv({ source: csv, dbPath: db, timeZone: 'Europe/London' });
    expect(rows(db).map((r) => [r.timestamp, r.time_of_day])).to.deep.equal([
      ['2025-03-28T14:30:00.000Z', '10:30:00'], // 14:30 GMT is 10:30 EDT (New York changed on 9 March)
      ['2025-03-31T13:30:00.000Z', '09:30:00'],
    ]);
  });

  it('without --timezone, an offset-less timestamp is a bad row that says to pass one', async () => {
    const csv = write('plain.csv', ['ticker,timestamp,open,high,low,close,volume', 'SPY,2025-11-03 09:30:00,1,1,1,1,1']);
    const rep = await importCsv({ source: csv, dbPath: path.join(tmp(), 'plain.db') });
    expect(rep.badRows[0].reason).to.match(/has no UTC offset: pass --timezone .*America\/New_York/);
  });

  it('maps a vendor header with --columns (date and time apart, extra columns left out, ticker from the file name) and prints the summary', async () => {
    const dir = path.join(tmp(), 'vendor');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'TSLA.csv'), [
      'Date,Time,Open,High,Low,Close,Volume,Adj Close',
      '2025-11-03,09:30,10,11,9,10.5,100,10.4',
      '2025-11-03,09:35,10,11,9,10.5,100,10.4',
      '2025-11-03,09:35,10,11,9,10.5,100,10.4', // repeats the row above
      '2025-11-04,08:00,10,11,9,10.5,100,10.4', // pre-market
      '2025-11-04,16:00,10,11,9,10.5,100,10.4', // after the close
      '2025-11-04,09:30,10,11,9,abc,100,10.4', // bad close
      '2025-11-05,09:30,10,11,9,12,100,10.4', // close above high
      '2025-11-05,09:35,10,11,9,10,100', // a field short
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'AAPL.csv'), ['Date,Time,Open,High,Low,Close,Volume,Adj Close', '2025-11-05,15:55,10,11,9,10.5,100,10.4'].join('\n'));
    const db = path.join(tmp(), 'vendor.db');
    const r = await runCli(['import', '--csv', dir, '--db', db, '--timezone', 'America/New_York',
      '--columns', 'date=Date,time=Time,open=Open,high=High,low=Low,close=Close,volume=Volume']);
    expect(r.code, r.stderr).to.equal(0);
    expect(rows(db)).to.deep.equal([
      { ticker: 'AAPL', timestamp: '2025-11-05T20:55:00.000Z', time_of_day: '15:55:00' },
      { ticker: 'TSLA', timestamp: '2025-11-03T14:30:00.000Z', time_of_day: '09:30:00' },
      { ticker: 'TSLA', timestamp: '2025-11-03T14:35:00.000Z', time_of_day: '09:35:00' },
      { ticker: 'TSLA', timestamp: '2025-11-04T13:00:00.000Z', time_of_day: '08:00:00' },
      { ticker: 'TSLA', timestamp: '2025-11-04T21:00:00.000Z', time_of_day: '16:00:00' },
    ]);
    expect(r.stdout).to.equal([
      `imported 5 bar(s) from 2 file(s) into ${db}`,
      '  2 tickers, 3 trading days (3 ticker-days), 2025-11-03 to 2025-11-05',
      '  2 bars outside regular hours (09:30–16:00 New York): read only with --session extended',
      '  skipped 4 rows: 1 not a number, 1 impossible prices, 1 wrong number of fields, 1 repeated',
      '',
    ].join('\n'));
  });

  it('a summary of a clean import says nothing was skipped', async () => {
    const csv = write('clean.csv', ['ticker,timestamp,open,high,low,close,volume', 'SPY,2025-11-03T09:30:00-05:00,1,1,1,1,1']);
    const r = await runCli(['import', '--csv', csv, '--db', path.join(tmp(), 'clean.db')]);
    expect(r.stdout).to.match(/\n {2}1 ticker, 1 trading day \(1 ticker-day\), 2025-11-03\n {2}every bar within regular hours .*\n {2}skipped no rows\n$/);
  });
});
