/**
 * A sweep is many backtests in one pass: every combination's signals, trades, equity and statistics equal
 * those of a separate runBacktest of that combination alone (its plan hash too), for --threads 1 and 2, and
 * each combination is a normal run of the results database, linked to its sweep.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { runBacktest, runSweep, type RunResult, type SweepResult } from '../../src/index.js';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';

const ORB = path.join(ROOT, 'scanners', 'opening-range-breakout.sql');

/** What a user relies on being the same as the backtest's: everything but ids and timings. */
function selectResults(r: RunResult) {
  return { signals: r.signals, trades: r.trades, equity: r.equity, stats: r.stats, failures: r.failures, planHash: r.run.plan_hash, status: r.run.status };
}

describe('sweep: every combination equals its backtest alone', function () {
  this.timeout(300_000);
  const tmp = useTempDir();

  describe('trade rules only (one scan shared by every combination)', () => {
    const grid = { 'trade.stopPct': [0.5, 1], 'trade.targetPct': '1..2:1' };
    const sweeps: SweepResult[] = [];

    before(async () => {
      for (const threads of [1, 2]) {
        sweeps.push(await runSweep({ scanner: ORB, grid, threads, resultsDb: path.join(tmp(), `sweep-${threads}.db`) }));
      }
    });

    it('runs the grid in order, the first parameter varying slowest', () => {
      expect(sweeps[0].combinations.map((c) => c.values)).to.deep.equal([
        { 'trade.stopPct': 0.5, 'trade.targetPct': 1 }, { 'trade.stopPct': 0.5, 'trade.targetPct': 2 },
        { 'trade.stopPct': 1, 'trade.targetPct': 1 }, { 'trade.stopPct': 1, 'trade.targetPct': 2 },
      ]);
    });

    it('gives each combination the signals, trades, equity, statistics and plan hash of runBacktest of it, threads 1 and 2', async () => {
      for (const c of sweeps[0].combinations) {
        const alone = await runBacktest({
          scanner: ORB, threads: 1, resultsDb: ':memory:',
          trade: { stopPct: c.values['trade.stopPct'] as number, targetPct: c.values['trade.targetPct'] as number },
        });
        expect(alone.trades!.length, 'the bundled data trades').to.be.greaterThan(20);
        const expected = selectResults(alone);
        for (const sweep of sweeps) expect(selectResults(sweep.combinations[c.index].result)).to.deep.equal(expected);
      }
      // The combinations differ: a sweep that traded one rule set for all would not.
      expect(new Set(sweeps[0].combinations.map((c) => JSON.stringify(c.result.trades))).size).to.equal(4);
    });

    it('records each combination as a run with its plan, linked to the sweep in order', () => {
      const db = new Database(path.join(tmp(), 'sweep-2.db'), { readonly: true });
      try {
        const links = db.prepare('SELECT combination, run_id, params_json FROM sweep_runs WHERE sweep_id = ? ORDER BY combination').all(sweeps[1].sweepId) as
          { combination: number; run_id: number; params_json: string }[];
        expect(links.map((l) => JSON.parse(l.params_json))).to.deep.equal(sweeps[1].combinations.map((c) => c.values));
        for (const l of links) {
          const run = db.prepare('SELECT status, plan_hash, plan_json FROM runs WHERE id = ?').get(l.run_id) as { status: string; plan_hash: string; plan_json: string };
          const c = sweeps[1].combinations[l.combination];
          expect(run.status).to.equal('completed');
          expect(run.plan_hash).to.equal(c.result.run.plan_hash);
          expect(JSON.parse(run.plan_json).trade.stopPct).to.equal(c.values['trade.stopPct']);
          const trades = db.prepare('SELECT COUNT(*) FROM trades WHERE run_id = ?').pluck().get(l.run_id);
          expect(trades).to.equal(c.trades);
        }
        const sweep = db.prepare('SELECT status, objective FROM sweeps WHERE id = ?').get(sweeps[1].sweepId);
        expect(sweep).to.deep.equal({ status: 'completed', objective: 'profit_factor' });
      } finally {
        db.close();
      }
    });

    it('stores the shared scan\'s signals once, and each combination\'s `signals WHERE run_id = ?` are those of its backtest alone', async () => {
      const c0 = sweeps[1].combinations[0].values;
      const alone = await runBacktest({ scanner: ORB, threads: 1, resultsDb: ':memory:', trade: { stopPct: c0['trade.stopPct'] as number, targetPct: c0['trade.targetPct'] as number } });
      const expected = alone.signals.map((s) => [s.ticker, s.signal_date, s.signal_time, s.timestamp, s.seq, s.direction, s.pattern_strength, JSON.stringify(s.metrics)]);
      expect(expected.length, 'the bundled data signals').to.be.greaterThan(20);
      const db = new Database(path.join(tmp(), 'sweep-2.db'), { readonly: true });
      try {
        for (const c of sweeps[1].combinations) {
          const rows = db.prepare(`SELECT ticker, signal_date, signal_time, timestamp, seq, direction, pattern_strength, metrics_json FROM signals
            WHERE run_id = ? ORDER BY signal_date, timestamp, ticker, seq`).raw().all(c.result.run.id);
          expect(rows, `combination ${c.index}`).to.deep.equal(expected);
        }
        expect(db.prepare('SELECT COUNT(*) FROM signal_rows').pluck().get(), 'one copy for the four combinations').to.equal(expected.length);
      } finally {
        db.close();
      }
    });

    it('ranks by the objective, highest first, those under --min-trades apart', async () => {
      const pf = sweeps[0].combinations.map((c) => c.result.stats!.profit_factor as number | null);
      const expected = [...pf.keys()].sort((a, b) => ((pf[b] ?? -Infinity) - (pf[a] ?? -Infinity)) || a - b);
      expect(sweeps[0].ranking).to.deep.equal(expected);
      const few = await runSweep({ scanner: ORB, grid: { 'trade.targetPct': [1, 2] }, threads: 1, resultsDb: ':memory:', minTrades: 1_000_000, objective: 'sharpe' });
      expect(few.combinations.every((c) => c.belowMinTrades)).to.equal(true);
      const sharpe = few.combinations.map((c) => c.result.stats!.sharpe as number);
      expect(few.ranking).to.deep.equal(sharpe[0] >= sharpe[1] ? [0, 1] : [1, 0]);
    });
  });

  const paramCases: { what: string; scanner: string; grid: Record<string, string | (number | string)[]>; toOptions: (v: Record<string, unknown>) => object; scans: number }[] = [
    {
      what: 'an SQL scanner (the bundled opening-range breakout: or_bars × vol_mult)',
      scanner: ORB,
      grid: { or_bars: [3, 6], vol_mult: '1..2:1' },
      toOptions: (v) => ({ params: { or_bars: v.or_bars, vol_mult: v.vol_mult }, trade: {} }),
      scans: 4,
    },
    {
      what: 'a module scanner (the bundled vwap-reclaim: minBars) crossed with a trade rule',
      scanner: path.join(ROOT, 'scanners', 'vwap-reclaim.ts'),
      grid: { minBars: [4, 8], 'trade.targetPct': [1, 2] },
      toOptions: (v) => ({ params: { minBars: v.minBars }, trade: { targetPct: v['trade.targetPct'] } }),
      scans: 2,
    },
  ];
  for (const k of paramCases) {
    it(`scanner parameters, ${k.what}: each combination equals its backtest alone, threads 1 and 2`, async () => {
      const sweeps = [];
      for (const threads of [1, 2]) sweeps.push(await runSweep({ scanner: k.scanner, grid: k.grid, threads, resultsDb: ':memory:' }));
      const distinctSignals = new Set<string>();
      for (const c of sweeps[0].combinations) {
        const alone = await runBacktest({ scanner: k.scanner, threads: 1, resultsDb: ':memory:', ...k.toOptions(c.values) });
        expect(alone.signals.length, 'the bundled data has signals').to.be.greaterThan(0);
        const expected = selectResults(alone);
        for (const sweep of sweeps) expect(selectResults(sweep.combinations[c.index].result)).to.deep.equal(expected);
        distinctSignals.add(JSON.stringify(alone.signals));
      }
      // Each parameter set finds its own signals: the sweep did not scan once with one of them.
      expect(distinctSignals.size).to.equal(k.scans);
    });
  }

  // Persistent only: started per step, the same sweep takes a minute on a loaded 2-core machine (checked by hand: equal too).
  for (const persistent of [true]) {
    it(`scanner parameters, a script (${persistent ? 'persistent' : 'started per step'}): each combination equals its backtest alone`, async () => {
      const { writeStore, makeDay } = await import('../helpers/bars.js');
      const db = writeStore(path.join(tmp(), `script-${persistent}.db`), ['AAA', 'BBB'].flatMap((t) => ['2025-11-03', '2025-11-04'].flatMap((d) => makeDay(t, d, { slots: 12 }))));
      const scanner = path.join(ROOT, 'test', 'fixtures', 'scanners', 'param-rise.py');
      const sweep = await runSweep({ db, scanner, warmup: 1, persistent, grid: { min_rise_pct: [0.1, 0.5, 2], echo: [false] }, threads: 2, resultsDb: ':memory:' });
      for (const c of sweep.combinations) {
        const alone = await runBacktest({ db, scanner, warmup: 1, persistent, params: { min_rise_pct: c.values.min_rise_pct as number, echo: false }, threads: 1, resultsDb: ':memory:', trade: {} });
        expect(selectResults(c.result)).to.deep.equal(selectResults(alone));
      }
      expect(sweep.combinations.map((c) => c.result.signals.length)).to.deep.equal([3, 2, 0]);
    });
  }

  it('a combination whose scanner throws for its values fails alone; the others complete', async () => {
    const { writeStore, makeDay } = await import('../helpers/bars.js');
    const db = writeStore(path.join(tmp(), 'ab.db'), ['AAA', 'BBB'].flatMap((t) => ['2025-11-03', '2025-11-04'].flatMap((d) => makeDay(t, d, { slots: 12 }))));
    const scanner = path.join(ROOT, 'test', 'faults', 'fixtures', 'throws-for-big-n.ts');
    const sweep = await runSweep({ db, scanner, grid: { n: [1, 2, 3, 4] }, threads: 2, resultsDb: ':memory:' });
    expect(sweep.status).to.equal('partial');
    expect(sweep.combinations.map((c) => c.result.run.status)).to.deep.equal(['completed', 'completed', 'partial', 'partial']);
    for (const c of sweep.combinations) {
      const alone = await runBacktest({ db, scanner, params: { n: c.values.n as number }, threads: 1, resultsDb: ':memory:', trade: {} });
      expect(selectResults(c.result)).to.deep.equal(selectResults(alone));
    }
    expect(sweep.combinations[2].result.failures.map((f) => `${f.ticker} ${f.date} ${f.code}`)).to.deep.equal(['BBB 2025-11-03 SCANNER_THREW', 'BBB 2025-11-04 SCANNER_THREW']);
    expect(sweep.combinations[0].result.signals.map((s) => s.ticker)).to.deep.equal(['AAA', 'BBB', 'AAA', 'BBB']);
  });

  it('resuming a sweep whose combination failed retries its failed days: the result equals a sweep that never failed', async () => {
    const { writeStore, makeDay } = await import('../helpers/bars.js');
    const db = writeStore(path.join(tmp(), 'told.db'), ['AAA', 'BBB'].flatMap((t) => ['2025-11-03', '2025-11-04'].flatMap((d) => makeDay(t, d, { slots: 12 }))));
    const scanner = path.join(ROOT, 'test', 'faults', 'fixtures', 'throws-when-told.ts');
    const grid = { n: [1, 3], 'trade.maxBars': [1, 2] };
    const resultsDb = path.join(tmp(), 'told-results.db');
    process.env.THROW_FOR_N = '3';
    let failed: SweepResult;
    try {
      failed = await runSweep({ db, scanner, grid, threads: 2, resultsDb });
    } finally {
      delete process.env.THROW_FOR_N;
    }
    expect(failed.combinations.map((c) => c.result.run.status)).to.deep.equal(['completed', 'completed', 'partial', 'partial']);
    // The cause fixed, the resume runs the BBB days again for every scan and keeps them only where missing.
    const resumed = await runSweep({ resume: failed.sweepId, resultsDb });
    const clean = await runSweep({ db, scanner, grid, threads: 1, resultsDb: ':memory:' });
    expect(resumed.sweepId).to.equal(failed.sweepId);
    expect(resumed.status).to.equal('completed');
    expect(resumed.combinations.map((c) => c.result.run.id)).to.deep.equal(failed.combinations.map((c) => c.result.run.id));
    expect(resumed.ranking).to.deep.equal(clean.ranking);
    for (const c of clean.combinations) expect(selectResults(resumed.combinations[c.index].result)).to.deep.equal(selectResults(c.result));
    expect(resumed.combinations[2].result.signals.map((s) => s.ticker)).to.deep.equal(['AAA', 'BBB', 'AAA', 'BBB']);
  });

  it('the CLI prints the ranking and writes every combination to --out', async () => {
    const out = path.join(tmp(), 'sweep.json');
    const r = await runCli(['sweep', '--param', 'trade.stopPct=0.5,1', '--param', 'trade.targetPct=1..2:0.5', '--threads', '2',
      '--results-db', path.join(tmp(), 'cli.db'), '--out', out, '--top', '2']);
    expect(r.code, r.stderr).to.equal(0);
    const line = JSON.parse(r.stdout.trim());
    expect(line.combinations).to.equal(6);
    expect(line.ranking).to.have.length(2);
    const json = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(out, 'utf8')));
    expect(json.combinations).to.have.length(6);
    expect(json.ranking.slice(0, 2)).to.deep.equal(line.ranking.map((x: { index: number }) => x.index));
    expect(json.combinations[5].values).to.deep.equal({ 'trade.stopPct': 1, 'trade.targetPct': 2 });
  });
});
