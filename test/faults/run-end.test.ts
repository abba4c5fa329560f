/**
 * Fault catalogue, runs that must end and keep their work: a scanner call that cannot be interrupted (an
 * SQL query without end, a native call), script children left in the background, a results database held by
 * another process or not barwise's, and the market database changing during the run. Through the real CLI
 * (and `runBacktest` where marked); docs/reliability.md lists every case.
 */
import crypto from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { runBacktest } from '../../src/index.js';
import { makeDay, writeStore } from '../helpers/bars.js';
import { useTempDir } from '../helpers/temp.js';
import { faultFixture, readRun, runFault, expectClean, type FaultRun } from './harness.js';

const DATES = ['2025-10-30', '2025-10-31', '2025-11-03'];
const SIX = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'];
/** For the slow fixture's runs that only have to complete: the same steps, without its busy wait. */
const FAST = { SLOW_STEP_MS: '0' };
const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

/** Another program holding the results database's write lock until `release()` (or for `ms`). */
async function holdWriteLock(file: string, ms = 0): Promise<{ proc: ChildProcess; released: Promise<void>; release(): void }> {
  const proc = spawn(process.execPath, [faultFixture('hold-write-lock.cjs'), file, String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (d) => String(d).includes('locked') && resolve());
    proc.on('exit', (code) => reject(new Error(`the lock holder exited (${code}) before it held the lock`)));
  });
  const released = new Promise<void>((r) => proc.on('exit', () => r()));
  return { proc, released, release: () => proc.kill('SIGTERM') };
}

/** The runs row's counts next to what run_days holds for it. */
function runRowAndDays(resultsDb: string, runId: number) {
  const db = new Database(resultsDb, { readonly: true });
  try {
    return db.prepare(
      `SELECT status, ticker_days, (SELECT COUNT(*) FROM run_days d WHERE d.run_id = runs.id) AS recorded,
         signal_count, (SELECT COUNT(*) FROM signals s WHERE s.run_id = runs.id) AS signals FROM runs WHERE id = ?`,
    ).get(runId) as { status: string; ticker_days: number | null; recorded: number; signal_count: number | null; signals: number };
  } finally {
    db.close();
  }
}

