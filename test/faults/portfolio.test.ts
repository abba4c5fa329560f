/**
 * Fault catalogue, the portfolio pass: sizes and account limits that cannot work are refused before anything
 * runs, naming the option and what to write instead; an account that loses everything is a result (reported
 * with the instant of ruin), not a crash; results databases written before the pass existed keep working.
 * Through the real CLI; docs/reliability.md lists every case under "Portfolio".
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { MIGRATIONS } from '../../src/results/results-db.js';
import { migrate } from '../../src/results/schema-version.js';
import { nyTime, type TestBar } from '../helpers/bars.js';
import { expectClean, fixture, runFault, storeDays, useFaultStore } from './harness.js';

const DATE = '2025-11-03';

/** A ticker that falls from 100 to 40 over twelve bars: a 4× leveraged long is wiped out on the way. */
function crashDay(): TestBar[] {
  const t0 = nyTime(DATE, '09:30');
  return Array.from({ length: 12 }, (_, i) => {
    const open = 100 - 5 * i;
    const close = open - 5;
    return { ticker: 'CRSH', timestamp: t0 + i * 300_000, open, high: open + 0.5, low: close - 0.5, close, volume: 1000 };
  });
}

describe('faults: portfolio', function () {
  const store = useFaultStore(() => [...storeDays(['AAA', 'BBB'], [DATE], 12), ...crashDay()]);
  const { file } = store;
  const bt = (args: string[]) => store.backtest(['--scanner', fixture('every-bar.sql'), '--warmup', '1', '--trade', ...args]);

  const refusals: [string, string[], RegExp, RegExp][] = [
    ['a size without its mode', ['--size', '10%'], /--size must be MODE:VALUE .*got "10%"/, /equity-pct:10/],
    ['a size of a fraction of a share', ['--size', 'shares:2.5'], /--size must be MODE:VALUE/, /whole number/],
    ['risking more than the whole account', ['--size', 'risk-pct:150', '--stop-pct', '1'], /--size must be MODE:VALUE .*"risk-pct:150"/, /risk-pct at most 100/],
    ['a size no cash account can buy', ['--size', 'equity-pct:150'], /--size equity-pct:150 can never be bought with --max-exposure 1/, /--max-exposure 1.5/],
    ['two ways to give one size', ['--size', 'shares:10', '--shares', '20'], /--size and --shares both given/, /--shares N is shares:N/],
    ['--risk-per-trade with --size', ['--size', 'dollars:500', '--risk-per-trade', '50', '--stop-pct', '1'], /--size and --risk-per-trade both given/, /risk:D/],
    ['risk sizing without a stop', ['--size', 'risk-pct:1'], /--size risk-pct:1 needs a stop to size against/, /--stop-pct/],
    ['no exposure at all', ['--max-exposure', '0'], /--max-exposure must be a number above 0/, /./],
    ['no position allowed', ['--max-positions', '0'], /--max-positions must be a whole number from 1/, /./],
  ];
  for (const [what, args, message, hint] of refusals) {
    it(`refuses ${what} before the run starts (exit 2), writing nothing`, async () => {
      const r = await bt(args);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.match(message);
      expect(r.stderr).to.match(hint);
      expect(r.json).to.equal(null);
      expect(r.kept).to.equal(null);
      expectClean(r);
    });
  }

  it('reports a ruined account with the instant of ruin and closes its positions there at their marks (exit 0)', async () => {
    const r = await bt(['--tickers', 'CRSH', '--max-exposure', '4', '--size', 'equity-pct:400']);
    expect(r.code, r.stderr).to.equal(0);
    // The signal is the 09:35 bar; 4 × $100 000 buys floor(400 000 / 90) = 4 444 shares at the 09:40 open of 90.
    // Equity is 0 at a close of 90 − 100 000 / 4 444 = 67.5; the first close below is 65, at 10:05: ruined there,
    // sold at 65. The account cannot be billed for less than nothing in a backtest, but it is not hidden either:
    // the fall between two bar closes past zero is the final equity's deficit.
    expect(r.json.stats.ruined_at).to.equal(`${DATE} 10:05:00`);
    expect(r.json.trades).to.have.length(1);
    expect(r.json.trades[0]).to.include({ exit_reason: 'ruin', exit_time: '10:05:00', exit_price: 65, shares: 4444 });
    expect(r.json.stats.final_equity).to.equal(100_000 - 4444 * 25);
    expect(r.json.stats.untraded).to.deep.equal({});
    expect(r.json.equity.at(-1).equity).to.equal(r.json.stats.final_equity);
    expect(JSON.parse(r.stdout.trim()).stats.ruined_at).to.equal(`${DATE} 10:05:00`);
    expect(r.stderr).to.contain(`the account was ruined at ${DATE} 10:05:00 (New York)`).and.to.contain('A smaller --size');
    expectClean(r);
  });

  it('says so when the account could buy nothing at all, naming the size and what to change (exit 0)', async () => {
    const r = await bt(['--size', 'shares:100000']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.json.stats.trades).to.equal(0);
    expect(r.json.stats.untraded.buying_power).to.be.greaterThan(0);
    expect(r.stderr).to.contain(`all ${r.json.stats.untraded.buying_power} signal(s) it could enter were refused for buying power (size shares:100000, capital 100000, --max-exposure 1)`);
    expect(r.stderr).to.contain('--size equity-pct:10');
    expectClean(r);
  });

  it('trades into a results database written before the portfolio pass, and lists both runs', async () => {
    const old = file('old-results.db');
    const db = new Database(old);
    migrate(db, MIGRATIONS.slice(0, 2));
    db.prepare(`INSERT INTO runs (started_at, status, scanner, scanner_name, db, from_date, to_date, threads, warmup, mode, version, inputs_json, stats_json)
      VALUES ('2025-11-01T00:00:00Z', 'completed', 's.sql', 's', 'm.db', '${DATE}', '${DATE}', 1, 1, 'realtime', '0.0.9', '{}', '{"trades":1}')`).run();
    db.prepare(`INSERT INTO trades VALUES (1, 'AAA', '${DATE}', 'LONG', '09:35:00', 1, 0, '09:40:00', 2, 10, '10:00:00', 3, 11, 'eod', 4, 100, 0, 100, 10, NULL, -1, 2)`).run();
    db.close();
    const run = await runFault(file('tmp'), ['backtest', '--db', store.db, '--results-db', old, '--scanner', fixture('every-bar.sql'), '--warmup', '1', '--trade', '--tickers', 'AAA']);
    expect(run.code, run.stderr).to.equal(0);
    const listed = await runFault(file('tmp'), ['runs', '--results-db', old, '--json']);
    expect(listed.code, listed.stderr).to.equal(0);
    expect(listed.stdout).to.contain('"id":1').and.to.contain('"id":2');
    const after = new Database(old, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).to.equal(MIGRATIONS.at(-1)!.version);
    expect(after.prepare('SELECT shares, slippage FROM trades WHERE run_id = 1').get()).to.deep.equal({ shares: 100, slippage: null });
    expect(after.prepare('SELECT COUNT(*) FROM equity_points WHERE run_id = 2').pluck().get()).to.be.greaterThan(0);
    after.close();
    expect(fs.existsSync(old)).to.equal(true);
    expectClean(run);
  });
});
