/**
 * `npm run batch`, `npm run runs` as users run them: a broken job fails alone, a batch killed mid-job and run
 * again ends with the results of a clean batch (recorded in a separate database), and --compare reports the
 * signal differences a test computes itself from the two runs' signals.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { runBacktest } from '../../src/index.js';
import type { Signal } from '../../src/types.js';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';

const ORB = path.join(ROOT, 'scanners/opening-range-breakout.sql');
const VOLUME = path.join(ROOT, 'scanners/volume-spike.sql');
const CLIMBER = path.join(ROOT, 'test/fixtures/scanners/steady-climber.ts');

function query<T>(file: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** A job's signals as stored, without the run id, in the total order. */
function jobSignals(file: string, job: string): unknown[] {
  return query(file, `SELECT s.ticker, s.signal_date, s.signal_time, s.timestamp, s.seq, s.direction, s.pattern_strength, s.metrics_json
    FROM signals s WHERE s.run_id = (SELECT run_id FROM batch_jobs WHERE job = ? ORDER BY batch_id DESC LIMIT 1)
    ORDER BY s.signal_date, s.timestamp, s.ticker, s.seq`, job);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('CLI: batch and runs', function () {
  const tmp = useTempDir();

  it('fails a broken job alone, exits 1, prints the summary and hands it to the notify command', async () => {
    const config = path.join(tmp(), 'broken.yaml');
    fs.writeFileSync(config, [
      'resultsDb: broken.db',
      'jobs:',
      `  - { name: orb, scanner: ${ORB}, universe: [AAPL, MSFT], range: { from: 2025-11-03, to: 2025-11-14 } }`,
      '  - { name: no-such-scanner, scanner: nope.sql }',
      `  - { name: typo, scanner: ${ORB}, options: { tread: 2 } }`,
      `  - { name: unknown-ticker, scanner: ${ORB}, universe: [ZZZZ] }`,
      `  - { name: spikes, scanner: ${VOLUME}, range: last 3 trading days, options: { signals: all } }`,
    ].join('\n'));
    const check = await runCli(['batch', '--config', config, '--check']);
    expect(check.code, check.stderr).to.equal(2);
    expect(JSON.parse(check.stdout).map((c: { name: string; ok: boolean }) => `${c.name}:${c.ok}`)).to.deep.equal([
      'orb:true', 'no-such-scanner:false', 'typo:false', 'unknown-ticker:false', 'spikes:true',
    ]);
    expect(fs.existsSync(path.join(tmp(), 'broken.db'))).to.equal(false); // --check runs nothing

    const notified = path.join(tmp(), 'notified.json');
    const r = await runCli(['batch', '--config', config, '--notify-command', `cat > '${notified}'`]);
    expect(r.code, r.stderr).to.equal(1);
    const summary = JSON.parse(r.stdout);
    expect(summary.jobs.map((j: { name: string; status: string }) => `${j.name}:${j.status}`)).to.deep.equal([
      'orb:completed', 'no-such-scanner:failed', 'typo:failed', 'unknown-ticker:failed', 'spikes:completed',
    ]);
    expect(summary.jobs[1].error).to.match(/nope\.sql/);
    expect(summary.jobs[2].error).to.equal('job typo: jobs[2].options: unknown key "tread"; did you mean "threads"?');
    expect(summary.jobs[3].error).to.match(/unknown ticker ZZZZ/);
    // The bundled data ends on Friday 2025-11-28; Thursday 11-27 was Thanksgiving.
    expect([summary.jobs[4].from, summary.jobs[4].to, summary.jobs[4].ticker_days]).to.deep.equal(['2025-11-25', '2025-11-28', 21]);
    expect(summary.batch.status).to.equal('failed');
    expect(r.stderr).to.match(/3 of 5 job\(s\) did not complete: no-such-scanner \(failed\), typo \(failed\), unknown-ticker \(failed\)/);
    expect(JSON.parse(fs.readFileSync(notified, 'utf8'))).to.deep.equal(summary);

    // The good jobs found what a standalone backtest finds.
    const alone = await runBacktest({ scanner: ORB, tickers: ['AAPL', 'MSFT'], from: '2025-11-03', to: '2025-11-14', resultsDb: ':memory:' });
    const stored = query<{ n: number }>(path.join(tmp(), 'broken.db'), 'SELECT COUNT(*) AS n FROM signals WHERE run_id = ?', summary.jobs[0].run_id)[0].n;
    expect(stored).to.equal(alone.signals.length);
    expect(summary.jobs[0].signals).to.equal(alone.signals.length);
  });

  it('continues a batch killed mid-job to the results of a clean batch, without rerunning the finished job', async () => {
    const config = path.join(tmp(), 'nightly.yaml');
    fs.writeFileSync(config, [
      'name: nightly-test',
      'jobs:',
      `  - { name: fast, scanner: ${ORB}, universe: [AAPL, MSFT], range: { from: 2025-11-03, to: 2025-11-07 } }`,
      `  - { name: slow, scanner: ${CLIMBER}, universe: [AAPL, MSFT, NVDA], options: { signals: all, threads: 1 } }`,
    ].join('\n'));
    const cleanDb = path.join(tmp(), 'clean.db');
    const clean = await runCli(['batch', '--config', config, '--results-db', cleanDb]);
    expect(clean.code, clean.stderr).to.equal(0);

    const killedDb = path.join(tmp(), 'killed.db');
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/barwise.js'), 'batch', '--config', config, '--results-db', killedDb], {
      cwd: ROOT, stdio: 'ignore', env: { ...process.env, BARWISE_TEST_STEP_MS: '2' },
    });
    const exited = new Promise((r) => child.on('exit', r));
    const slowDays = () => {
      try {
        return query<{ n: number }>(killedDb, "SELECT COUNT(*) AS n FROM run_days d JOIN batch_jobs j ON j.run_id = d.run_id WHERE j.job = 'slow'")[0].n;
      } catch {
        return 0; // not created yet
      }
    };
    for (let waited = 0; slowDays() === 0 && waited < 60_000; waited += 100) await sleep(100);
    child.kill('SIGKILL');
    await exited;
    const committed = slowDays();
    expect(committed).to.be.greaterThan(0);
    expect(committed).to.be.lessThan(3 * 29);

    const again = await runCli(['batch', '--config', config, '--results-db', killedDb]);
    expect(again.code, again.stderr).to.equal(0);
    const summary = JSON.parse(again.stdout);
    expect(summary.jobs.map((j: { name: string; status: string; resumed: boolean }) => [j.name, j.status, j.resumed])).to.deep.equal([
      ['fast', 'already-completed', false], ['slow', 'completed', true],
    ]);
    expect(query(killedDb, 'SELECT COUNT(*) AS n FROM runs')).to.deep.equal([{ n: 2 }]);
    for (const job of ['fast', 'slow']) expect(jobSignals(killedDb, job), job).to.deep.equal(jobSignals(cleanDb, job));
    expect(jobSignals(cleanDb, 'slow').length).to.be.greaterThan(1000);

    const runs = await runCli(['runs', '--results-db', killedDb, '--json']);
    expect(JSON.parse(runs.stdout).map((r: { job: string; status: string }) => [r.job, r.status])).to.deep.equal([['slow', 'completed'], ['fast', 'completed']]);
  });

  it('runs --compare reports signals added and removed on the ticker-days both runs finished, and the dates only one covered', async () => {
    const resultsDb = path.join(tmp(), 'compare.db');
    const a = await runBacktest({ scanner: ORB, from: '2025-11-03', to: '2025-11-14', resultsDb });
    const b = await runBacktest({ scanner: ORB, from: '2025-11-10', to: '2025-11-21', warmup: 30, resultsDb });
    const key = (s: Signal) => `${s.ticker} ${s.signal_date} ${s.signal_time} ${s.direction}`;
    const both = (s: Signal) => s.signal_date >= '2025-11-10' && s.signal_date <= '2025-11-14';
    const ka = new Set(a.signals.filter(both).map(key));
    const kb = new Set(b.signals.filter(both).map(key));
    const added = [...kb].filter((k) => !ka.has(k));
    const removed = [...ka].filter((k) => !kb.has(k));
    expect([added.length > 0, removed.length > 0]).to.deep.equal([true, true]); // a later warmup moves first signals

    for (const args of [[String(a.run.id), String(b.run.id)], [String(b.run.id)]]) {
      const r = await runCli(['runs', '--results-db', resultsDb, '--compare', ...args, '--json']);
      expect(r.code, r.stderr).to.equal(0);
      const c = JSON.parse(r.stdout);
      expect([c.a.id, c.b.id]).to.deep.equal([a.run.id, b.run.id]);
      expect(c.overlap).to.deep.equal({ from: '2025-11-10', to: '2025-11-14' });
      expect(c.added.map(key).sort()).to.deep.equal(added.sort());
      expect(c.removed.map(key).sort()).to.deep.equal(removed.sort());
      expect(c.only_b.signals).to.equal(b.signals.filter((s) => s.signal_date > '2025-11-14').length);
      expect(c.only_b.other_range.dates).to.deep.equal(['2025-11-17', '2025-11-18', '2025-11-19', '2025-11-20', '2025-11-21']);
      expect(c.only_a.signals).to.equal(a.signals.filter((s) => s.signal_date < '2025-11-10').length);
      expect(c.only_a.other_range.dates).to.deep.equal(['2025-11-03', '2025-11-04', '2025-11-05', '2025-11-06', '2025-11-07']);
      expect(c.deltas.find((d: { metric: string }) => d.metric === 'signals')).to.deep.equal({
        metric: 'signals', a: a.signals.length, b: b.signals.length, delta: b.signals.length - a.signals.length,
      });
    }
  });
});
