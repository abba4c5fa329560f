/**
 * Fault catalogue, a run stopped by an error once its row exists: the results database refusing its
 * ticker-days (here a trigger on run_days that aborts every insert: the same failed write as a full disk or
 * an I/O error, only deterministic), or a caller's hook throwing after the row was started. The row must
 * end as `error`, with what was committed kept and counted (not `running` forever, which `runs` and a resume
 * would take for a run still going), the error that stopped the run must be the one the caller gets, and a
 * resume must continue the run to the result a clean run has. In-process, through runBacktest and runSweep.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { runBacktest, runSweep } from '../../src/index.js';
import { ResultsDb } from '../../src/results/results-db.js';
import { BarwiseError } from '../../src/errors.js';
import { makeDay, writeStore } from '../helpers/bars.js';
import { useTempDir } from '../helpers/temp.js';
import { fixture } from './harness.js';

const DATES = ['2025-10-30', '2025-10-31', '2025-11-03'];
const TICKERS = ['AAA', 'BBB', 'CCC', 'DDD'];
const SCANNER = fixture('every-bar.sql');

/** A results database whose run_days refuses every row, as a user's trigger would (dropped by `allow`). */
function refusingDays(file: string): { allow(): void } {
  new ResultsDb(file).close();
  const db = new Database(file);
  db.exec("CREATE TRIGGER refuse_days BEFORE INSERT ON run_days BEGIN SELECT RAISE(ABORT, 'run_days refuses rows'); END;");
  db.close();
  return {
    allow: () => {
      const w = new Database(file);
      w.exec('DROP TRIGGER refuse_days');
      w.close();
    },
  };
}

/** Every runs row with its counts next to what is committed for it. */
function readRows(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(
      `SELECT id, status, finished_at, ticker_days, (SELECT COUNT(*) FROM run_days d WHERE d.run_id = runs.id) AS recorded,
         signal_count, (SELECT COUNT(*) FROM signals s WHERE s.run_id = runs.id) AS signals FROM runs ORDER BY id`,
    ).all() as { id: number; status: string; finished_at: string | null; ticker_days: number | null; recorded: number; signal_count: number | null; signals: number }[];
  } finally {
    db.close();
  }
}

const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('the run did not fail'); }, (err: unknown) => err);

