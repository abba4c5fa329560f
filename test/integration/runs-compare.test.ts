/**
 * `runs --compare` compares only the ticker-days both runs finished: another universe, another range or an
 * interrupted run shows as what only one run covered, never as signals added or removed. Expectations are
 * computed from the two runs' own signal lists (the library's result), not from the comparison.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { runBacktest } from '../../src/index.js';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';
import { formatStartTime, renderRuns } from '../../src/cli/runs-command.js';

const ORB = path.join(ROOT, 'scanners/opening-range-breakout.sql');

describe('runs --compare: only ticker-days both runs finished', function () {
  const tmp = useTempDir();

  it('another universe: tickers only one run scanned are reported apart, not as added', async () => {
    const resultsDb = path.join(tmp(), 'universe.db');
    const range = { scanner: ORB, from: '2025-11-03', to: '2025-11-07', resultsDb };
    const a = await runBacktest({ ...range, tickers: ['AAPL', 'MSFT'] });
    const b = await runBacktest({ ...range, tickers: ['AAPL', 'MSFT', 'NVDA', 'TSLA'] });
    const r = await runCli(['runs', '--results-db', resultsDb, '--compare', String(a.run.id), String(b.run.id), '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const c = JSON.parse(r.stdout);
    // The same scanner over the same days of AAPL and MSFT: nothing changed there.
    expect([c.added.length, c.removed.length, c.changed.length]).to.deep.equal([0, 0, 0]);
    expect(c.unchanged).to.equal(a.signals.length);
    const extra = b.signals.filter((s) => s.ticker === 'NVDA' || s.ticker === 'TSLA');
    expect(extra.length, 'NVDA and TSLA have signals').to.be.above(0);
    expect(c.only_b.signals).to.equal(extra.length);
    expect(c.only_b.other_universe.tickers).to.deep.equal(['NVDA', 'TSLA']);
    expect(c.only_b.other_universe.ticker_days).to.equal(b.run.counts.ticker_days - a.run.counts.ticker_days);
    expect(c.only_a.ticker_days).to.equal(0);
    expect(c.warnings).to.deep.equal([`the universes differ: 0 ticker(s) only in #${a.run.id}, 2 only in #${b.run.id}`]);

    const shown = await runCli(['runs', '--results-db', resultsDb, '--compare', String(a.run.id), String(b.run.id), '--no-json']);
    expect(shown.stdout).to.include(`Only in #${b.run.id}: ${c.only_b.ticker_days} ticker-day(s), ${extra.length} signal(s), not compared:\n  ${c.only_b.ticker_days} on 2 ticker(s) #${a.run.id} did not scan: NVDA, TSLA\n`);
    expect(shown.stdout).to.include(`: 0 added, 0 removed, 0 changed, ${a.signals.length} unchanged`);
  });

  it('an interrupted run: the ticker-days it did not finish are reported as unfinished, their signals not as removed', async () => {
    const resultsDb = path.join(tmp(), 'interrupted.db');
    const range = { scanner: ORB, from: '2025-11-03', to: '2025-11-14', tickers: ['AAPL', 'AMD', 'MSFT'], resultsDb };
    const a = await runBacktest(range);
    const b = await runBacktest(range);
    // Run B as an interrupted run is recorded: the ticker-days it did not reach have no row and no signals.
    const db = new Database(resultsDb);
    const late = (s: { signal_date: string }) => s.signal_date >= '2025-11-10';
    db.prepare("DELETE FROM run_days WHERE run_id = ? AND date >= '2025-11-10'").run(b.run.id);
    db.prepare("DELETE FROM signal_rows WHERE run_id = ? AND signal_date >= '2025-11-10'").run(b.run.id);
    db.prepare(`UPDATE runs SET status = 'interrupted', signal_count = (SELECT COUNT(*) FROM signals WHERE run_id = @id),
      ticker_days = (SELECT COUNT(*) FROM run_days WHERE run_id = @id) WHERE id = @id`).run({ id: b.run.id });
    db.close();
    const r = await runCli(['runs', '--results-db', resultsDb, '--compare', String(a.run.id), String(b.run.id), '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const c = JSON.parse(r.stdout);
    expect(a.signals.filter(late).length, 'signals on the days B did not finish').to.be.above(0);
    expect(c.removed).to.deep.equal([]);
    expect(c.unchanged).to.equal(a.signals.filter((s) => !late(s)).length);
    expect(c.only_a.unfinished).to.deep.equal({ dates: ['2025-11-10', '2025-11-11', '2025-11-12', '2025-11-13', '2025-11-14'], ticker_days: 15 });
    expect(c.only_a.signals).to.equal(a.signals.filter(late).length);
    expect(c.overlap).to.deep.equal({ from: '2025-11-03', to: '2025-11-07' });
    expect(c.warnings).to.deep.equal([`run #${b.run.id} is interrupted`]);
    const shown = await runCli(['runs', '--results-db', resultsDb, '--compare', String(a.run.id), String(b.run.id), '--no-json']);
    expect(shown.stdout).to.include(`  15 #${b.run.id} did not finish (interrupted, or failed): 2025-11-10…2025-11-14\n`);
    // Runs without trade rules have no trade statistics: no empty rows for them.
    expect(shown.stdout).to.not.match(/total_pnl|win_rate_pct/);
    expect(shown.stdout).to.match(/│ signals\s+│\s+[\d,]+ │\s+[\d,]+ │\s+-[\d,]+ │/);
  });

  it('runs lists mode, universe size, status, P&L when the run traded, and the start time with its zone', async () => {
    const resultsDb = path.join(tmp(), 'list.db');
    const plain = await runBacktest({ scanner: ORB, from: '2025-11-03', to: '2025-11-04', tickers: ['AAPL', 'MSFT', 'NVDA'], resultsDb });
    const traded = await runBacktest({ scanner: ORB, from: '2025-11-03', to: '2025-11-07', tickers: ['AAPL', 'AMD', 'MSFT', 'NVDA', 'TSLA'], resultsDb, trade: {} });
    const r = await runCli(['runs', '--results-db', resultsDb, '--json']);
    const rows = JSON.parse(r.stdout);
    expect(rows.map((x: { id: number; mode: string; universe: number; status: string }) => [x.id, x.mode, x.universe, x.status])).to.deep.equal([
      [traded.run.id, 'realtime', 5, 'completed'], [plain.run.id, 'realtime', 3, 'completed'],
    ]);
    expect(rows[0].total_pnl).to.equal(traded.stats!.total_pnl);
    expect(rows[1].total_pnl).to.equal(null);
    const text = renderRuns(rows, { timeZone: 'UTC', width: 240 });
    const pnl = traded.stats!.total_pnl;
    const money = `${pnl < 0 ? '-' : ''}$${Math.abs(pnl).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
    expect(text).to.include(money);
    expect(text).to.include(`${traded.run.timings.started_at.slice(0, 10)} ${traded.run.timings.started_at.slice(11, 19)} UTC`);
    expect(formatStartTime('2025-11-03T14:30:00.000Z', 'America/New_York')).to.equal('2025-11-03 09:30:00 EST');
    expect(formatStartTime('2025-07-01T14:30:00.000Z', 'America/New_York')).to.equal('2025-07-01 10:30:00 EDT');
  });
});
