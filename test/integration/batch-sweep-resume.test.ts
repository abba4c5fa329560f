/**
 * A batch whose sweep job is stopped part-way, run again: the sweep is continued (its runs reopened), not run
 * again whole. The ticker-days every combination finished before the stop are not scanned again (the scanner
 * logs each ticker-day it scans), no run or sweep is added, and the job ends with the best combination,
 * signals and trades of the same batch never stopped.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { parseBatchConfig } from '../../src/batch/batch-config.js';
import { runBatch } from '../../src/batch/run-batch.js';
import { makeDay, writeStore } from '../helpers/bars.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

const SCANNER = path.join(ROOT, 'test/faults/fixtures/slow-every-n.ts');
const TICKERS = ['AAA', 'BBB', 'CCC', 'DDD'];
const DATES = ['2025-10-27', '2025-10-28', '2025-10-29', '2025-10-30', '2025-10-31', '2025-11-03', '2025-11-04', '2025-11-05'];
const TOTAL = TICKERS.length * DATES.length;
/** Two scans (n) times two trade rules: four combinations that trade differently. */
const SWEEP = { grid: { n: [2, 3], 'trade.maxBars': [1, 2] } };

describe('batch: a sweep job stopped part-way continues', function () {
  this.timeout(600_000);
  const tmp = useTempDir('barwise-batch-sweep-resume-');
  const file = (name: string) => path.join(tmp(), name);
  let marketDb: string;
  const saved = { log: process.env.SCAN_LOG, step: process.env.SLOW_STEP_MS };

  before(() => {
    marketDb = writeStore(file('m.db'), TICKERS.flatMap((t) => DATES.flatMap((d) => makeDay(t, d, { slots: 12 }))));
  });
  afterEach(() => {
    for (const [k, v] of [['SCAN_LOG', saved.log], ['SLOW_STEP_MS', saved.step]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const config = (name: string) => {
    const f = file(`${name}.yaml`);
    fs.writeFileSync(f, '');
    return parseBatchConfig({
      name,
      jobs: [{ name: 'swept', scanner: SCANNER, db: marketDb, universe: TICKERS, range: { from: DATES[0], to: DATES[DATES.length - 1] }, options: { warmup: 1, threads: 2 }, sweep: SWEEP }],
    }, f);
  };
  const query = <T>(db: string, sql: string, ...args: unknown[]): T[] => {
    const d = new Database(db, { readonly: true });
    try {
      return d.prepare(sql).all(...args) as T[];
    } finally {
      d.close();
    }
  };
  /** Each combination's values, signals and trades, in sweep order. */
  const readOutcomes = (db: string) => query<{ combination: number; run_id: number; params_json: string }>(db, 'SELECT combination, run_id, params_json FROM sweep_runs ORDER BY combination')
    .map((l) => ({
      values: l.params_json,
      signals: query(db, 'SELECT ticker, signal_date, signal_time, seq, direction, metrics_json FROM signals WHERE run_id = ? ORDER BY ticker, signal_date, timestamp, seq', l.run_id),
      trades: query(db, 'SELECT * FROM trades WHERE run_id = ? ORDER BY ticker, date, entry_ts, seq', l.run_id).map((t) => ({ ...(t as object), run_id: undefined })),
    }));
  const doneDays = (db: string, runId: number) => query<{ d: string }>(db, "SELECT ticker || ' ' || date AS d FROM run_days WHERE run_id = ? AND status = 'done' ORDER BY ticker, date", runId).map((r) => r.d);

  it('scans only the ticker-days left, adds no run, and ends as the batch never stopped', async () => {
    process.env.SLOW_STEP_MS = '0';
    const whole = await runBatch(config('whole'), { resultsDb: file('whole.db') });
    expect(whole.jobs[0].status, whole.jobs[0].error).to.equal('completed');

    // Stopped once a quarter of the ticker-days have finished; the scanner busy enough to stop part-way.
    process.env.SLOW_STEP_MS = '8';
    const cutDb = file('cut.db');
    const controller = new AbortController();
    const stopped = await runBatch(config('cut'), { resultsDb: cutDb }, {
      signal: controller.signal,
      onJobProgress: (_job, p) => { if (p.tickerDaysDone >= TOTAL / 4) controller.abort(); },
    });
    expect(stopped.jobs[0].status).to.equal('interrupted');
    const runIds = query<{ run_id: number }>(cutDb, 'SELECT run_id FROM sweep_runs ORDER BY combination').map((r) => r.run_id);
    expect(runIds).to.have.length(4);
    const kept = doneDays(cutDb, runIds[0]);
    expect(kept.length, 'ticker-days finished before the stop').to.be.above(0).and.below(TOTAL);
    for (const id of runIds) expect(doneDays(cutDb, id), 'one pass: every combination finished the same days').to.deep.equal(kept);

    const log = file('scan.log');
    process.env.SCAN_LOG = log;
    process.env.SLOW_STEP_MS = '0';
    let started: { runId: number; resumed: boolean } | undefined;
    const again = await runBatch(config('cut'), { resultsDb: cutDb }, { onJobStart: (j) => { started = j; } });
    const job = again.jobs[0];
    expect(job.status, job.error).to.equal('completed');
    expect(job.resumed).to.equal(true);
    expect(started).to.include({ runId: runIds[0], resumed: true });

    // Each scan (n=2, n=3) stepped every unfinished ticker-day once, and none of those kept.
    const all = TICKERS.flatMap((t) => DATES.map((d) => `${t} ${d}`));
    const left = all.filter((d) => !kept.includes(d)).sort();
    const scanned = fs.readFileSync(log, 'utf8').trim().split('\n');
    for (const n of [2, 3]) expect(scanned.filter((l) => l.endsWith(` n=${n}`)).map((l) => l.replace(/ n=\d$/, '')).sort(), `n=${n}`).to.deep.equal(left);
    expect(query(cutDb, 'SELECT COUNT(*) AS n FROM runs')).to.deep.equal([{ n: 4 }]);
    expect(query(cutDb, 'SELECT id, status FROM sweeps')).to.deep.equal([{ id: 1, status: 'completed' }]);
    for (const id of runIds) expect(doneDays(cutDb, id)).to.deep.equal([...all].sort());

    expect(job.sweep!.sweep_id).to.equal(whole.jobs[0].sweep!.sweep_id);
    expect(job.sweep!.best).to.deep.equal(whole.jobs[0].sweep!.best);
    expect(job.sweep!.walk_forward_objective).to.equal(whole.jobs[0].sweep!.walk_forward_objective);
    const outcomes = readOutcomes(cutDb);
    expect(outcomes).to.deep.equal(readOutcomes(file('whole.db')));
    expect(outcomes.every((o) => o.trades.length > 0), 'every combination trades').to.equal(true);
    expect(new Set(outcomes.map((o) => JSON.stringify(o.trades))).size, 'the combinations trade differently').to.be.above(1);
  });
});
