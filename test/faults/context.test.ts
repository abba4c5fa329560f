/**
 * Fault catalogue, legacy context: a script that writes to its day database (tables, a trigger, user_version,
 * deleted bars) is told exactly what it wrote, or with --allow-scanner-writes gets a scratch file rebuilt
 * before every step, per step and persistent, with the market database untouched; the flag is refused where it
 * means nothing; `barwise aggregate` refuses what it cannot write to, and never changes a database it refuses.
 * docs/reliability.md, section "Legacy context", lists every case.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { nyParts } from '../helpers/oracle.js';
import { writeStore } from '../helpers/bars.js';
import { expectClean, faultFixture, fixture, runFault, storeDays, useFaultStore } from './harness.js';

const DATES = ['2025-10-31', '2025-11-03'];
const WARMUP = 8;
const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

describe('faults: legacy context', function () {
  const store = useFaultStore(() => storeDays(['AAA', 'BBB'], DATES, 12));
  const { file } = store;
  const bt = (...args: string[]) => store.backtest(args);
  const WRITER = faultFixture('scratch-writer.py');

  /** What the writer must report at each step if it reads the day as barwise filled it: a brute force over the store's bars. */
  const expectedReads = () => {
    const out: unknown[] = [];
    for (const date of DATES) {
      for (const ticker of ['AAA', 'BBB']) {
        const day = store.bars.filter((b) => b.ticker === ticker && nyParts(b.timestamp).date === date).sort((a, b) => a.timestamp - b.timestamp);
        for (let i = WARMUP; i < day.length; i++) {
          out.push({ ticker, timestamp: day[i].timestamp, metrics: { bars: i + 1, close: day[i].close, log_rows: 1, user_version: 0 } });
        }
      }
    }
    // The run's order: date, time, ticker.
    return out.sort((a, b) => (a as { timestamp: number }).timestamp - (b as { timestamp: number }).timestamp
      || ((a as { ticker: string }).ticker < (b as { ticker: string }).ticker ? -1 : 1));
  };
  const readsOf = (json: { signals: { ticker: string; timestamp: number; metrics: unknown }[] }) =>
    json.signals.map((s) => ({ ticker: s.ticker, timestamp: s.timestamp, metrics: s.metrics }));

  it('a script that writes to its DATABASE_PATH, without --allow-scanner-writes: SCANNER_WRITE names the tables, trigger, rows and setting written, and suggests the flag (exit 1)', async () => {
    const r = await bt('--scanner', WRITER, '--warmup', String(WARMUP), '--threads', '1');
    expect(r.code).to.equal(1);
    expect(r.json.failures).to.have.length(4);
    const f = r.json.failures[0];
    expect(f.code).to.equal('SCANNER_WRITE');
    expect(f.message).to.equal('the script wrote to the day database (DATABASE_PATH AAA-2025-10-31.db): created table scanner_log, trigger zero_close; '
      + 'changed table ohlcv_data (9 of its row(s) gone: rows deleted); set PRAGMA user_version = 7; '
      + 'pass --allow-scanner-writes to let it use that file as scratch (rebuilt before the next step; the market database is never written)');
    expect(r.stderr).to.match(/AAA 2025-10-31 SCANNER_WRITE: the script wrote to the day database .*--allow-scanner-writes/);
    expectClean(r);
  });

  for (const persistent of [false, true]) {
    it(`with --allow-scanner-writes${persistent ? ' --persistent (one connection kept open)' : ''}: every step reads the day as barwise filled it, nothing written carries over, the market database is untouched (exit 0)`, async () => {
      const before = sha(store.db);
      const r = await bt('--scanner', WRITER, '--warmup', String(WARMUP), '--signals', 'all', '--allow-scanner-writes', '--threads', '1', ...(persistent ? ['--persistent'] : []));
      expect(r.code, r.stderr).to.equal(0);
      expect(r.json.failures).to.deep.equal([]);
      // The trigger it made would zero every close barwise inserts after it; the log would grow; user_version would read 7.
      expect(readsOf(r.json)).to.deep.equal(expectedReads());
      expect(sha(store.db)).to.equal(before);
      expect(fs.existsSync(`${store.db}-wal`) || fs.existsSync(`${store.db}-journal`)).to.equal(false);
      expectClean(r);
    });
  }

  it('--mode naive tells the same: SCANNER_WRITE naming what was written to the step\'s snapshot without the flag (exit 1), the same reads with it (exit 0)', async () => {
    const refused = await bt('--scanner', WRITER, '--warmup', String(WARMUP), '--threads', '1', '--mode', 'naive');
    expect(refused.code).to.equal(1);
    expect(refused.json.failures).to.have.length(4);
    expect(refused.json.failures[0].message).to.equal('the script wrote to the day database (DATABASE_PATH naive-AAA-2025-10-31-8.db): created table scanner_log, trigger zero_close; '
      + 'changed table ohlcv_data (9 of its row(s) gone: rows deleted); set PRAGMA user_version = 7; '
      + 'pass --allow-scanner-writes to let it use that file as scratch (rebuilt before the next step; the market database is never written)');
    expectClean(refused);
    const r = await bt('--scanner', WRITER, '--warmup', String(WARMUP), '--signals', 'all', '--allow-scanner-writes', '--threads', '1', '--mode', 'naive');
    expect(r.code, r.stderr).to.equal(0);
    expect(readsOf(r.json)).to.deep.equal(expectedReads());
    expectClean(r);
  });

  it('a script that deletes its DATABASE_PATH and puts its own database there: SCANNER_WRITE says so without the flag (exit 1); with it, every step reads the day as barwise filled it (exit 0)', async () => {
    const REPLACER = faultFixture('replaces-day-file.py');
    const refused = await bt('--scanner', REPLACER, '--warmup', String(WARMUP), '--threads', '1');
    expect(refused.code).to.equal(1);
    expect(refused.json.failures).to.have.length(4);
    expect(refused.json.failures[0].message).to.match(/^the script replaced its day database file \(DATABASE_PATH AAA-2025-10-31\.db\); pass --allow-scanner-writes/);
    expectClean(refused);
    const before = sha(store.db);
    const r = await bt('--scanner', REPLACER, '--warmup', String(WARMUP), '--signals', 'all', '--allow-scanner-writes', '--threads', '1');
    expect(r.code, r.stderr).to.equal(0);
    const want = (expectedReads() as { ticker: string; timestamp: number; metrics: { bars: number; close: number } }[])
      .map((e) => ({ ...e, metrics: { bars: e.metrics.bars, close: e.metrics.close } }));
    expect(readsOf(r.json)).to.deep.equal(want);
    expect(sha(store.db)).to.equal(before);
    expectClean(r);
  });

  it('--allow-scanner-writes on an SQL or a module scanner: refused, naming why, before anything runs (exit 2)', async () => {
    for (const scanner of [fixture('every-bar.sql'), fixture('steady-climber.ts')]) {
      const r = await bt('--scanner', scanner, '--allow-scanner-writes');
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.match(/--allow-scanner-writes applies to script scanners only: .* is an? (SQL|module) scanner, whose statements on the day database are read-only by construction/);
      expect(r.json).to.equal(null);
      expectClean(r);
    }
  });

  describe('barwise aggregate', () => {
    const aggregate = (db: string) => runFault(file('tmp'), ['aggregate', '--db', db]);

    it('--daily-bars on a database of 5-minute bars only: refused naming the remedy, which then works (exit 1, then 0)', async () => {
      const db = writeStore(file('five-only.db'), store.bars);
      const r = await store.backtest(['--scanner', fixture('every-bar.sql'), '--daily-bars', '1'], { db });
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/daily-bars 1: .*five-only\.db holds no "1day" bars for the run's tickers\n.*`barwise aggregate --db .*five-only\.db`/);
      expectClean(r);
      expect((await aggregate(db)).code).to.equal(0);
      const ok = await store.backtest(['--scanner', fixture('every-bar.sql'), '--daily-bars', '1'], { db });
      expect(ok.code, ok.stderr).to.equal(0);
      expect(ok.json.run.daily_bars).to.equal(1);
    });

    it('a database that does not exist: named, nothing created (exit 1)', async () => {
      const r = await aggregate(file('nope.db'));
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/market database not found: .*nope\.db/);
      expect(fs.existsSync(file('nope.db'))).to.equal(false);
    });

    it('a results database, a CSV and a database without intraday bars: each named, each file unchanged (exit 1)', async () => {
      const results = file('results.db');
      const rdb = new Database(results);
      rdb.exec('CREATE TABLE runs (id INTEGER); CREATE TABLE run_days (run_id INTEGER)');
      rdb.close();
      const csv = file('bars.csv');
      fs.writeFileSync(csv, 'ticker,timestamp,open,high,low,close,volume\nAAA,2025-10-31T09:30:00-04:00,1,1,1,1,1\n');
      const dailyOnly = writeStore(file('daily-only.db'), store.bars.slice(0, 3), { timeframe: '1day' });
      const cases: [string, RegExp][] = [
        [results, /it is a barwise results database/],
        [csv, /file is not a database/],
        [dailyOnly, /holds no "5min" bars to make daily bars from[\s\S]*--source-timeframe/],
      ];
      for (const [db, message] of cases) {
        const before = sha(db);
        const r = await aggregate(db);
        expect(r.code, r.stderr).to.equal(1);
        expect(r.stderr).to.match(message);
        expect(r.stderr).to.not.match(/unexpected error/);
        expect(sha(db)).to.equal(before);
      }
    });

    it('a database another process is writing to: DB_LOCKED after the wait, nothing changed (exit 1)', async () => {
      const db = writeStore(file('locked.db'), store.bars);
      const before = sha(db);
      const holder = new Database(db);
      holder.exec('BEGIN IMMEDIATE');
      try {
        const r = await aggregate(db);
        expect(r.code).to.equal(1);
        expect(r.stderr).to.match(/cannot write daily bars to .*locked\.db: it is locked by another process \(waited 3 s\)/);
      } finally {
        holder.exec('ROLLBACK');
        holder.close();
      }
      expect(sha(db)).to.equal(before);
    });

    it('daily bars a vendor stored at another stamp are kept, named, and not doubled by the aggregate (exit 0)', async () => {
      const db = writeStore(file('vendor.db'), store.bars);
      const conn = new Database(db);
      // A vendor's daily bar for AAA 2025-10-31, stamped at UTC midnight of its date.
      conn.prepare("INSERT INTO ohlcv_data VALUES ('AAA', ?, 1, 2, 0.5, 1.5, 99, '1day', NULL)").run(Date.parse('2025-10-31T00:00:00Z'));
      conn.close();
      const r = await aggregate(db);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/4 1day bar\(s\) of 2 ticker\(s\) from "5min" bars: 3 written, 0 already up to date/);
      expect(r.stderr).to.match(/kept 1 daily bar\(s\) already stored at another time stamp for their date \(AAA 2025-10-31\)/);
      const check = new Database(db, { readonly: true });
      const rows = check.prepare("SELECT ticker, timestamp, volume FROM ohlcv_data WHERE timeframe = '1day' AND ticker = 'AAA' ORDER BY timestamp").all();
      check.close();
      expect(rows).to.deep.equal([
        { ticker: 'AAA', timestamp: Date.parse('2025-10-31T00:00:00Z'), volume: 99 },
        { ticker: 'AAA', timestamp: Date.parse('2025-11-03T05:00:00Z'), volume: store.bars.filter((b) => b.ticker === 'AAA' && nyParts(b.timestamp).date === '2025-11-03').reduce((s, b) => s + b.volume, 0) },
      ]);
    });
  });
});