describe('faults: a run stopped after its row exists ends that row', function () {
  this.timeout(120_000);
  const tmp = useTempDir('barwise-row-ends-');
  const file = (f: string) => path.join(tmp(), f);
  let db: string;
  let clean: Awaited<ReturnType<typeof runBacktest>>;
  before(async () => {
    db = writeStore(file('m.db'), TICKERS.flatMap((t) => DATES.flatMap((d) => makeDay(t, d, { slots: 12 }))));
    clean = await runBacktest({ db, scanner: SCANNER, threads: 2, resultsDb: ':memory:' });
  });

  it('results database refusing the ticker-days of a fresh run on threads: the row ends as error, the write error (naming --resume) reaches the caller, and a resume completes it', async () => {
    const resultsDb = file('refused.db');
    const refusing = refusingDays(resultsDb);
    const err = await caught(runBacktest({ db, scanner: SCANNER, threads: 2, resultsDb }));
    expect(err).to.be.instanceOf(BarwiseError);
    const e = err as BarwiseError;
    expect(e.code).to.equal('RESULTS_WRITE');
    expect(e.message).to.include(resultsDb).and.include('run_days refuses rows');
    const [row] = readRows(resultsDb);
    expect(e.hint).to.include(`--resume ${row.id}`);
    expect(row.status).to.equal('error');
    expect(row.finished_at).to.be.a('string');
    // The counts are those of what was committed (nothing, every insert being refused).
    expect(row.ticker_days).to.equal(row.recorded);
    expect(row.signal_count).to.equal(row.signals);

    refusing.allow();
    const resumed = await runBacktest({ db, scanner: SCANNER, threads: 2, resultsDb, resume: row.id });
    expect(resumed.run.id).to.equal(row.id);
    expect(resumed.run.status).to.equal('completed');
    expect(resumed.signals).to.deep.equal(clean.signals);
    expect(resumed.finishedDays).to.deep.equal(clean.finishedDays);
  });

  it("a hook that throws once the row exists (fresh run, measured beside the scan): the row ends as error and the caller gets the hook's own error", async () => {
    const resultsDb = file('hook-fresh.db');
    const thrown = new Error('the caller could not show the start');
    const err = await caught(runBacktest({ db, scanner: SCANNER, threads: 2, resultsDb }, { onStart: () => { throw thrown; } }));
    expect(err).to.equal(thrown);
    const rows = readRows(resultsDb);
    expect(rows).to.have.length(1);
    expect(rows[0].status).to.equal('error');
    expect(rows[0].ticker_days).to.equal(rows[0].recorded);
  });

  it("a hook that throws once a resumed run's row is reopened: the row ends as error again, the caller gets the hook's error, and a later resume completes it", async () => {
    const resultsDb = file('hook-resume.db');
    const refusing = refusingDays(resultsDb);
    await caught(runBacktest({ db, scanner: SCANNER, threads: 2, resultsDb }));
    refusing.allow();
    const [{ id }] = readRows(resultsDb);
    const thrown = new Error('the caller could not show the start');
    const err = await caught(runBacktest({ db, scanner: SCANNER, threads: 2, resultsDb, resume: id }, { onStart: () => { throw thrown; } }));
    expect(err).to.equal(thrown);
    expect(readRows(resultsDb).map((r) => r.status)).to.deep.equal(['error']);
    const resumed = await runBacktest({ db, scanner: SCANNER, threads: 2, resultsDb, resume: id });
    expect(resumed.run.status).to.equal('completed');
    expect(resumed.signals).to.deep.equal(clean.signals);
  });

  describe('a sweep', () => {
    const grid = { 'trade.targetPct': [1, 2] };
    const readSweeps = (resultsDb: string) => {
      const d = new Database(resultsDb, { readonly: true });
      try {
        return d.prepare('SELECT id, status, finished_at FROM sweeps ORDER BY id').all() as { id: number; status: string; finished_at: string | null }[];
      } finally {
        d.close();
      }
    };

    it('results database refusing its ticker-days: every combination and the sweep end as error, the write error names `sweep --resume`, and the resume completes it', async () => {
      const resultsDb = file('sweep-refused.db');
      const refusing = refusingDays(resultsDb);
      const err = await caught(runSweep({ db, scanner: SCANNER, grid, threads: 2, resultsDb }));
      expect(err).to.be.instanceOf(BarwiseError);
      expect((err as BarwiseError).code).to.equal('RESULTS_WRITE');
      const [sweep] = readSweeps(resultsDb);
      expect((err as BarwiseError).hint).to.include(`npm run sweep -- --resume ${sweep.id}`);
      expect(sweep.status).to.equal('error');
      const rows = readRows(resultsDb);
      expect(rows.map((r) => r.status)).to.deep.equal(['error', 'error']);
      for (const r of rows) expect(r.ticker_days).to.equal(r.recorded);

      refusing.allow();
      const resumed = await runSweep({ resume: sweep.id, resultsDb });
      expect(resumed.status).to.equal('completed');
      expect(resumed.combinations.map((c) => c.result.signals)).to.deep.equal([clean.signals, clean.signals]);
    });

    it("a hook that throws once the rows exist: every combination and the sweep end as error, and the caller gets the hook's error", async () => {
      const resultsDb = file('sweep-hook.db');
      const thrown = new Error('the caller could not show the start');
      const err = await caught(runSweep({ db, scanner: SCANNER, grid, threads: 2, resultsDb }, { onStart: () => { throw thrown; } }));
      expect(err).to.equal(thrown);
      expect(readSweeps(resultsDb).map((s) => s.status)).to.deep.equal(['error']);
      expect(readRows(resultsDb).map((r) => r.status)).to.deep.equal(['error', 'error']);
    });
  });
});
