/**
 * Fault catalogue, resume identity: `--resume` continues a run only when what it reads is what the run read.
 * Changed bars in the run's range, or a changed helper file the scanner imports, make the finished ticker-days
 * stale; the resume is refused with what changed and what to do, and nothing recorded is touched.
 * docs/reliability.md ("Resume identity") lists every case.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { makeDay, nyTime, writeStore } from '../helpers/bars.js';
import { useTempDir } from '../helpers/temp.js';
import { expectClean, readRun, runFault } from './harness.js';

const DATES = ['2025-11-03', '2025-11-04', '2025-11-05'];

const HELPER = (threshold: number) => `export const threshold = ${threshold};\n`;
const SCANNER = [
  "import { threshold } from './lib/threshold.ts';",
  'export default {',
  "  name: 'imports-a-helper',",
  '  warmupBars: 1,',
  '  scan(ctx: { index: number; bars: readonly { close: number; open: number }[] }) {',
  '    const b = ctx.bars[ctx.index];',
  "    return b.close - b.open > threshold ? { direction: 'LONG' } : null;",
  '  },',
  '};',
  '',
].join('\n');

describe('faults: resume identity', function () {
  const tmp = useTempDir('barwise-resume-identity-');
  const file = (f: string) => path.join(tmp(), f);
  const bars = () => ['AAA', 'BBB'].flatMap((t) => DATES.flatMap((d) => makeDay(t, d, { slots: 20 })));

  /** A finished run to continue: returns its id. */
  async function recordRun(db: string, results: string, scanner: string): Promise<number> {
    const r = await runFault(file('tmp'), ['backtest', '--db', db, '--scanner', scanner, '--threads', '1', '--signals', 'all', '--results-db', results]);
    expect(r.code, r.stderr).to.equal(0);
    return readRun(results)!.run.id;
  }

  function countRows(results: string): string {
    const db = new Database(results, { readonly: true });
    try {
      return JSON.stringify(['runs', 'run_days', 'signals', 'failures'].map((t) => db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get()));
    } finally {
      db.close();
    }
  }

  beforeEach(() => {
    fs.mkdirSync(file('scanner/lib'), { recursive: true });
    fs.writeFileSync(file('scanner/scan.ts'), SCANNER);
    fs.writeFileSync(file('scanner/lib/threshold.ts'), HELPER(0));
  });

  it('refuses --resume after a bar the run read changed, naming the ticker, and keeps the recorded run as it was', async () => {
    const db = writeStore(file('changed.db'), bars());
    const results = file('changed-results.db');
    const id = await recordRun(db, results, file('scanner/scan.ts'));
    const before = countRows(results);
    const w = new Database(db);
    w.prepare('UPDATE ohlcv_data SET close = close + 0.01 WHERE ticker = ? AND timestamp = ?').run('BBB', nyTime('2025-11-04', '10:00'));
    w.close();
    const r = await runFault(file('tmp'), ['backtest', '--resume', String(id), '--results-db', results]);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.include(`barwise: run #${id} cannot be resumed: the market data the run reads was BBB: 60 bars`);
    expect(r.stderr).to.match(/start a new run \(without resume\)/);
    expect(countRows(results)).to.equal(before);
    expectClean(r);
  });

  it('continues after bars outside the run\'s range and tickers were added: they are not read', async () => {
    const db = writeStore(file('grown.db'), bars());
    const results = file('grown-results.db');
    const r0 = await runFault(file('tmp'), ['backtest', '--db', db, '--scanner', file('scanner/scan.ts'), '--threads', '1', '--tickers', 'AAA',
      '--from', '2025-11-03', '--to', '2025-11-04', '--results-db', results]);
    expect(r0.code, r0.stderr).to.equal(0);
    const id = readRun(results)!.run.id;
    const w = new Database(db);
    const ins = w.prepare("INSERT INTO ohlcv_data VALUES (?, ?, ?, ?, ?, ?, ?, '5min', NULL)");
    for (const b of [...makeDay('AAA', '2025-11-06', { slots: 5 }), ...makeDay('BBB', '2025-11-04', { slots: 5, start: '04:00' })]) {
      ins.run(b.ticker, b.timestamp, b.open, b.high, b.low, b.close, b.volume);
    }
    w.close();
    const r = await runFault(file('tmp'), ['backtest', '--resume', String(id), '--results-db', results]);
    expect(r.code, r.stderr).to.equal(0);
    expectClean(r);
  });

  it('refuses --resume after a helper file the scanner imports changed, naming the files', async () => {
    const db = writeStore(file('helper.db'), bars());
    const results = file('helper-results.db');
    const id = await recordRun(db, results, file('scanner/scan.ts'));
    const before = countRows(results);
    fs.writeFileSync(file('scanner/lib/threshold.ts'), HELPER(0.05));
    const r = await runFault(file('tmp'), ['backtest', '--resume', String(id), '--results-db', results]);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.include(`barwise: run #${id} cannot be resumed: the scanner's code (lib/threshold.ts, scan.ts) was `);
    expect(r.stderr).to.match(/computed from the data and code as they were/);
    expect(countRows(results)).to.equal(before);
    expectClean(r);
  });

  it('refuses --resume of a run recorded without a plan (an older results database), and gives the database its plan columns', async () => {
    const db = writeStore(file('old.db'), bars());
    const results = file('old-results.db');
    const id = await recordRun(db, results, file('scanner/scan.ts'));
    // What an older barwise wrote: no plan columns at all, and no schema version (user_version 0).
    const w = new Database(results);
    w.exec('ALTER TABLE runs DROP COLUMN plan_json; ALTER TABLE runs DROP COLUMN plan_hash');
    w.pragma('user_version = 0');
    w.close();
    const before = countRows(results);
    const r = await runFault(file('tmp'), ['backtest', '--resume', String(id), '--results-db', results]);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.include(`barwise: run #${id} in ${results} has no recorded run plan, so what it read cannot be checked\n  Start a new run`);
    expect(countRows(results)).to.equal(before);
    const cols = new Database(results, { readonly: true });
    try {
      expect(cols.prepare("SELECT name FROM pragma_table_info('runs') WHERE name LIKE 'plan_%' ORDER BY name").pluck().all()).to.deep.equal(['plan_hash', 'plan_json']);
    } finally {
      cols.close();
    }
    expectClean(r);
  });
});