describe('faults: runs that must end and keep their work', function () {
  const tmp = useTempDir('barwise-faults-');
  const file = (f: string) => path.join(tmp(), f);
  let db: string;
  /** Long enough (18 ticker-days of the 25 ms-per-step scanner, ~2.7 s) for something to happen mid-run. */
  let longer: string;
  before(() => {
    db = writeStore(file('m.db'), ['AAA', 'BBB'].flatMap((t) => DATES.flatMap((d) => makeDay(t, d, { slots: 12 }))));
    longer = writeStore(file('longer.db'), SIX.flatMap((t) => DATES.flatMap((d) => makeDay(t, d, { slots: 12 }))));
  });

  describe('a scanner call that cannot be interrupted', () => {
    it('an SQL query that never ends (unbounded recursive CTE): its days time out, the rest is kept, and the CLI exits with its code (exit 1)', async () => {
      const results = file('runaway.db');
      const out = file('runaway.json');
      const started = Date.now();
      const r = await runFault(file('tmp'), ['backtest', '--db', db, '--scanner', faultFixture('runaway-on-bbb.sql'), '--step-timeout', '0.5', '--threads', '1',
        '--results-db', results, '--out', out]);
      expect(r.code, `signal ${r.signal}; ${r.stderr}`).to.equal(1);
      expect(Date.now() - started, 'the run ends instead of waiting on the stuck threads').to.be.below(60_000);
      expect(r.stderr).to.match(/barwise: 3 worker thread\(s\) stayed stuck in a scanner call that cannot be interrupted \(e\.g\. an SQL query that never ends\); exiting anyway \(code 1\)/);
      const kept = readRun(results)!;
      expect(kept.run.status).to.equal('partial');
      expect(kept.failures.map((f) => [f.ticker, f.date, f.code])).to.deep.equal(DATES.map((d) => ['BBB', d, 'SCANNER_TIMEOUT']));
      // AAA's days ran to the end and signalled at their third bar, in the DB and in --out.
      expect(kept.signals.map((s) => [s.ticker, s.signal_date])).to.deep.equal(DATES.map((d) => ['AAA', d]));
      expect(JSON.parse(fs.readFileSync(out, 'utf8')).signals).to.have.length(DATES.length);
      expectClean(r);
    });

    it('such a query on every ticker: the run stops once 4 threads are stuck, instead of piling them up; what finished is kept, the resume command given (exit 1)', async () => {
      const results = file('runaway-all.db');
      // 18 ticker-days: the limit must stop the run well before every day has timed out (with 6, the last days
      // could time out before the fourth stuck thread was counted, a second after it was let go).
      const r = await runFault(file('tmp'), ['backtest', '--db', longer, '--scanner', faultFixture('runaway.sql'), '--step-timeout', '0.5', '--threads', '1', '--results-db', results]);
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr).to.match(/barwise: stopped the run: 4 worker threads are stuck in scanner calls that cannot be interrupted/);
      expect(r.stderr).to.include(`continue with: npm run backtest -- --resume 1 --results-db ${results}`);
      const kept = readRun(results)!;
      expect(kept.run.status).to.equal('error');
      expect(kept.failures.map((f) => f.code)).to.deep.equal(Array(kept.failures.length).fill('SCANNER_TIMEOUT'));
      expect(kept.failures.length).to.be.at.least(4).and.below(SIX.length * DATES.length);
      expectClean(r);
    });

    it('a module blocked in a native call (execSync of a 40 s sleep): the call\'s child is killed, the CLI exits at once with its code (exit 1)', async () => {
      const results = file('native.db');
      const started = Date.now();
      const r = await runFault(file('tmp'), ['backtest', '--db', db, '--scanner', faultFixture('blocks-in-native-call.ts'), '--step-timeout', '0.5', '--threads', '2', '--results-db', results]);
      expect(r.code, r.stderr).to.equal(1);
      expect(Date.now() - started, 'not waiting for the sleep to end').to.be.below(30_000);
      expect(r.stderr).not.to.include('stayed stuck');
      const kept = readRun(results)!;
      expect(kept.failures.map((f) => [f.ticker, f.date, f.code])).to.deep.equal(DATES.map((d) => ['BBB', d, 'SCANNER_TIMEOUT']));
      expect(kept.days.filter((d) => d.ticker === 'AAA' && d.status === 'done')).to.have.length(DATES.length);
      expectClean(r);
    });

    it('the same through the library: runBacktest resolves, and no child of the blocked call outlives it', async () => {
      const before = sleepsOf(40);
      const r = await runBacktest({ db, scanner: faultFixture('blocks-in-native-call.ts'), stepTimeoutMs: 500, threads: 1, resultsDb: ':memory:', tickers: ['BBB'], from: DATES[0], to: DATES[0] });
      expect(r.run.status).to.equal('partial');
      expect(r.failures.map((f) => f.code)).to.deep.equal(['SCANNER_TIMEOUT']);
      expect(sleepsOf(40).filter((p) => !before.includes(p)), 'sleep processes left behind').to.deep.equal([]);
    });
  });

  describe('background children of scripts', () => {
    it('a per-step script leaving processes behind (nohup &, setsid, a double fork): none outlives the run (exit 0)', async () => {
      const r = await runFault(file('tmp'), ['backtest', '--db', db, '--scanner', faultFixture('leaves-background.sh'), '--warmup', '9', '--threads', '2', '--results-db', file('bg.db')]);
      expect(r.code, r.stderr).to.equal(0);
      expect(readRun(file('bg.db'))!.days.filter((d) => d.status === 'done')).to.have.length(2 * DATES.length);
      expectClean(r);
    });

    it('a per-step script whose background processes keep its stdout open: each step ends when the script does, not at the timeout (exit 0)', async () => {
      const r = await runFault(file('tmp'), ['backtest', '--db', db, '--scanner', faultFixture('holds-stdout-open.sh'), '--warmup', '10', '--threads', '1',
        '--step-timeout', '5', '--results-db', file('stdout-open.db')]);
      expect(r.code, r.stderr).to.equal(0);
      const kept = readRun(file('stdout-open.db'))!;
      expect(kept.failures).to.deep.equal([]);
      expect(kept.days.filter((d) => d.status === 'done')).to.have.length(2 * DATES.length);
      expectClean(r);
    });

    it('a persistent script starting background processes: none outlives the run (exit 0)', async () => {
      const r = await runFault(file('tmp'), ['backtest', '--db', db, '--scanner', faultFixture('persistent-leaves-background.sh'), '--warmup', '9', '--threads', '2', '--results-db', file('pbg.db')]);
      expect(r.code, r.stderr).to.equal(0);
      expectClean(r);
    });
  });

  describe('a results database held by another process', () => {
    it('for 7 s mid-run: the run waits it out and completes; every ticker-day is recorded and the runs row agrees with run_days (exit 0)', async () => {
      const results = file('busy.db');
      fs.rmSync(results, { force: true });
      const args = ['backtest', '--db', longer, '--scanner', faultFixture('slow.ts'), '--threads', '1', '--warmup', '0', '--results-db', results];
      // Create the database first, then hold its lock from just after the next run started writing to it.
      expect((await runFault(file('tmp'), args, { env: FAST })).code).to.equal(0);
      let lock: Awaited<ReturnType<typeof holdWriteLock>> | null = null;
      const run = runFault(file('tmp'), args);
      await waitFor(() => runRowAndDays(results, 2) !== undefined);
      lock = await holdWriteLock(results, 7000);
      let releasedAt = 0;
      void lock.released.then(() => (releasedAt = Date.now()));
      const r = await run;
      const endedAt = Date.now();
      await lock.released;
      expect(r.code, r.stderr).to.equal(0);
      expect(releasedAt, 'the run waited for the lock to go').to.be.greaterThan(0).and.at.most(endedAt);
      const row = runRowAndDays(results, 2);
      expect(row.status).to.equal('completed');
      expect(row.recorded).to.equal(SIX.length * DATES.length);
      expect(row.ticker_days).to.equal(row.recorded);
      expect(row.signal_count).to.equal(row.signals);
      expectClean(r);
    });

    it('for longer than barwise waits (20 s): says the database is locked (not a full disk) with the resume command; the resumed run completes (exit 1)', async function () {
      this.timeout(180_000);
      const results = file('locked.db');
      const args = ['backtest', '--db', longer, '--scanner', faultFixture('slow.ts'), '--threads', '1', '--warmup', '0', '--results-db', results];
      const run = runFault(file('tmp'), args);
      await waitFor(() => fs.existsSync(results) && runRowAndDays(results, 1) !== undefined);
      const lock = await holdWriteLock(results);
      let r;
      try {
        r = await run;
      } finally {
        lock.release();
        await lock.released;
      }
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr).to.include(`barwise: results database ${results} stayed locked by another process for 20 s (database is locked)\n`);
      expect(r.stderr).to.include(`ticker-days committed before are kept. Then continue with: npm run backtest -- --resume 1 --results-db ${results}\n`);
      expect(r.stderr).not.to.match(/disk/);
      expectClean(r);
      const resumed = await runFault(file('tmp'), ['backtest', '--resume', '1', '--results-db', results], { env: FAST });
      expect(resumed.code, resumed.stderr).to.equal(0);
      const row = runRowAndDays(results, 1);
      expect(row.status).to.equal('completed');
      expect(row.recorded).to.equal(SIX.length * DATES.length);
      expect(row.ticker_days).to.equal(row.recorded);
      expectClean(resumed);
    });
  });

  describe('a results database that is not barwise\'s to change', () => {
    const refused: [string, (f: string) => void, RegExp][] = [
      ['another program\'s database', (f) => sqlite(f, 'CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)'),
        /is not a barwise results database: it has the table\(s\) customers but no runs/],
      ['a database written by a newer barwise (user_version 99)', (f) => sqlite(f, `CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at TEXT, status TEXT, scanner TEXT, db TEXT,
        from_date TEXT, to_date TEXT, inputs_json TEXT); PRAGMA user_version = 99`),
        /was written by a newer barwise \(results schema version 99; this barwise knows versions up to \d+\)\n  Upgrade barwise to use it, or pass --results-db with another file/],
      ['a runs table of another shape', (f) => sqlite(f, 'CREATE TABLE runs (id INTEGER PRIMARY KEY, status TEXT)'),
        /its table runs lacks the column\(s\) started_at, scanner, db, from_date, to_date, inputs_json/],
      ['a file that is not SQLite', (f) => fs.writeFileSync(f, 'ticker,timestamp\nAAA,1\n'), /is not a barwise results database \(file is not a database\)/],
    ];
    for (const [what, make, message] of refused) {
      it(`${what}: refused before anything changes, the file named (exit 1)`, async () => {
        const results = file(`foreign-${what.replace(/\W+/g, '-')}.db`);
        make(results);
        const before = sha(results);
        const r = await runFault(file('tmp'), ['backtest', '--db', db, '--results-db', results]);
        expect(r.code, r.stderr).to.equal(1);
        expect(r.stderr).to.match(message);
        expect(r.stderr).to.include(results);
        expect(r.stderr).to.include(`was not changed`);
        expect(sha(results), 'the file\'s bytes').to.equal(before);
        expect(fs.existsSync(`${results}-wal`) || fs.existsSync(`${results}-journal`), 'a -wal or -journal next to it').to.equal(false);
        expectClean(r);
      });
    }

    it('a results database of an earlier barwise (no schema version, no trade columns) is brought up to date and used (exit 0)', async () => {
      const results = file('old.db');
      sqlite(results, `CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL,
        scanner TEXT NOT NULL, scanner_name TEXT NOT NULL, db TEXT NOT NULL, from_date TEXT NOT NULL, to_date TEXT NOT NULL, threads INTEGER NOT NULL,
        warmup INTEGER NOT NULL, mode TEXT NOT NULL, version TEXT NOT NULL, inputs_json TEXT NOT NULL, ticker_days INTEGER, steps INTEGER,
        signal_count INTEGER, failure_count INTEGER, wall_ms REAL);
        CREATE TABLE run_days (run_id INTEGER NOT NULL, ticker TEXT NOT NULL, date TEXT NOT NULL, bars INTEGER NOT NULL, steps INTEGER NOT NULL,
        status TEXT NOT NULL, PRIMARY KEY (run_id, ticker, date)) WITHOUT ROWID;
        INSERT INTO runs VALUES (1, '2025-01-01T00:00:00Z', NULL, 'completed', 's.sql', 's', 'm.db', '2025-01-02', '2025-01-02', 1, 0, 'realtime', '0.1', '{}', 0, 0, 0, 0, 1)`);
      const r = await runFault(file('tmp'), ['backtest', '--db', db, '--results-db', results]);
      expect(r.code, r.stderr).to.equal(0);
      const check = new Database(results, { readonly: true });
      try {
        expect(check.pragma('user_version', { simple: true })).to.be.at.least(2);
        expect(check.prepare('SELECT COUNT(*) FROM runs').pluck().get()).to.equal(2);
        expect(check.prepare("SELECT name FROM pragma_table_info('run_days')").pluck().all()).to.include.members(['span_start', 'span_end', 'untraded_json']);
      } finally {
        check.close();
      }
      expectClean(r);
    });
  });

  it('the market database changing during the run (an import commits): the run fails saying which file changed and to re-run; finished ticker-days are kept (exit 1)', async function () {
    this.timeout(120_000);
    const market = file('changing.db');
    fs.copyFileSync(longer, market);
    const csv = file('late.csv');
    fs.writeFileSync(csv, 'ticker,timestamp,open,high,low,close,volume\nAAA,2025-11-03T15:00:00-05:00,10,11,9,10.5,1000\n');
    const results = file('changing-results.db');
    const imported: { run: Promise<FaultRun> | null } = { run: null };
    const r = await runFault(file('tmp'), ['backtest', '--db', market, '--scanner', faultFixture('slow.ts'), '--threads', '1', '--warmup', '0', '--results-db', results], {
      // The import is the "kill": it starts once the run has finished a ticker-day, and the run goes on.
      kill: { signal: 'SIGCONT', until: () => {
        if (!imported.run && fs.existsSync(results) && (runRowAndDays(results, 1)?.recorded ?? 0) >= 1) {
          imported.run = runFault(file('tmp-import'), ['import', '--csv', csv, '--db', market]);
        }
        return false;
      } },
    });
    expect(imported.run, 'the import ran during the backtest').not.to.equal(null);
    const imp = await imported.run!;
    expect(imp.code).to.equal(0);
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stderr).to.include(`barwise: market database ${market} changed during the run (another process committed to it, e.g. an import)`);
    expect(r.stderr).to.include(`Re-run once the change is finished; this run is kept as run #1 of ${results} with status error.`);
    const row = runRowAndDays(results, 1);
    expect(row.status).to.equal('error');
    expect(row.recorded).to.be.at.least(1);
    expect(row.ticker_days).to.equal(row.recorded);
    expectClean(r);
  });
});

function sqlite(file: string, sql: string): void {
  const db = new Database(file);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

/** Pids of `sleep N` processes now alive. */
function sleepsOf(seconds: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'latin1') === `sleep\0${seconds}\0`) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}

async function waitFor(cond: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if (cond()) return;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
