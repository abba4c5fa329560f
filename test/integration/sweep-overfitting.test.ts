/**
 * The overfitting figures of a sweep are those of the pure functions on a matrix built without the sweep:
 * each combination backtested alone (runBacktest), its trades over the trading dates the store has bars for
 * in the range (read from the market database here). Walk-forward windows and choices, PBO and the deflated
 * Sharpe ratio of the best combination by the objective must all equal them; a range too short for a figure
 * gives a note, not a failed sweep; the flags are checked before anything runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { runBacktest, runSweep, type RunResult, type SweepResult } from '../../src/index.js';
import { exchangeDate } from '../../src/data/exchange-time.js';
import { computeWalkForwardWindows } from '../../src/sweep/walk-forward-windows.js';
import { chooseWalkForward } from '../../src/sweep/choose-walk-forward.js';
import { computeReturnMatrix, type SweepMatrix } from '../../src/sweep/sweep-matrix.js';
import { computeProbabilityOfOverfitting } from '../../src/sweep/probability-of-overfitting.js';
import { deflateSharpe } from '../../src/sweep/deflated-sharpe.js';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';

const ORB = path.join(ROOT, 'scanners', 'opening-range-breakout.sql');
const TICKERS = ['AAPL', 'AMD', 'MSFT', 'NVDA', 'TSLA'];
const GRID = { or_bars: [3, 6], vol_mult: [1.5, 2] };

/** The dates with at least one bar of the universe in the run's range, read straight from the store. */
function readStoreDays(run: RunResult['run']): string[] {
  const db = new Database(run.db, { readonly: true });
  try {
    const marks = db.prepare(`SELECT DISTINCT timestamp FROM ohlcv_data WHERE timeframe = ? AND ticker IN (${run.tickers.map(() => '?').join(',')})`)
      .pluck().all(run.timeframe, ...run.tickers) as number[];
    return [...new Set(marks.map(exchangeDate))].filter((d) => d >= run.from && d <= run.to).sort();
  } finally {
    db.close();
  }
}

