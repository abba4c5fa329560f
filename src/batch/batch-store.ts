/**
 * Batches in the results database, beside the runs they made: table `batches` (one row per batch run, with
 * its summary) and `batch_jobs` (each job's key and run). A job's row is written the moment its run starts,
 * so a batch killed at 3 a.m. still knows which run to continue.
 */
import Database from 'better-sqlite3';
import { BarwiseError } from '../errors.js';
import { ResultsDb } from '../results/results-db.js';
import { isProcessAlive } from '../engine/orphaned-scratch.js';
import type { SweepValue } from '../sweep/parse-param-spec.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS batches (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  config_file TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL,            -- running | completed | failed | interrupted
  pid INTEGER NOT NULL,
  summary_json TEXT
);
CREATE TABLE IF NOT EXISTS batch_jobs (
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  job TEXT NOT NULL,
  job_key TEXT,
  run_id INTEGER,
  status TEXT NOT NULL,
  error TEXT,
  PRIMARY KEY (batch_id, job)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS batch_jobs_key ON batch_jobs (job_key);
`;

export class BatchStore {
  private readonly db: Database.Database;

  constructor(readonly path: string) {
    if (path === ':memory:') {
      throw new BarwiseError('BATCH_CONFIG', 'a batch needs a results database file, not :memory:',
        'Pass --results-db with a file (default ~/.local/share/barwise/results.db, or $BARWISE_RESULTS_DB): that is where finished work is kept for --resume.');
    }
    new ResultsDb(path).close(); // creates the runs tables the queries below join
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  /** Records a new batch run; refuses while a batch of the same name is running in a live process. */
  startBatch(name: string, configFile: string): number {
    const running = this.db.prepare("SELECT id, pid FROM batches WHERE name = ? AND status = 'running'").all(name) as { id: number; pid: number }[];
    for (const r of running) {
      if (r.pid !== process.pid && isProcessAlive(r.pid)) {
        throw new BarwiseError('BATCH_RUNNING', `batch "${name}" is already running (batch #${r.id}, process ${r.pid})`,
          'Wait for it to finish, or stop that process; a killed batch is continued by running it again.');
      }
      this.db.prepare("UPDATE batches SET status = 'interrupted' WHERE id = ? AND status = 'running'").run(r.id);
    }
    return Number(this.db.prepare(
      "INSERT INTO batches (name, config_file, started_at, status, pid) VALUES (?, ?, ?, 'running', ?)",
    ).run(name, configFile, new Date().toISOString(), process.pid).lastInsertRowid);
  }

  recordJob(batchId: number, job: string, row: { key?: string; runId?: number; status: string; error?: string }): void {
    this.db.prepare(
      `INSERT INTO batch_jobs (batch_id, job, job_key, run_id, status, error) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (batch_id, job) DO UPDATE SET job_key = coalesce(excluded.job_key, job_key),
         run_id = coalesce(excluded.run_id, run_id), status = excluded.status, error = excluded.error`,
    ).run(batchId, job, row.key ?? null, row.runId ?? null, row.status, row.error ?? null);
  }

  /** The latest run any batch made for this job key, with its status as the runs table has it. */
  findLatestRun(key: string): { runId: number; status: string } | undefined {
    return this.db.prepare(
      `SELECT r.id AS runId, r.status AS status FROM batch_jobs j JOIN runs r ON r.id = j.run_id
       WHERE j.job_key = ? ORDER BY r.id DESC LIMIT 1`,
    ).get(key) as { runId: number; status: string } | undefined;
  }

  /**
   * The latest sweep any batch made for this job key (a sweep job records one of its combinations' runs,
   * which sweep_runs links to the sweep), with its status.
   */
  findLatestSweep(key: string): { sweepId: number; status: string } | undefined {
    return this.db.prepare(
      `SELECT s.id AS sweepId, s.status AS status FROM batch_jobs j JOIN sweep_runs r ON r.run_id = j.run_id JOIN sweeps s ON s.id = r.sweep_id
       WHERE j.job_key = ? ORDER BY s.id DESC LIMIT 1`,
    ).get(key) as { sweepId: number; status: string } | undefined;
  }

  /** A recorded sweep's combinations in order: run, values, the statistic `objective` of its stats, trades and counts. */
  readSweepCombinations(sweepId: number, objective: string): {
    index: number; runId: number; values: Record<string, SweepValue>; objective: number | null; trades: number;
    from: string; to: string; tickerDays: number; signals: number; failures: number;
  }[] {
    const rows = this.db.prepare(
      `SELECT r.combination AS idx, r.run_id AS runId, r.params_json AS params, u.stats_json AS stats, u.from_date AS fromDate, u.to_date AS toDate,
         u.ticker_days AS tickerDays, u.signal_count AS signals, u.failure_count AS failures,
         (SELECT COUNT(*) FROM trades t WHERE t.run_id = r.run_id) AS trades
       FROM sweep_runs r JOIN runs u ON u.id = r.run_id WHERE r.sweep_id = ? ORDER BY r.combination`,
    ).all(sweepId) as { idx: number; runId: number; params: string; stats: string | null; fromDate: string; toDate: string; tickerDays: number; signals: number; failures: number; trades: number }[];
    return rows.map((r) => {
      const value = r.stats ? (JSON.parse(r.stats) as Record<string, unknown>)[objective] : null;
      return {
        index: r.idx, runId: r.runId, values: JSON.parse(r.params) as Record<string, SweepValue>, objective: typeof value === 'number' && Number.isFinite(value) ? value : null,
        trades: r.trades, from: r.fromDate, to: r.toDate, tickerDays: r.tickerDays, signals: r.signals, failures: r.failures,
      };
    });
  }

  readRunCounts(runId: number): { ticker_days: number; signal_count: number; failure_count: number; from_date: string; to_date: string } | undefined {
    return this.db.prepare('SELECT ticker_days, signal_count, failure_count, from_date, to_date FROM runs WHERE id = ?').get(runId) as
      { ticker_days: number; signal_count: number; failure_count: number; from_date: string; to_date: string } | undefined;
  }

  finishBatch(batchId: number, status: string, summary: unknown): void {
    this.db.prepare('UPDATE batches SET status = ?, finished_at = ?, summary_json = ? WHERE id = ?')
      .run(status, new Date().toISOString(), JSON.stringify(summary), batchId);
  }

  close(): void {
    this.db.close();
  }
}
