/**
 * Fault catalogue, sweeps: a malformed grid or option is refused before anything runs (exit 2, nothing
 * written), options a sweep cannot honour yet are refused by name (NOT_YET), and Ctrl-C mid-sweep keeps every
 * combination's finished ticker-days, leaves nothing behind, and a kept combination continues as a backtest.
 * Through the real CLI; docs/reliability.md lists every case under "Sweeps".
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { makeDay } from '../helpers/bars.js';
import { expectClean, faultFixture, fixture, runFault, useFaultStore } from './harness.js';

const DATES = ['2025-10-27', '2025-10-28', '2025-10-29', '2025-10-30', '2025-10-31', '2025-11-03', '2025-11-04', '2025-11-05'];

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
  const store = useFaultStore(() => ['AAA', 'BBB', 'CCC', 'DDD'].flatMap((t) => DATES.flatMap((d) => makeDay(t, d, { slots: 12 }))));
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

  for (const [flag, args] of [['--resume', ['--resume', '1']]] as const) {
    it(`refuses ${flag} as not supported yet (NOT_YET, exit 2), saying what to do instead`, async () => {
      const r = await sweep(['--param', 'trade.stopPct=1,2', ...args]);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.match(new RegExp(`sweep ${flag}.* is not supported yet`));
      expect(r.stderr).to.match(/barwise backtest --resume N/);
      expect(fs.existsSync(r.results)).to.equal(false);
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

  it('Ctrl-C mid-sweep: every combination keeps its finished ticker-days (status interrupted), nothing is left behind, and a kept run continues as a backtest', async () => {
    const results = file('int.db');
    const out = file('int.json');
    const args = ['sweep', '--db', store.db, '--scanner', faultFixture('slow.ts'), '--param', 'trade.maxBars=1,2', '--threads', '2',
      '--results-db', results, '--out', out];
    const r = await runFault(file('tmp'), args, { kill: { signal: 'SIGINT', until: () => finishedDays(results) >= 6 } });
    expect(r.code, r.stderr).to.equal(130);
    expect(r.stopMs, 'time from the signal to the exit').to.be.below(2500);
    const db = new Database(results, { readonly: true });
    const runs = db.prepare('SELECT r.id, r.status, (SELECT COUNT(*) FROM run_days d WHERE d.run_id = r.id) AS days FROM sweep_runs s JOIN runs r ON r.id = s.run_id ORDER BY s.combination').all() as
      { id: number; status: string; days: number }[];
    const status = db.prepare('SELECT status FROM sweeps').pluck().get();
    db.close();
    expect(status).to.equal('interrupted');
    expect(runs.map((x) => x.status)).to.deep.equal(['interrupted', 'interrupted']);
    // One pass: both combinations finished the same ticker-days.
    expect(runs[0].days).to.equal(runs[1].days);
    expect(runs[0].days).to.be.at.least(3).and.below(DATES.length * 4);
    expect(r.stderr).to.include(`barwise: interrupted; sweep #1: ${runs[0].days} of ${DATES.length * 4} ticker-days finished for every combination, kept in runs #${runs[0].id}..#${runs[1].id} of ${results} and in ${out}.`);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).sweep.status).to.equal('interrupted');
    expectClean(r);

    const resumed = await runFault(file('tmp'), ['backtest', '--resume', String(runs[1].id), '--results-db', results, '--out', file('resumed.json')]);
    expect(resumed.code, resumed.stderr).to.equal(0);
    const alone = await runFault(file('tmp'), ['backtest', '--db', store.db, '--scanner', faultFixture('slow.ts'), '--max-bars', '2', '--results-db', file('alone.db'), '--out', file('alone.json')]);
    expect(alone.code, alone.stderr).to.equal(0);
    const [a, b] = ['resumed.json', 'alone.json'].map((f) => JSON.parse(fs.readFileSync(file(f), 'utf8')));
    expect(a.run.status).to.equal('completed');
    expect(a.run.plan_hash).to.equal(b.run.plan_hash);
    expect({ signals: a.signals, trades: a.trades, stats: a.stats }).to.deep.equal({ signals: b.signals, trades: b.trades, stats: b.stats });
    expectClean(resumed);
  });
});