describe('sweep: walk-forward, PBO and deflated Sharpe equal the pure functions on an independent matrix', function () {
  this.timeout(300_000);
  const tmp = useTempDir();
  let sweep: SweepResult;
  let matrix: SweepMatrix;
  let best: number;

  before(async () => {
    sweep = await runSweep({ scanner: ORB, tickers: TICKERS, grid: GRID, threads: 2, walkForward: true, train: 10, test: 5, resultsDb: path.join(tmp(), 's.db') });
    const alone: RunResult[] = [];
    for (const or_bars of GRID.or_bars) {
      for (const vol_mult of GRID.vol_mult) {
        alone.push(await runBacktest({ scanner: ORB, tickers: TICKERS, params: { or_bars, vol_mult }, threads: 1, resultsDb: ':memory:', trade: {} }));
      }
    }
    const days = readStoreDays(alone[0].run);
    matrix = { days, capital: alone[0].run.trade!.capital, trades: alone.map((r) => r.trades!) };
    // The best by the default objective (profit factor), ties to the lowest index, from the runs alone.
    const pf = alone.map((r) => r.stats!.profit_factor as number | null);
    best = pf.reduce<number>((b, v, i) => ((v ?? -Infinity) > (pf[b] ?? -Infinity) ? i : b), 0);
  });

  it('walks forward over the store\'s trading days, choosing on train only, as chooseWalkForward does', () => {
    expect(matrix.days.length, 'the bundled data spans several windows').to.be.greaterThan(20);
    expect(sweep.combinations.map((c) => c.values)).to.deep.equal([
      { or_bars: 3, vol_mult: 1.5 }, { or_bars: 3, vol_mult: 2 }, { or_bars: 6, vol_mult: 1.5 }, { or_bars: 6, vol_mult: 2 },
    ]);
    const windows = computeWalkForwardWindows(matrix.days, { train: 10, test: 5, anchored: false });
    const expected = chooseWalkForward(matrix, windows, { objective: 'profit_factor', minTrades: 0 });
    const wf = sweep.overfitting.walkForward!;
    expect(wf.windows).to.deep.equal(windows);
    expect(wf.steps).to.deep.equal(expected.steps);
    expect(wf.outOfSample).to.deep.equal(expected.outOfSample);
    expect(wf.gap).to.deep.equal(expected.gap);
    expect(wf.steps.length).to.be.greaterThan(2);
    expect(sweep.overfitting.days).to.equal(matrix.days.length);
  });

  it('gives PBO and the deflated Sharpe ratio of the best combination as the pure functions do', () => {
    const returns = computeReturnMatrix(matrix);
    expect(sweep.overfitting.pbo).to.deep.equal(computeProbabilityOfOverfitting(returns, { blocks: 16 }));
    expect(sweep.ranking[0]).to.equal(best);
    expect(sweep.overfitting.deflatedSharpe).to.deep.equal(deflateSharpe(returns, { combination: best }));
    expect(sweep.overfitting.notes).to.deep.equal([]);
  });

  it('writes the same figures to --out, anchored windows starting at the first day', async () => {
    const out = path.join(tmp(), 'wf.json');
    const r = await runCli(['sweep', '--scanner', ORB, '--tickers', TICKERS.join(','), '--param', 'or_bars=3,6', '--param', 'vol_mult=1.5,2',
      '--walk-forward', '--train', '10', '--test', '5', '--anchored', '--pbo-blocks', '4', '--threads', '2', '--results-db', path.join(tmp(), 'cli.db'), '--out', out]);
    expect(r.code, r.stderr).to.equal(0);
    const json = JSON.parse(fs.readFileSync(out, 'utf8'));
    const windows = computeWalkForwardWindows(matrix.days, { train: 10, test: 5, anchored: true });
    const expected = chooseWalkForward(matrix, windows, { objective: 'profit_factor' });
    expect(json.walk_forward.windows.map((w: { train: string[]; test: string[]; chosen: number | null; test_objective: number | null }) => [w.train, w.test, w.chosen, w.test_objective]))
      .to.deep.equal(expected.steps.map((s) => [s.window.train, s.window.test, s.chosen, s.test]));
    expect(json.walk_forward.windows.every((w: { train: string[] }) => w.train[0] === matrix.days[0])).to.equal(true);
    expect(json.walk_forward.out_of_sample.objective).to.equal(expected.outOfSample.objective);
    const pbo = computeProbabilityOfOverfitting(computeReturnMatrix(matrix), { blocks: 4 });
    expect(json.pbo.pbo).to.equal(pbo.pbo);
    expect(json.pbo.splits).to.equal(6);
    expect(json.deflated_sharpe.dsr).to.equal(deflateSharpe(computeReturnMatrix(matrix), { combination: best })!.dsr);
    const line = JSON.parse(r.stdout.trim());
    expect(line.pbo.pbo).to.equal(pbo.pbo);
  });

  it('skips a figure the range is too short for with a note, and keeps the sweep', async () => {
    const short = await runSweep({
      scanner: ORB, tickers: ['AAPL', 'MSFT'], from: '2025-11-03', to: '2025-11-07', grid: { 'trade.targetPct': [1, 2] }, threads: 1,
      walkForward: true, train: 10, test: 5, resultsDb: ':memory:',
    });
    expect(short.status).to.equal('completed');
    expect(short.overfitting.days).to.equal(5);
    expect(short.overfitting.walkForward).to.equal(null);
    expect(short.overfitting.pbo).to.equal(null);
    expect(short.overfitting.notes).to.have.length(2);
    expect(short.overfitting.notes[0]).to.match(/^walk-forward skipped: .*--train 10 needs at least 11 trading days.*holds 5 \(2025-11-03 to 2025-11-07\)/);
    expect(short.overfitting.notes[1]).to.match(/^PBO skipped: PBO with 16 blocks needs at least 16 trading days.*has 5/);
  });

  describe('flag errors name the flag and run nothing', () => {
    const cases: [string, string[], RegExp][] = [
      ['--train without --walk-forward', ['--train', '10'], /--train applies to walk-forward only/],
      ['--anchored without --walk-forward', ['--anchored'], /--anchored applies to walk-forward only/],
      ['--walk-forward without --test', ['--walk-forward', '--train', '10'], /--walk-forward needs --test/],
      ['--walk-forward without either', ['--walk-forward'], /--walk-forward needs --train and --test/],
      ['--train 0', ['--walk-forward', '--train', '0', '--test', '5'], /--train must be/],
      ['--test 2.5', ['--walk-forward', '--train', '10', '--test', '2.5'], /--test must be/],
      ['--pbo-blocks 5 (odd)', ['--pbo-blocks', '5'], /--pbo-blocks must be even/],
      ['--pbo-blocks 22 (too many)', ['--pbo-blocks', '22'], /--pbo-blocks must be/],
      ['an objective walk-forward cannot choose by', ['--walk-forward', '--train', '10', '--test', '5', '--objective', 'max_drawdown_pct'], /--objective max_drawdown_pct is not one/],
    ];
    for (const [what, flags, message] of cases) {
      it(what, async () => {
        const resultsDb = path.join(tmp(), `refused-${flags.join('')}.db`);
        const r = await runCli(['sweep', '--param', 'trade.targetPct=1,2', '--results-db', resultsDb, ...flags]);
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stderr).to.match(message);
        expect(fs.existsSync(resultsDb), 'nothing written').to.equal(false);
      });
    }
  });
});
