/**
 * Fault catalogue, sweeps: a malformed grid or option is refused before anything runs (exit 2, nothing
 * written); Ctrl-C or SIGTERM mid-sweep keeps every combination's finished ticker-days, leaves nothing behind,
 * and prints the `sweep --resume N` that continues it, scanning only the days left, to the results of a sweep
 * never interrupted; a resume that changes the grid or a run option is refused naming it, records untouched.
 * Through the real CLI; docs/reliability.md lists every case under "Sweeps".
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { makeDay } from '../helpers/bars.js';
import { expectClean, faultFixture, fixture, runFault, useFaultStore } from './harness.js';

const TICKERS = ['AAA', 'BBB', 'CCC', 'DDD'];
const DATES = ['2025-10-27', '2025-10-28', '2025-10-29', '2025-10-30', '2025-10-31', '2025-11-03', '2025-11-04', '2025-11-05'];
/** For the runs a test does not interrupt: the busy fixtures' same steps, without the busy wait. */
const FAST = { SLOW_STEP_MS: '0' };

/** Ticker-days finished in the results DB over all runs, 0 while it does not exist yet. */
function finishedDays(resultsDb: string): number {
  if (!fs.existsSync(resultsDb)) return 0;
  const db = new Database(resultsDb, { readonly: true, timeout: 100 });
  try {
    return db.prepare("SELECT COUNT(*) FROM run_days WHERE status = 'done'").pluck().get() as number;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

describe('faults: sweeps', function () {
  const store = useFaultStore(() => TICKERS.flatMap((t) => DATES.flatMap((d) => makeDay(t, d, { slots: 12 }))));
  const { file } = store;
  let n = 0;
  const sweep = async (args: string[], scanner = fixture('every-bar.sql')) => {
    const id = ++n;
    const results = file(`s-${id}.db`);
    const out = file(`s-${id}.json`);
    const r = await runFault(file('tmp'), ['sweep', '--db', store.db, '--scanner', scanner, '--warmup', '1', '--results-db', results, '--out', out, ...args]);
    return { ...r, results, out };
  };

  const refusals: [string, string[], RegExp, RegExp][] = [
    ['a parameter the scanner does not declare', ['--param', 'vol_mult=1,2'], /--param vol_mult: the scanner declares no parameter vol_mult/, /declares none/],
    ['a trade rule that does not exist', ['--param', 'trade.stopPtc=1,2'], /--param trade.stopPtc: stopPtc is not a trade rule; did you mean trade.stopPct\?/, /trade.targetPct/],
    ['a value of the wrong type', ['--param', 'trade.maxBars=6,twelve'], /--param trade.maxBars takes whole numbers, got "twelve"/, /./],
    ['a value out of bounds', ['--param', 'trade.stopPct=0..1:0.5'], /--param trade.stopPct must be a number above 0 and below 100, got 0/, /./],
    ['an empty range', ['--param', 'trade.stopPct=2..1:0.5'], /--param trade.stopPct=2..1:0.5: the range is empty \(2 is above 1\)/, /trade.stopPct=1..2:0.5/],
    ['a range with step 0', ['--param', 'trade.stopPct=1..2:0'], /--param trade.stopPct=1..2:0: the step must be above 0, got 0/, /./],
    ['no values', ['--param', 'trade.stopPct='], /--param trade.stopPct has no values/, /./],
    ['one parameter given twice', ['--param', 'trade.stopPct=1', '--param', 'trade.stopPct=2'], /--param trade.stopPct is given twice/, /Give each parameter once/],
    ['an objective that is no statistic', ['--param', 'trade.stopPct=1,2', '--objective', 'profit_factr'], /--objective profit_factr is not a statistic a sweep can rank by; did you mean profit_factor\?/, /sharpe/],
    ['a grid too large to run whole', ['--param', 'trade.stopPct=0.01..99:0.01', '--param', 'trade.targetPct=1..10:1'], /more than 10000/, /--samples/],
    ['--mode naive', ['--param', 'trade.stopPct=1,2', '--mode', 'naive'], /sweep replays in realtime mode only/, /Drop --mode/],
    ['--trades-csv', ['--param', 'trade.stopPct=1,2', '--trades-csv', 'x.csv'], /sweep writes no trades CSV/, /barwise backtest/],
  ];
  for (const [what, args, message, hint] of refusals) {
    it(`refuses ${what} before anything runs (exit 2), writing nothing`, async () => {
      const r = await sweep(args);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.match(message);
      expect(r.stderr).to.match(hint);
      expect(fs.existsSync(r.results), 'results database').to.equal(false);
      expect(fs.existsSync(r.out), '--out').to.equal(false);
      expectClean(r);
    });
  }

  it('a combination whose scanner throws for its values fails alone: exit 1, its run partial, the others completed', async () => {
    const r = await sweep(['--param', 'n=1,3'], faultFixture('throws-for-big-n.ts'));
    expect(r.code, r.stderr).to.equal(1);
    const json = JSON.parse(fs.readFileSync(r.out, 'utf8'));
    expect(json.sweep.status).to.equal('partial');
    expect(json.combinations.map((c: { status: string }) => c.status)).to.deep.equal(['completed', 'partial']);
    expect(json.combinations[1].failures).to.equal(DATES.length);
    expect(r.stderr).to.include(`1 combination(s) had failed ticker-days: #${json.combinations[1].run_id} (${DATES.length} failed; first: SCANNER_THREW`);
    expect(r.stderr).to.include('n = 3 is too big for BBB');
    expectClean(r);
  });

  /** Every run's signals and trades in a results DB, by combination: what a resume must reproduce exactly. */
  const readOutcomes = (resultsDb: string) => {
    const db = new Database(resultsDb, { readonly: true });
    try {
      const links = db.prepare('SELECT combination, run_id FROM sweep_runs ORDER BY combination').all() as { combination: number; run_id: number }[];
      return links.map((l) => ({
        signals: db.prepare('SELECT * FROM signals WHERE run_id = ? ORDER BY ticker, signal_date, timestamp').all(l.run_id),
        trades: db.prepare('SELECT * FROM trades WHERE run_id = ? ORDER BY ticker, date, entry_time').all(l.run_id),
      }));
    } finally {
      db.close();
    }
  };
  const readSweepState = (resultsDb: string) => {
    const db = new Database(resultsDb, { readonly: true });
    try {
      return {
        sweep: db.prepare('SELECT status, finished_at FROM sweeps').get(),
        runs: db.prepare('SELECT id, status, finished_at FROM runs ORDER BY id').all(),
        days: db.prepare("SELECT run_id, ticker, date FROM run_days WHERE status = 'done' ORDER BY run_id, ticker, date").all() as { run_id: number; ticker: string; date: string }[],
      };
    } finally {
      db.close();
    }
  };
  /** The CLI arguments `npm run sweep -- ARGS` runs (`sweep` then ARGS; paths here need no quoting). */
  const argsOf = (command: string) => ['sweep', ...command.replace(/^npm run sweep -- /, '').split(' ')];

  describe('Ctrl-C mid-sweep', () => {
    // One interrupted sweep (and the same sweep never interrupted) for both tests: the first reads what the
    // interruption kept and continues a kept run as a backtest from a copy of the results database; the
    // second resumes the sweep itself in the original.
    const grid = ['--param', 'n=2,3', '--param', 'trade.maxBars=1,2'];
    const scanner = faultFixture('slow-every-n.ts');
    const total = DATES.length * 4;
    const log = () => file('scan.log');
    const env = () => ({ SCAN_LOG: log() });
    let results: string;
    let out: string;
    let copy: string;
    let cut: Awaited<ReturnType<typeof runFault>>;
    before(async () => {
      const full = await runFault(file('tmp'), ['sweep', '--db', store.db, '--scanner', scanner, ...grid, '--threads', '2', '--results-db', file('full.db'), '--out', file('full.json')], { env: FAST });
      expect(full.code, full.stderr).to.equal(0);
      results = file('cut.db');
      out = file('cut.json');
      cut = await runFault(file('tmp'), ['sweep', '--db', store.db, '--scanner', scanner, ...grid, '--threads', '2', '--results-db', results, '--out', out],
        { env: env(), kill: { signal: 'SIGINT', until: () => finishedDays(results) >= 8 } });
      copy = file('cut-copy.db');
      for (const suffix of ['', '-wal']) if (fs.existsSync(results + suffix)) fs.copyFileSync(results + suffix, copy + suffix);
    });

    it('every combination keeps its finished ticker-days (status interrupted), nothing is left behind, and a kept run continues as a backtest', async () => {
      expect(cut.code, cut.stderr).to.equal(130);
      expect(cut.stopMs, 'time from the signal to the exit').to.be.below(2500);
      const db = new Database(copy, { readonly: true });
      const runs = db.prepare('SELECT r.id, r.status, s.params_json AS params, (SELECT COUNT(*) FROM run_days d WHERE d.run_id = r.id) AS days FROM sweep_runs s JOIN runs r ON r.id = s.run_id ORDER BY s.combination').all() as
        { id: number; status: string; params: string; days: number }[];
      const status = db.prepare('SELECT status FROM sweeps').pluck().get();
      db.close();
      expect(status).to.equal('interrupted');
      expect(runs.map((x) => x.status)).to.deep.equal(['interrupted', 'interrupted', 'interrupted', 'interrupted']);
      // One pass per scan: every combination finished the same ticker-days.
      for (const x of runs) expect(x.days).to.equal(runs[0].days);
      expect(runs[0].days).to.be.at.least(2).and.below(total);
      expect(cut.stderr).to.include(`barwise: interrupted; sweep #1: ${runs[0].days} of ${total} ticker-days finished for every combination, kept in runs #${runs[0].id}..#${runs[3].id} of ${results} and in ${out}.`);
      expect(JSON.parse(fs.readFileSync(out, 'utf8')).sweep.status).to.equal('interrupted');
      expectClean(cut);

      // The combination with both values off their defaults, continued, equals a backtest of those values run whole.
      const last = runs.find((x) => JSON.stringify(JSON.parse(x.params)) === JSON.stringify({ n: 3, 'trade.maxBars': 2 }));
      expect(last, runs.map((x) => x.params).join(' ')).to.not.equal(undefined);
      const resumed = await runFault(file('tmp'), ['backtest', '--resume', String(last!.id), '--results-db', copy, '--out', file('resumed.json')], { env: FAST });
      expect(resumed.code, resumed.stderr).to.equal(0);
      const alone = await runFault(file('tmp'), ['backtest', '--db', store.db, '--scanner', scanner, '--param', 'n=3', '--max-bars', '2', '--results-db', file('alone.db'), '--out', file('alone.json')], { env: FAST });
      expect(alone.code, alone.stderr).to.equal(0);
      const [a, b] = ['resumed.json', 'alone.json'].map((f) => JSON.parse(fs.readFileSync(file(f), 'utf8')));
      expect(a.run.status).to.equal('completed');
      expect(a.run.plan_hash).to.equal(b.run.plan_hash);
      expect(b.trades.length, 'the combination trades').to.be.above(0);
      expect({ signals: a.signals, trades: a.trades, stats: a.stats }).to.deep.equal({ signals: b.signals, trades: b.trades, stats: b.stats });
      expectClean(resumed);
    });

    it('then the printed `sweep --resume N`: only the days left are scanned, and the --out file, signals and trades equal a sweep never interrupted', async () => {
      expect(cut.code, cut.stderr).to.equal(130);
      const before = readSweepState(results);
      const kept = before.days.filter((d) => d.run_id === 1).map((d) => `${d.ticker} ${d.date}`);
      expect(kept.length, 'ticker-days finished before the signal').to.be.above(0).and.below(total);
      for (const runId of [2, 3, 4]) expect(before.days.filter((d) => d.run_id === runId).map((d) => `${d.ticker} ${d.date}`)).to.deep.equal(kept);
      const command = `npm run sweep -- --resume 1 --results-db ${results} --out ${out}`;
      expect(cut.stderr).to.include(`  Continue it with: ${command}\n`);

      // Refused resumes name what differs and leave every record as it was.
      const otherGrid = await runFault(file('tmp'), ['sweep', '--resume', '1', '--results-db', results, '--param', 'n=2,3', '--param', 'trade.maxBars=1,3']);
      expect(otherGrid.code, otherGrid.stderr).to.equal(2);
      expect(otherGrid.stderr).to.include('sweep #1 cannot be resumed: --param trade.maxBars was 1,2, now 1,3');
      const otherWarmup = await runFault(file('tmp'), ['sweep', '--resume', '1', '--results-db', results, '--warmup', '2']);
      expect(otherWarmup.code, otherWarmup.stderr).to.equal(2);
      expect(otherWarmup.stderr).to.include('sweep #1 cannot be resumed (its run #1): --warmup was 1, now 2');
      const missing = await runFault(file('tmp'), ['sweep', '--resume', '9', '--results-db', results]);
      expect(missing.code, missing.stderr).to.equal(2);
      expect(missing.stderr).to.include(`sweep #9 is not in ${results}`);
      expect(readSweepState(results)).to.deep.equal(before);

      fs.rmSync(log(), { force: true });
      const resumed = await runFault(file('tmp'), argsOf(command), { env: { ...env(), ...FAST } });
      expect(resumed.code, resumed.stderr).to.equal(0);
      expectClean(resumed);
      // One pass over the days left: each scan (n=2, n=3) stepped every unfinished ticker-day once, and no other.
      const scanned = fs.readFileSync(log(), 'utf8').trim().split('\n');
      const left = TICKERS.flatMap((t) => DATES.map((d) => `${t} ${d}`)).filter((d) => !kept.includes(d)).sort();
      for (const n of [2, 3]) expect(scanned.filter((l) => l.endsWith(` n=${n}`)).map((l) => l.replace(/ n=\d$/, '')).sort()).to.deep.equal(left);
      expect(fs.readFileSync(out, 'utf8')).to.equal(fs.readFileSync(file('full.json'), 'utf8'));
      expect(readOutcomes(results)).to.deep.equal(readOutcomes(file('full.db')));
      expect(readOutcomes(results)[0].trades.length, 'the combinations trade').to.be.above(0);

      // Resumed once more, it is complete: nothing runs and the records stay as they are.
      const after = readSweepState(results);
      const again = await runFault(file('tmp'), ['sweep', '--resume', '1', '--results-db', results]);
      expect(again.code, again.stderr).to.equal(0);
      expect(again.stderr).to.include(`sweep #1 of ${results} is already complete; nothing to run.`);
      expect(readSweepState(results)).to.deep.equal(after);
    });
  });

  it('SIGTERM mid-sweep: exit 143, finished days kept, and the resume command printed', async () => {
    const results = file('term.db');
    const r = await runFault(file('tmp'), ['sweep', '--db', store.db, '--scanner', faultFixture('slow-every-n.ts'), '--param', 'n=2,3', '--threads', '2', '--results-db', results],
      { kill: { signal: 'SIGTERM', until: () => finishedDays(results) >= 4 } });
    expect(r.code, r.stderr).to.equal(143);
    expect(readSweepState(results).sweep).to.deep.include({ status: 'interrupted' });
    expect(r.stderr).to.include(`  Continue it with: npm run sweep -- --resume 1 --results-db ${results}\n`);
    expectClean(r);
  });
});
