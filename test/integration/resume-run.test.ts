/**
 * Resume: a run killed midway (SIGKILL, no clean-up at all) and continued with `--resume` gives the signals of
 * a clean run recorded in a separate results database, without redoing the ticker-days it had committed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { runBacktest } from '../../src/index.js';
import { BarwiseError } from '../../src/errors.js';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';

const SCANNER = path.join(ROOT, 'test/fixtures/scanners/steady-climber.ts');
const ARGS = ['backtest', '--scanner', SCANNER, '--tickers', 'AAPL,MSFT,NVDA', '--signals', 'all', '--threads', '1'];

function readDb<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function committedDays(file: string): string[] {
  try {
    return readDb(file, (db) => (db.prepare("SELECT ticker || ' ' || date FROM run_days WHERE status = 'done'").pluck().all() as string[]));
  } catch {
    return []; // not created yet
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('resume', function () {
  const tmp = useTempDir();

  it('continues a run killed mid-job to the same signals as a clean run, redoing no committed ticker-day', async () => {
    const cleanOut = path.join(tmp(), 'clean.json');
    const clean = await runCli([...ARGS, '--results-db', path.join(tmp(), 'clean.db'), '--out', cleanOut]);
    expect(clean.code, clean.stderr).to.equal(0);
    const cleanJson = JSON.parse(fs.readFileSync(cleanOut, 'utf8'));
    expect(cleanJson.signals.length).to.be.greaterThan(1000);

    const killedDb = path.join(tmp(), 'killed.db');
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/barwise.js'), ...ARGS, '--results-db', killedDb], {
      cwd: ROOT, stdio: 'ignore', env: { ...process.env, BARWISE_TEST_STEP_MS: '2' },
    });
    const exited = new Promise((r) => child.on('exit', r));
    let before: string[] = [];
    for (let waited = 0; before.length === 0 && waited < 60_000; waited += 100) {
      await sleep(100);
      before = committedDays(killedDb);
    }
    child.kill('SIGKILL');
    await exited;
    before = committedDays(killedDb);
    const total = cleanJson.run.counts.ticker_days;
    expect(before.length).to.be.greaterThan(0);
    expect(before.length).to.be.lessThan(total);
    expect(readDb(killedDb, (db) => db.prepare('SELECT status FROM runs WHERE id = 1').pluck().get())).to.equal('running');

    const dayLog = path.join(tmp(), 'days.log');
    const resumedOut = path.join(tmp(), 'resumed.json');
    const resumed = await runCli(['backtest', '--resume', '1', '--results-db', killedDb, '--out', resumedOut],
      { env: { BARWISE_TEST_DAY_LOG: dayLog } });
    expect(resumed.code, resumed.stderr).to.equal(0);
    const json = JSON.parse(fs.readFileSync(resumedOut, 'utf8'));
    expect(json.run.id).to.equal(1);
    expect(json.run.status).to.equal('completed');
    expect(json.signals).to.deep.equal(cleanJson.signals);
    expect(json.run.counts.ticker_days).to.equal(total);
    expect(json.run.counts.steps).to.equal(cleanJson.run.counts.steps);

    const redone = fs.readFileSync(dayLog, 'utf8').trim().split('\n');
    expect(redone.filter((d) => before.includes(d))).to.deep.equal([]);
    expect(redone.length + before.length).to.be.at.least(total - 3 * 2); // days shorter than the warmup log nothing
    const stored = readDb(killedDb, (db) => ({
      runs: db.prepare('SELECT COUNT(*) FROM runs').pluck().get(),
      status: db.prepare('SELECT status FROM runs WHERE id = 1').pluck().get(),
      signals: db.prepare('SELECT COUNT(*) FROM signals WHERE run_id = 1').pluck().get(),
    }));
    expect(stored).to.deep.equal({ runs: 1, status: 'completed', signals: cleanJson.signals.length });
  });

  describe('in-process', () => {
    const base = () => ({ scanner: SCANNER, tickers: ['AAPL', 'MSFT', 'NVDA'], from: '2025-11-03', to: '2025-11-07', signals: 'all' as const, threads: 2 });
    afterEach(() => {
      delete process.env.BARWISE_TEST_FAIL_TICKER;
    });

    it('retries the failed ticker-days of a partial run and ends with the clean run\'s signals and no failures', async () => {
      const clean = await runBacktest({ ...base(), resultsDb: path.join(tmp(), 'c2.db') });
      const resultsDb = path.join(tmp(), 'p.db');
      process.env.BARWISE_TEST_FAIL_TICKER = 'MSFT';
      const partial = await runBacktest({ ...base(), resultsDb });
      delete process.env.BARWISE_TEST_FAIL_TICKER;
      expect(partial.run.status).to.equal('partial');
      expect(partial.failures.map((f) => f.ticker)).to.deep.equal(Array(5).fill('MSFT'));
      expect(partial.signals.some((s) => s.ticker === 'MSFT')).to.equal(false);

      const resumed = await runBacktest({ ...base(), resultsDb, resume: partial.run.id });
      expect(resumed.run.id).to.equal(partial.run.id);
      expect(resumed.run.status).to.equal('completed');
      expect(resumed.failures).to.deep.equal([]);
      expect(resumed.signals).to.deep.equal(clean.signals);
      expect(resumed.run.counts.ticker_days).to.equal(15);
    });

    it('with trade rules, a continued run has the clean run\'s trades, equity and statistics, exposure and untraded counts included', async () => {
      // Sized from the account's equity: every trade's size depends on the trades of all tickers before it, so the
      // portfolio pass must run over the whole run's candidates, not per session.
      const trade = { stopPct: 1, targetPct: 2, size: 'equity-pct:40' };
      const clean = await runBacktest({ ...base(), trade, resultsDb: path.join(tmp(), 'ct.db') });
      expect(clean.trades?.length).to.be.greaterThan(0);
      const resultsDb = path.join(tmp(), 'pt.db');
      process.env.BARWISE_TEST_FAIL_TICKER = 'NVDA';
      const partial = await runBacktest({ ...base(), trade, resultsDb });
      delete process.env.BARWISE_TEST_FAIL_TICKER;
      expect(partial.trades?.some((t) => t.ticker === 'NVDA')).to.equal(false);
      const resumed = await runBacktest({ ...base(), trade, resultsDb, resume: partial.run.id });
      expect(resumed.trades).to.deep.equal(clean.trades);
      expect(resumed.equity).to.deep.equal(clean.equity);
      expect(resumed.stats).to.deep.equal(clean.stats);
    });

    it('keeps --max-signals exact across a resume: the first N of the whole run, not of its first part', async () => {
      const clean = await runBacktest({ ...base(), maxSignals: 40, resultsDb: path.join(tmp(), 'c3.db') });
      const resultsDb = path.join(tmp(), 'cap.db');
      process.env.BARWISE_TEST_FAIL_TICKER = 'AAPL'; // AAPL sorts first: its signals belong in the first 40
      const partial = await runBacktest({ ...base(), maxSignals: 40, resultsDb });
      delete process.env.BARWISE_TEST_FAIL_TICKER;
      expect(partial.signals.some((s) => s.ticker === 'AAPL')).to.equal(false);
      const resumed = await runBacktest({ ...base(), maxSignals: 40, resultsDb, resume: partial.run.id });
      expect(resumed.signals.some((s) => s.ticker === 'AAPL')).to.equal(true);
      expect(resumed.signals).to.deep.equal(clean.signals);
    });

    it('refuses to resume with different inputs, naming each difference', async () => {
      const resultsDb = path.join(tmp(), 'm.db');
      const first = await runBacktest({ ...base(), resultsDb });
      const err = await runBacktest({ ...base(), to: '2025-11-06', signals: 'first', resultsDb, resume: first.run.id }).then(() => null, (e) => e);
      expect(err).to.be.instanceOf(BarwiseError);
      expect(err.code).to.equal('RESUME_MISMATCH');
      // Named as the library caller spells the options.
      expect(err.message).to.match(/options\.signals was all, now first/);
      expect(err.message).to.match(/options\.to was 2025-11-07, now 2025-11-06/);
      expect(err.hint).to.match(/runs\.plan_json/);
    });

    it('names a run that does not exist', async () => {
      const err = await runBacktest({ ...base(), resultsDb: path.join(tmp(), 'm.db'), resume: 99 }).then(() => null, (e) => e);
      expect(err.code).to.equal('RUN_NOT_FOUND');
      expect(err.message).to.match(/run #99 is not in/);
    });
  });
});
