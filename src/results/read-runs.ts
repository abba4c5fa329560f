/**
 * Reading recorded runs for `runs` and `runs --compare`, through a read-only connection: looking never
 * creates or changes a results database.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { BarwiseError } from '../errors.js';
import { MIGRATIONS, REQUIRED } from './results-db.js';
import { checkResultsFile } from './schema-version.js';

export interface RunRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  status: string;
  scanner: string;
  scanner_name: string;
  from_date: string;
  to_date: string;
  ticker_days: number | null;
  signal_count: number | null;
  failure_count: number | null;
  wall_ms: number | null;
  /** The batch job that made the run, if any. */
  job: string | null;
  /** realtime, naive or full-day. */
  mode: string;
  /** Tickers the run was asked to scan. */
  universe: number;
  /** With trade rules: the run's total P&L (net of costs); null when it did not trade or did not finish. */
  total_pnl: number | null;
}

/** What a comparison checks the two runs for: the same data, the same universe, the same scanner code. */
export interface RunInputs {
  db: string;
  tickers: string[];
  scanner_sha256: string | null;
}

export function openRunsReader(file: string): Database.Database {
  if (file === ':memory:' || !fs.existsSync(file)) {
    throw new BarwiseError('RUN_NOT_FOUND', `no results database at ${file}`,
      'Runs are recorded by `npm run backtest` and `npm run batch`; pass --results-db with the database they wrote.');
  }
  // The same check a run makes before writing: a file that is not SQLite, another program's database (a market
  // database passed by mistake) or a newer barwise's is named as such, not met with SQLite's own error.
  checkResultsFile(file, MIGRATIONS, REQUIRED, 'runs');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  if (!hasTable(db, 'runs')) {
    db.close();
    throw new BarwiseError('RUN_NOT_FOUND', `${file} holds no runs (an empty database)`,
      'Runs are recorded by `npm run backtest` and `npm run batch`; pass --results-db with the database they wrote.');
  }
  return db;
}

const hasTable = (db: Database.Database, name: string) =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

/** The latest runs first, optionally only those of one scanner (file path or name). */
export function listRuns(db: Database.Database, filter: { limit: number; scanner?: string }): RunRow[] {
  const job = hasTable(db, 'batch_jobs') ? '(SELECT job FROM batch_jobs j WHERE j.run_id = r.id ORDER BY batch_id DESC LIMIT 1)' : 'NULL';
  return db.prepare(
    `SELECT ${runColumns(db)}, ${job} AS job
     FROM runs r WHERE (@scanner IS NULL OR scanner = @scanner OR scanner_name = @scanner) ORDER BY id DESC LIMIT @limit`,
  ).all({ scanner: filter.scanner ?? null, limit: filter.limit }) as RunRow[];
}

export function readRunRow(db: Database.Database, id: number): RunRow {
  const row = listRunsById(db, id);
  if (!row) {
    throw new BarwiseError('RUN_NOT_FOUND', `run #${id} is not in ${db.name}`, 'List the recorded runs with `npm run runs`.');
  }
  return row;
}

/** The latest finished run of the same scanner (by name: paths differ between a batch and a shell) before `id` (what "last night" means for --compare N). */
export function findPreviousRun(db: Database.Database, id: number): RunRow | undefined {
  const run = readRunRow(db, id);
  const prev = db.prepare(
    "SELECT id FROM runs WHERE scanner_name = ? AND id < ? AND status IN ('completed', 'partial') ORDER BY id DESC LIMIT 1",
  ).pluck().get(run.scanner_name, id) as number | undefined;
  return prev === undefined ? undefined : readRunRow(db, prev);
}

function listRunsById(db: Database.Database, id: number): RunRow | undefined {
  return db.prepare(`SELECT ${runColumns(db)}, NULL AS job FROM runs r WHERE id = ?`).get(id) as RunRow | undefined;
}

/** The columns of a RunRow; databases written before runs had stats_json have no P&L. */
function runColumns(db: Database.Database): string {
  const stats = db.prepare("SELECT 1 FROM pragma_table_info('runs') WHERE name = 'stats_json'").get() !== undefined;
  return `id, started_at, finished_at, status, scanner, scanner_name, from_date, to_date, ticker_days, signal_count,
          failure_count, wall_ms, mode, COALESCE(json_array_length(inputs_json, '$.tickers'), 0) AS universe,
          ${stats ? "json_extract(stats_json, '$.total_pnl')" : 'NULL'} AS total_pnl`;
}

/** The recorded inputs a comparison checks (runs.inputs_json). */
export function readRunInputs(db: Database.Database, id: number): RunInputs {
  const json = db.prepare('SELECT inputs_json FROM runs WHERE id = ?').pluck().get(id) as string;
  const inputs = JSON.parse(json) as { db?: string; tickers?: string[]; scanner_sha256?: string };
  return { db: inputs.db ?? '', tickers: inputs.tickers ?? [], scanner_sha256: inputs.scanner_sha256 ?? null };
}

/** The ticker-days a run finished (done or skipped), as `TICKER|DATE`. */
export function readFinishedDays(db: Database.Database, id: number): Set<string> {
  const rows = db.prepare("SELECT ticker || '|' || date FROM run_days WHERE run_id = ? AND status IN ('done', 'skipped')").pluck().all(id) as string[];
  return new Set(rows);
}
