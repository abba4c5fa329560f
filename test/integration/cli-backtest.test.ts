/**
 * The README's commands, as a user runs them.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';

describe('CLI: backtest and import', function () {
  const tmp = useTempDir();

  it('runs under Node options a worker thread cannot be given (node --max-old-space-size=4096 --stack-size=2000 bin/barwise.js)', async () => {
    // Node refuses to start a worker handed a V8 or process-wide option; the pool's threads take the main
    // thread's options as Node passes them on.
    const r = await runCli(['backtest', '--tickers', 'AAPL,MSFT', '--from', '2025-11-03', '--to', '2025-11-04', '--threads', '2', '--results-db', ':memory:'],
      { nodeOptions: ['--max-old-space-size=4096', '--stack-size=2000'] });
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout.trim())).to.include({ status: 'completed', ticker_days: 4 });
  });

  it('imports CSV and backtests it with --out, recording the run in the results database', async () => {
    const marketDb = path.join(tmp(), 'market.db');
    const imp = await runCli(['import', '--csv', path.join(ROOT, 'data/bundled'), '--db', marketDb]);
    expect(imp.code, imp.stderr).to.equal(0);
    expect(imp.stdout).to.match(/imported 15,582 bar\(s\) from 7 file\(s\)/);

    const out = path.join(tmp(), 'results.json');
    const resultsDb = path.join(tmp(), 'runs.db');
    const r = await runCli(['backtest', '--db', marketDb, '--scanner', 'scanners/opening-range-breakout.sql',
      '--tickers', 'AAPL,MSFT', '--from', '2025-11-03', '--to', '2025-11-14', '--threads', '2', '--out', out, '--results-db', resultsDb]);
    expect(r.code, r.stderr).to.equal(0);
    const summary = JSON.parse(r.stdout.trim()); // not a terminal: one JSON line
    const json = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(json.run.tickers).to.deep.equal(['AAPL', 'MSFT']);
    expect(json.run.counts.ticker_days).to.equal(20);
    expect(summary.signals).to.equal(json.signals.length);
    expect(json.signals.every((s: { signal_date: string }) => s.signal_date >= '2025-11-03' && s.signal_date <= '2025-11-14')).to.equal(true);

    const rdb = new Database(resultsDb, { readonly: true });
    const run = rdb.prepare('SELECT status, signal_count, ticker_days FROM runs WHERE id = ?').get(json.run.id);
    const stored = rdb.prepare('SELECT COUNT(*) AS n FROM signals WHERE run_id = ?').get(json.run.id) as { n: number };
    const days = rdb.prepare("SELECT COUNT(*) AS n FROM run_days WHERE run_id = ? AND status = 'done'").get(json.run.id) as { n: number };
    rdb.close();
    expect(run).to.deep.equal({ status: 'completed', signal_count: json.signals.length, ticker_days: 20 });
    expect(stored.n).to.equal(json.signals.length);
    expect(days.n).to.equal(20);
  });

  it('writes byte-identical signal arrays for --threads 1 and 4', async () => {
    const files: string[] = [];
    for (const threads of ['1', '4']) {
      const out = path.join(tmp(), `t${threads}.json`);
      const r = await runCli(['backtest', '--scanner', 'scanners/volume-spike.sql', '--signals', 'all', '--threads', threads, '--out', out, '--results-db', ':memory:']);
      expect(r.code, r.stderr).to.equal(0);
      const text = fs.readFileSync(out, 'utf8');
      files.push(text.slice(text.indexOf('\n"signals"')));
    }
    expect(files[0].length).to.be.greaterThan(1000);
    expect(files[1]).to.equal(files[0]);
  });
});
