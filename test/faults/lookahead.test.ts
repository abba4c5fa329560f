/**
 * Fault catalogue, lookahead doors: scanners that try to reach bars after the current one, or another
 * ticker's, through the real CLI. Each door either gives nothing (no signal only lookahead could produce)
 * or is refused with a message saying what to do; module state that crosses ticker-days is reported by
 * the audit. docs/reliability.md ("Lookahead doors") lists every case.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { faultFixture, runFault, expectClean, storeDays, useFaultStore } from './harness.js';

const DATES = ['2025-10-31', '2025-11-03'];

describe('faults: lookahead doors', function () {
  const store = useFaultStore(() => storeDays(['AAA', 'BBB', 'CCC'], DATES, 12));
  const { file } = store;
  const bt = (args: string[], env: NodeJS.ProcessEnv = {}) => store.backtest(args, { env });
  let n = 0;
  const audit = async (args: string[]) => {
    const id = ++n;
    const out = file(`audit-${id}.json`);
    const r = await runFault(file('tmp'), ['audit', '--db', store.db, '--results-db', file(`a-${id}.db`), '--out', out, '--threads', '1', ...args]);
    return { ...r, json: fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : null };
  };

  for (const door of ['private-day', 'raw-db', 'source-path', 'writable-ctx', 'shared-state']) {
    it(`a module prying at ctx (${door}) finds no later bar: no signal, exit 0`, async () => {
      const r = await bt(['--scanner', faultFixture('pries-context.ts'), '--signals', 'all', '--threads', '1', '--references', 'BBB', '--lookback-days', '1'],
        // Only raw-db is told the path (it tests what a connection could open); source-path must find it itself.
        door === 'raw-db' ? { FAULT_DOOR: door, FAULT_SOURCE_DB: store.db } : { FAULT_DOOR: door });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.json.failures).to.deep.equal([]);
      expect(r.json.signals.map((s: { metrics: unknown }) => s.metrics)).to.deep.equal([]);
      expect(r.json.run.counts.steps).to.equal(3 * 2 * 10);
      expectClean(r);
    });
  }

  it('a PRAGMA through ctx.db is refused (SCANNER_WRITE, naming it); the other tickers on that worker are unharmed (exit 1)', async () => {
    const r = await bt(['--scanner', faultFixture('pragma-on-aaa.ts'), '--threads', '1']);
    expect(r.code).to.equal(1);
    expect(r.json.failures.map((f: { ticker: string; code: string }) => [f.ticker, f.code])).to.deep.equal([['AAA', 'SCANNER_WRITE'], ['AAA', 'SCANNER_WRITE']]);
    expect(r.json.failures[0].message).to.match(/scanner tried to run a PRAGMA on the day database: PRAGMA max_page_count = 1/);
    expect(r.json.signals.map((s: { ticker: string; signal_date: string; metrics: { n: number } }) => [s.signal_date, s.ticker, s.metrics.n])).to.deep.equal([
      ['2025-10-31', 'BBB', 3], ['2025-10-31', 'CCC', 3], ['2025-11-03', 'BBB', 3], ['2025-11-03', 'CCC', 3],
    ]);
    expectClean(r);
  });

  it('an SQL scanner that is a PRAGMA assignment is refused before the run, with how to read a setting (exit 1)', async () => {
    const r = await bt(['--scanner', faultFixture('pragma.sql')]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/pragma\.sql: scanner tried to run a PRAGMA on the day database: PRAGMA max_page_count = 1[\s\S]*SELECT \* FROM pragma_NAME/);
    expect(r.json).to.equal(null);
    expectClean(r);
  });

  it('an SQL scanner that ATTACHes a database is refused before the run (exit 1)', async () => {
    const r = await bt(['--scanner', faultFixture('attach.sql')]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/attach\.sql: scanner tried to run a statement that is not a query on the day database: ATTACH DATABASE/);
    expectClean(r);
  });

  it("an SQL scanner reading the connection's counters (total_changes(): earlier ticker-days' bar counts) fails SCANNER_INVALID, saying how to count (exit 1)", async () => {
    const r = await bt(['--scanner', faultFixture('counts-connection.sql'), '--threads', '1']);
    expect(r.code).to.equal(1);
    expect(r.json.signals).to.deep.equal([]);
    expect(r.json.failures.map((f: { code: string }) => f.code)).to.deep.equal(Array(6).fill('SCANNER_INVALID'));
    expect(r.json.failures[0].message).to.match(/total_changes\(\) is not available to scanners: it counts the engine's writes on a connection that earlier ticker-days used too/);
    expect(r.stderr).to.match(/SELECT COUNT\(\*\) FROM ohlcv_data WHERE ticker = :ticker AND timestamp >= :day_start|total_changes\(\) is not available/);
    expectClean(r);
  });

  for (const mode of ['realtime', 'naive']) {
    it(`a legacy script (${mode} mode) finds neither the market database's path in its environment or arguments, nor another ticker's file next to its DATABASE_PATH`, async () => {
      const dump = file(`env-dump-${mode}`);
      fs.mkdirSync(dump, { recursive: true });
      const r = await bt(['--scanner', faultFixture('dumps-env.sh'), '--warmup', '10', '--threads', '2', '--mode', mode], { FAULT_ENV_DUMP: dump });
      expect(r.code, r.stderr).to.equal(0);
      const dumps = fs.readdirSync(dump).map((f) => fs.readFileSync(path.join(dump, f), 'utf8'));
      expect(dumps.length).to.equal(3 * 2 * 2);
      for (const d of dumps) {
        expect(d).to.include('DATABASE_PATH=');
        expect(d).not.to.include(store.db);
        expect(d).not.to.include(path.basename(store.db));
        // Only this ticker-day's own file (and its -wal/-shm) lies next to it, whatever the other worker runs.
        const ticker = /^SCAN_TICKERS=(.*)$/m.exec(d)![1];
        const date = /^SCAN_DATE=(.*)$/m.exec(d)![1];
        const next = /^NEXT: (.*)$/m.exec(d)![1].trim().split(' ');
        expect(next.length).to.be.greaterThan(0);
        for (const f of next) expect(f.startsWith(`${ticker}-${date}`) || f.startsWith(`naive-${ticker}-${date}`), `${f} beside ${ticker} ${date}`).to.equal(true);
      }
      expectClean(r);
    });
  }

  it('the audit reports a module whose date-keyed cache crosses ticker-days as order-dependent, in its table, JSON and warning', async () => {
    const r = await audit(['--scanner', faultFixture('date-keyed-cache.ts')]);
    expect(r.code, r.stderr).to.equal(0);
    const order = r.json.audit.order_check;
    expect(order.checked).to.be.greaterThan(0);
    expect(order.order_dependent.length).to.be.greaterThan(0);
    // Alone, a ticker-day knows no earlier high at its first step, so it cannot fire there.
    for (const d of order.order_dependent) expect(d.alone).to.not.deep.equal(d.in_run);
    expect(r.stderr).to.match(/sampled ticker-day\(s\) give other signals when run alone: the scanner keeps state across ticker-days[\s\S]*init\(ctx\)/);
    expect(JSON.parse(r.stdout).order_dependent).to.equal(order.order_dependent.length);
    expectClean(r);
  });

  it('the same scanner with its state in init(ctx) passes the order check, and gives the same signals at 1 and 2 threads', async () => {
    const r = await audit(['--scanner', faultFixture('per-day-state.ts')]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.json.audit.order_check.checked).to.be.greaterThan(0);
    expect(r.json.audit.order_check.order_dependent).to.deep.equal([]);
    const one = await bt(['--scanner', faultFixture('per-day-state.ts'), '--threads', '1', '--signals', 'all']);
    const two = await bt(['--scanner', faultFixture('per-day-state.ts'), '--threads', '2', '--signals', 'all']);
    expect(one.json.signals.length).to.be.greaterThan(0);
    expect(two.json.signals).to.deep.equal(one.json.signals);
    expectClean(r);
  });

  it('--order-sample -1 is a usage error naming the flag (exit 2)', async () => {
    const r = await audit(['--scanner', faultFixture('per-day-state.ts'), '--order-sample', '-1']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/--order-sample must be a whole number from 0 to 100000, got -1/);
    expectClean(r);
  });

  it('--order-sample 0 skips the check: order_check is null', async () => {
    const r = await audit(['--scanner', faultFixture('date-keyed-cache.ts'), '--order-sample', '0']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.json.audit.order_check).to.equal(null);
    expectClean(r);
  });
});
