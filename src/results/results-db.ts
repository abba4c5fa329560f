/**
 * Every run is recorded in a results database (default one per user: src/results/default-results-db.ts): its inputs, counts and
 * timings, each finished ticker-day, signals and failures. Ticker-days are committed as their task
 * finishes, so an interrupted run keeps all it had done. Users query it with SQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BarwiseError } from '../errors.js';
import type { Failure, Signal, Trade } from '../types.js';
import type { Candidate, CandidateRecord } from '../portfolio/candidate.js';
import { markCandidate } from '../portfolio/candidate-marks.js';
import { decodeCandidate, type CandidateKey } from './candidate-row.js';
import { decodeDayCandidates, encodeDayCandidates } from '../portfolio/candidate-bytes.js';
import { decodePricePath, type PricePath } from '../portfolio/price-path.js';
import { foldTradeContext, type TradeContext } from '../portfolio/trade-context.js';
import type { EquityPoint } from '../stats/equity-curve.js';
import type { DayOutcome } from '../runtime/task-types.js';
import type { RunStatus } from '../engine/run-result.js';
import { compareTrades, FAILURE_ORDER_SQL, SIGNAL_ORDER_SQL, TRADE_ORDER_SQL } from '../merge/signal-order.js';
import { formatResumeCommand } from './resume-command.js';
import { JsonOnce, orderPendingRows, type PendingTask } from './order-pending-rows.js';
import { checkResultsFile, migrate, type Migration, type RequiredColumns } from './schema-version.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL,            -- running | completed | partial | interrupted | error
  scanner TEXT NOT NULL,
  scanner_name TEXT NOT NULL,
  db TEXT NOT NULL,
  from_date TEXT NOT NULL,
  to_date TEXT NOT NULL,
  threads INTEGER NOT NULL,
  warmup INTEGER NOT NULL,
  mode TEXT NOT NULL,
  version TEXT NOT NULL,
  inputs_json TEXT NOT NULL,       -- the whole resolved input, as in the JSON output's run
  ticker_days INTEGER,
  steps INTEGER,
  signal_count INTEGER,
  failure_count INTEGER,
  wall_ms REAL,
  stats_json TEXT,                 -- with --trade: the run's trade statistics (docs/trades.md)
  plan_json TEXT,                  -- the run plan (src/plan/run-plan.ts): what a resume must match
  plan_hash TEXT                   -- its identity: SHA-256 of the plan without speed-only options
);
CREATE TABLE IF NOT EXISTS run_days (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  ticker TEXT NOT NULL,
  date TEXT NOT NULL,
  bars INTEGER NOT NULL,
  steps INTEGER NOT NULL,
  status TEXT NOT NULL,            -- done | skipped | failed
  span_start INTEGER,              -- with --trade: first bar start and last bar end (epoch ms), for exposure
  span_end INTEGER,
  untraded_json TEXT,              -- with --trade: the day's untraded signals by reason
  -- (version 4 adds prices BLOB: with --trade, the bars the day's candidates hold in full, src/portfolio/price-path.ts;
  --  version 8 candidates BLOB: with --trade, the day's candidate trades, src/portfolio/candidate-bytes.ts)
  PRIMARY KEY (run_id, ticker, date)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS signals (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  ticker TEXT NOT NULL,
  signal_date TEXT NOT NULL,
  signal_time TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  direction TEXT,
  pattern_strength REAL,
  metrics_json TEXT NOT NULL,
  PRIMARY KEY (run_id, ${SIGNAL_ORDER_SQL})  -- the total order (signal-order.ts)
) WITHOUT ROWID;  -- (version 6 renames it signal_rows, shared by runs with the same signals, and makes signals a view: shareSignalRows)
CREATE TABLE IF NOT EXISTS failures (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  ticker TEXT NOT NULL,
  date TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (run_id, ticker, date)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS trades (  -- with --trade: one per traded signal; columns as in docs/trades.md
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  ticker TEXT NOT NULL,
  date TEXT NOT NULL,
  direction TEXT NOT NULL,
  signal_time TEXT NOT NULL,
  signal_ts INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  entry_time TEXT NOT NULL,
  entry_ts INTEGER NOT NULL,
  entry_price REAL NOT NULL,
  exit_time TEXT NOT NULL,
  exit_ts INTEGER NOT NULL,
  exit_price REAL NOT NULL,
  exit_reason TEXT NOT NULL,
  bars_held INTEGER NOT NULL,
  shares INTEGER NOT NULL,
  commission REAL NOT NULL,
  pnl REAL NOT NULL,
  return_pct REAL NOT NULL,
  r_multiple REAL,
  mae_pct REAL NOT NULL,
  mfe_pct REAL NOT NULL,
  PRIMARY KEY (run_id, ${TRADE_ORDER_SQL})  -- the signal's total order (signal-order.ts)
) WITHOUT ROWID;
`;

/** The results schema's versions (see schema-version.ts): append one entry per change, never edit one. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, describe: 'runs, run_days, signals, failures and trades', up: (db) => db.exec(SCHEMA) },
  { version: 2, describe: 'the trade and run-plan columns of runs and run_days, for databases written before they existed', up: addMissingColumns },
  { version: 3, describe: 'the portfolio pass: candidate trades, the mark-to-market equity series, trades.slippage', up: addPortfolioTables },
  { version: 4, describe: 'run_days.prices: the price path candidates are marked at, once per ticker-day', up: addPricePaths },
  { version: 5, describe: 'sweeps: one row per sweep, linking the runs of its combinations', up: addSweepTables },
  { version: 6, describe: 'signal rows shared by runs with the same signals (runs.signals_of); signals is a view of each run\'s', up: shareSignalRows },
  { version: 7, describe: 'candidates.candidate_values: a candidate\'s numbers as bytes, its texts in candidate_json (candidate-row.ts)', up: addCandidateValues },
  { version: 8, describe: 'run_days.candidates: a ticker-day\'s candidates as bytes in its row (candidate-bytes.ts); the candidates table keeps older rows', up: addDayCandidates },
];

/** What a database must have to be taken for barwise's: the columns every version had. */
export const REQUIRED: RequiredColumns = {
  runs: ['id', 'started_at', 'status', 'scanner', 'db', 'from_date', 'to_date', 'inputs_json'],
  run_days: ['run_id', 'ticker', 'date', 'bars', 'steps', 'status'],
  signals: ['run_id', 'ticker', 'signal_date', 'signal_time', 'timestamp', 'seq', 'metrics_json'],
  signal_rows: ['run_id', 'ticker', 'signal_date', 'signal_time', 'timestamp', 'seq', 'metrics_json'],
  failures: ['run_id', 'ticker', 'date', 'code', 'message'],
};

/**
 * Another process writing the results database (a sqlite3 shell in a transaction, a second barwise) holds
 * its write lock. Each write waits up to BUSY_WAIT_MS inside SQLite, is retried with a growing pause, and
 * gives up only after LOCK_GIVE_UP_MS; the batch of finished ticker-days is kept meanwhile.
 */
const BUSY_WAIT_MS = 250;
const LOCK_GIVE_UP_MS = 20_000;

/** Columns of the trades table, in the order of the Trade type. */
export const TRADE_COLUMNS = [
  'ticker', 'date', 'direction', 'signal_time', 'signal_ts', 'seq', 'entry_time', 'entry_ts', 'entry_price', 'exit_time',
  'exit_ts', 'exit_price', 'exit_reason', 'bars_held', 'shares', 'commission', 'slippage', 'pnl', 'return_pct', 'r_multiple', 'mae_pct', 'mfe_pct',
] as const satisfies readonly (keyof Trade)[];

export interface RunRecord {
  started_at: string;
  scanner: string;
  scanner_name: string;
  db: string;
  from_date: string;
  to_date: string;
  threads: number;
  warmup: number;
  mode: string;
  version: string;
  inputs: unknown;
  plan: unknown;
  plan_hash: string;
}

export interface RunTotals {
  status: RunStatus;
  finished_at: string;
  ticker_days: number;
  steps: number;
  signal_count: number;
  failure_count: number;
  wall_ms: number;
  /** Trade statistics, when the run traded its signals. */
  stats?: unknown;
  /** The portfolio pass's trades and equity series: they replace the run's recorded ones. */
  portfolio?: { trades: readonly Trade[]; equity: readonly EquityPoint[] };
}

export class ResultsDb {
  private readonly db: Database.Database;
  readonly path: string;

  constructor(file: string) {
    this.path = file;
    // Checked before anything is written: a foreign or newer file is refused as it is.
    if (file !== ':memory:' && fs.existsSync(file)) checkResultsFile(file, MIGRATIONS, REQUIRED, 'runs');
    try {
      if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      this.db = new Database(file, { timeout: BUSY_WAIT_MS });
    } catch (err) {
      throw new BarwiseError('RESULTS_WRITE', `cannot open results database ${file}: ${(err as Error).message}`,
        'Pass --results-db with a writable path.');
    }
    try {
      this.write(() => {
        // Before the first table of a new file (a no-op on one that has tables): a run's run_days rows are a few
        // hundred bytes each with --trade (its price path and candidates), and on 8 KiB pages inserting them
        // cost 0.75 s against 1.24 s on the default 4 KiB (16 x 20,460 rows of 405 bytes of blobs, in flushes of
        // 100 tickers of every run, as a sweep's come).
        this.db.pragma('page_size = 8192');
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = NORMAL');
        this.db.pragma('foreign_keys = ON');
        migrate(this.db, MIGRATIONS);
      });
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  /** The run being written, for the resume command in a message; set by startRun and reopenRun. */
  private activeRun: number | null = null;
  /** The command that continues what is written, when it is not the active run's (a sweep's): continueWith. */
  private resumeCommand: string | null = null;
  /** Since when writes find the database locked (null: they do not). */
  private lockedSince: number | null = null;
  /** A write gave up on the lock: later ones try once, so a run that failed on it ends without waiting again. */
  private gaveUp = false;

  /** Messages about failed writes offer `command` to continue (a sweep's resume, rather than its last run's). */
  continueWith(command: string): void {
    this.resumeCommand = command;
  }

  /**
   * Records a new run. `signalsOf`: a run recording the very same signals in this session (a sweep's combination
   * sharing that one's scan): this run's signals are that run's rows (runs.signals_of), and the signals its
   * recordTask calls carry are not written a second time.
   */
  startRun(r: RunRecord, signalsOf?: number): number {
    const info = this.write(() => this.db.prepare(
      `INSERT INTO runs (started_at, status, scanner, scanner_name, db, from_date, to_date, threads, warmup, mode, version, inputs_json, plan_json, plan_hash, signals_of)
       VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(r.started_at, r.scanner, r.scanner_name, r.db, r.from_date, r.to_date, r.threads, r.warmup, r.mode, r.version, JSON.stringify(r.inputs),
      JSON.stringify(r.plan), r.plan_hash, signalsOf ?? null));
    this.activeRun = Number(info.lastInsertRowid);
    if (signalsOf !== undefined) this.signalsWrittenElsewhere.add(this.activeRun);
    return this.activeRun;
  }

  /**
   * For a reopened run: when its signals are the rows of run `owner` (runs.signals_of) and `owner` records the
   * same signals in this session, its recordTask calls stop writing them again. False (and nothing changes)
   * for a run with rows of its own (one recorded before the rows were shared, or by a plain backtest).
   */
  shareSignalsWhileRecording(runId: number, owner: number): boolean {
    if (this.readSignalsOf(runId) !== owner) return false;
    this.signalsWrittenElsewhere.add(runId);
    return true;
  }

  /** The run whose signal rows run `runId`'s signals are: itself, unless it shares another's (runs.signals_of). */
  private signalSet(runId: number): number {
    let set = this.signalSets.get(runId);
    if (set === undefined) this.signalSets.set(runId, (set = this.readSignalsOf(runId) ?? runId));
    return set;
  }

  private readSignalsOf(runId: number): number | null {
    return (this.db.prepare('SELECT signals_of FROM runs WHERE id = ?').pluck().get(runId) as number | null | undefined) ?? null;
  }

  private readonly signalSets = new Map<number, number>();
  /** Runs whose signals another run of this session writes (startRun's `signalsOf`, shareSignalsWhileRecording). */
  private readonly signalsWrittenElsewhere = new Set<number>();

  private pending: PendingTask[] = [];

  /**
   * Queues one task's outcome (its days, merged signals and failures); flush() commits what is queued in one
   * transaction. The engine flushes every few hundred milliseconds and at the end: a commit per task would
   * cost the main thread ~0.5 ms each, time taken from the workers on a machine with as many cores as threads.
   */
  recordTask(runId: number, ticker: string, days: readonly DayOutcome[], signals: readonly Signal[], failures: readonly Failure[]): void {
    this.pending.push({ runId, ticker, days, signals: this.signalsWrittenElsewhere.has(runId) ? [] : signals, failures });
  }

  /**
   * Commits what is queued, waiting out another process's lock (up to LOCK_GIVE_UP_MS). On failure the queue
   * is kept whole: nothing finished is dropped, and a later flush writes it.
   */
  flush(): void {
    if (this.pending.length > 0) this.write(() => this.commitPending(() => {}));
  }

  /**
   * The engine's periodic flush: one attempt, so a locked database never stalls the main thread (and with it
   * the step watchdog) for long. Returns false while the database is locked; throws once it has been locked
   * for LOCK_GIVE_UP_MS, or on any other error.
   */
  flushIfFree(): boolean {
    if (this.pending.length === 0) return true;
    try {
      this.commitPending(() => {});
      this.lockedSince = null;
      return true;
    } catch (err) {
      if (!isBusy(err)) throw this.describeWriteError(err);
      this.lockedSince ??= Date.now();
      if (Date.now() - this.lockedSince < LOCK_GIVE_UP_MS) return false;
      this.gaveUp = true;
      throw this.describeWriteError(err);
    }
  }

  /**
   * Writes the queued outcomes and then `also`, in one transaction; only once it committed do they leave the
   * queue, so a failed commit (locked, disk full) loses nothing.
   */
  private commitPending(also: () => void): void {
    const batch = this.pending.slice();
    const day = this.stmt(
      `INSERT OR REPLACE INTO run_days (run_id, ticker, date, bars, steps, status, span_start, span_end, untraded_json, prices, candidates)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const sig = this.stmt(
      `INSERT OR REPLACE INTO signal_rows (run_id, ticker, signal_date, signal_time, timestamp, seq, direction, pattern_strength, metrics_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const fail = this.stmt('INSERT OR REPLACE INTO failures (run_id, ticker, date, code, message) VALUES (?, ?, ?, ?, ?)');
    // Each table's rows run by run, in key order task by task (order-pending-rows.ts): the signals and run_days
    // b-trees are then filled at few places instead of at as many as the batch has runs and dates.
    const rows = orderPendingRows(batch);
    const metricsJson = new JsonOnce();
    // Without the per-row check of `REFERENCES runs(id)`: every row queued here is of a run this connection
    // started or reopened, barwise deletes no run, and run ids are AUTOINCREMENT (never reused), so the parent
    // lookup SQLite makes for each inserted row finds what it always finds. It was 22% of a sweep's flushes
    // (16 runs x 20,460 days and as many signals into :memory:: 2.6 s -> 2.0 s). Enforcement is back on for
    // every other statement, where a deleted run's rows go with it (ON DELETE CASCADE). Inside an outer
    // transaction the pragma is a no-op and the checks simply stay.
    this.db.pragma('foreign_keys = OFF');
    try {
      this.db.transaction(() => {
        for (const { runId, ticker, d } of rows.days) {
          day.run(runId, ticker, d.date, d.bars, d.steps, d.error ? 'failed' : d.skipped ? 'skipped' : 'done',
            d.span?.[0] ?? null, d.span?.[1] ?? null, d.untraded && Object.keys(d.untraded).length ? JSON.stringify(d.untraded) : null,
            // The worker's byte views as they are: better-sqlite3 binds a Uint8Array (its view, not its whole
            // buffer) as a BLOB, so no Buffer is made per blob (0.25 s of a 16-combination sweep's flushes).
            d.prices ?? null, d.candidates ?? null);
        }
        for (const { runId, s } of rows.signals) {
          sig.run(this.signalSet(runId), s.ticker, s.signal_date, s.signal_time, s.timestamp, s.seq, s.direction, s.pattern_strength, metricsJson.of(s.metrics));
        }
        for (const { runId, f } of rows.failures) fail.run(runId, f.ticker, f.date, f.code, f.message);
        also();
      })();
    } finally {
      this.db.pragma('foreign_keys = ON');
    }
    this.pending.splice(0, batch.length);
  }

  /** Records a sweep (src/sweep) and returns its id; its combinations' runs are linked with linkSweepRun. */
  startSweep(r: { started_at: string; objective: string; spec: unknown }): number {
    const info = this.write(() => this.db.prepare("INSERT INTO sweeps (started_at, status, objective, spec_json) VALUES (?, 'running', ?, ?)")
      .run(r.started_at, r.objective, JSON.stringify(r.spec)));
    return Number(info.lastInsertRowid);
  }

  linkSweepRun(sweepId: number, combination: number, runId: number, values: unknown): void {
    this.write(() => this.stmt('INSERT INTO sweep_runs (sweep_id, combination, run_id, params_json) VALUES (?, ?, ?, ?)')
      .run(sweepId, combination, runId, JSON.stringify(values)));
  }

  finishSweep(sweepId: number, status: RunStatus, finishedAt: string): void {
    this.write(() => this.db.prepare('UPDATE sweeps SET status = ?, finished_at = ? WHERE id = ?').run(status, finishedAt, sweepId));
  }

  /** A sweep's row, null when there is none: what `sweep --resume` continues. */
  readSweep(sweepId: number): { id: number; status: RunStatus | 'running'; objective: string; spec: unknown } | null {
    const row = this.db.prepare('SELECT id, status, objective, spec_json FROM sweeps WHERE id = ?').get(sweepId) as
      { id: number; status: RunStatus | 'running'; objective: string; spec_json: string } | undefined;
    return row ? { id: row.id, status: row.status, objective: row.objective, spec: JSON.parse(row.spec_json) as unknown } : null;
  }

  /** A sweep continued (`sweep --resume`) is running again until it finishes; its runs are reopened one by one. */
  reopenSweep(sweepId: number): void {
    this.write(() => this.db.prepare("UPDATE sweeps SET status = 'running', finished_at = NULL WHERE id = ?").run(sweepId));
  }

  /** A sweep's combinations in order: their run ids and parameter values. */
  readSweepRuns(sweepId: number): { combination: number; runId: number; values: Record<string, unknown> }[] {
    const rows = this.db.prepare('SELECT combination, run_id, params_json FROM sweep_runs WHERE sweep_id = ? ORDER BY combination').all(sweepId) as
      { combination: number; run_id: number; params_json: string }[];
    return rows.map((r) => ({ combination: r.combination, runId: r.run_id, values: JSON.parse(r.params_json) as Record<string, unknown> }));
  }

  /** Keeps only the first `max` signals in the total order. */
  capSignals(runId: number, max: number): void {
    this.flush();
    // Runs sharing signal rows have the same signals, so the same first `max`: capping the rows caps them all.
    const set = this.signalSet(runId);
    this.write(() => this.db.prepare(
      `DELETE FROM signal_rows WHERE run_id = ? AND (${SIGNAL_ORDER_SQL}) NOT IN (
         SELECT ${SIGNAL_ORDER_SQL} FROM signal_rows WHERE run_id = ? ORDER BY ${SIGNAL_ORDER_SQL} LIMIT ?)`,
    ).run(set, set, max));
    // A candidate goes with its signal: the portfolio pass only sees the kept ones; a day left without any
    // drops its price path too.
    this.write(() => this.db.transaction(() => {
      const keptKeys = new Set((this.db.prepare(`SELECT ${SIGNAL_ORDER_SQL} FROM signal_rows WHERE run_id = ?`).raw().all(set) as unknown[][]).map((k) => k.join('|')));
      const update = this.db.prepare('UPDATE run_days SET candidates = ? WHERE run_id = ? AND ticker = ? AND date = ?');
      const days = this.db.prepare('SELECT ticker, date, candidates FROM run_days WHERE run_id = ? AND candidates IS NOT NULL').all(runId) as
        { ticker: string; date: string; candidates: Buffer }[];
      for (const d of days) {
        const all = this.decodeDay(runId, d.ticker, d.date, d.candidates);
        const left = all.filter((c) => keptKeys.has([c.date, c.signal_ts, c.ticker, c.seq].join('|')));
        if (left.length < all.length) update.run(left.length > 0 ? encodeDayCandidates(left) : null, runId, d.ticker, d.date);
      }
      this.db.prepare(
        `DELETE FROM candidates WHERE run_id = ? AND (${TRADE_ORDER_SQL}) NOT IN (SELECT ${SIGNAL_ORDER_SQL} FROM signal_rows WHERE run_id = ?)`,
      ).run(runId, set);
      this.db.prepare(
        `UPDATE run_days SET prices = NULL WHERE run_id = ? AND prices IS NOT NULL AND candidates IS NULL AND NOT EXISTS (
           SELECT 1 FROM candidates c WHERE c.run_id = run_days.run_id AND c.ticker = run_days.ticker AND c.date = run_days.date)`,
      ).run(runId);
    })());
  }

  /**
   * Candidate trades in the total order of their signals, with their marks: what the portfolio pass runs over.
   * Each ticker-day's price path is decoded once for all of its candidates.
   */
  readCandidates(runId: number): Candidate[] {
    this.flush();
    const paths = new Map<string, PricePath>();
    const all: CandidateRecord[] = [];
    const days = this.db.prepare('SELECT ticker, date, prices, candidates FROM run_days WHERE run_id = ? AND (prices IS NOT NULL OR candidates IS NOT NULL)').all(runId) as
      { ticker: string; date: string; prices: Buffer | null; candidates: Buffer | null }[];
    /** The ticker-days whose candidates are in their row: the latest record of the day, over any older rows of the candidates table. */
    const inRows = new Set<string>();
    for (const r of days) {
      const key = `${r.ticker}|${r.date}`;
      if (r.prices) {
        try {
          paths.set(key, decodePricePath(r.prices));
        } catch (err) {
          throw this.damaged(runId, `the stored price path of ${r.ticker} ${r.date} is damaged`, err);
        }
      }
      if (r.candidates) {
        inRows.add(key);
        for (const c of this.decodeDay(runId, r.ticker, r.date, r.candidates)) all.push(c);
      }
    }
    // Rows of versions 3 to 7: a candidate per row (candidate-row.ts); a version 3 one carries its own marks.
    const rows = this.db.prepare(`SELECT ${TRADE_ORDER_SQL}, candidate_json, candidate_values, marks FROM candidates WHERE run_id = ?`).all(runId) as
      (CandidateKey & { candidate_json: string; candidate_values: Buffer | null; marks: Buffer })[];
    const ownMarks = new Map<CandidateRecord, Float64Array>();
    for (const r of rows) {
      if (inRows.has(`${r.ticker}|${r.date}`)) continue;
      let record: CandidateRecord;
      try {
        record = decodeCandidate(r);
      } catch (err) {
        throw this.damaged(runId, `the stored candidate of ${r.ticker} ${r.date} is damaged`, err);
      }
      // A version 3 row: its marks are its own, none when it held no bar in full (its record names no bars of a
      // path). A copy, not a view: SQLite's buffer need not be aligned to 8 bytes.
      if (r.marks.length > 0 || record.marks_count === undefined) ownMarks.set(record, new Float64Array(new Uint8Array(r.marks).buffer));
      all.push(record);
    }
    return all.sort(compareTrades).map((record) => {
      const marks = ownMarks.get(record);
      if (marks) return { ...record, marks } as Candidate;
      try {
        return markCandidate(record, paths.get(`${record.ticker}|${record.date}`));
      } catch (err) {
        throw this.damaged(runId, 'a candidate cannot be marked', err);
      }
    });
  }

  /** A ticker-day's candidates from its run_days row. */
  private decodeDay(runId: number, ticker: string, date: string, bytes: Buffer): CandidateRecord[] {
    try {
      return decodeDayCandidates(bytes);
    } catch (err) {
      throw this.damaged(runId, `the stored candidates of ${ticker} ${date} are damaged`, err);
    }
  }

  private damaged(runId: number, what: string, err: unknown): BarwiseError {
    return new BarwiseError('RESULTS_SCHEMA',
      `results database ${this.path}, run ${runId}: ${what}: ${(err as Error).message}`,
      'The file was changed outside barwise. Its signals and ticker-days are kept; to trade them, run the backtest again into a new --results-db.');
  }

  /** The run's mark-to-market equity series, in time order (empty for a run recorded without one). */
  readEquity(runId: number): EquityPoint[] {
    this.flush();
    return this.db.prepare('SELECT ts, equity FROM equity_points WHERE run_id = ? ORDER BY i').all(runId) as EquityPoint[];
  }

  /** Trades in the total order of their signals (signal-order.ts). */
  readTrades(runId: number): Trade[] {
    this.flush();
    return this.db.prepare(
      `SELECT ${TRADE_COLUMNS.join(', ')} FROM trades WHERE run_id = ? ORDER BY ${TRADE_ORDER_SQL}`,
    ).all(runId) as Trade[];
  }

  /** The last ticker-days and the run's totals in one transaction: the runs row never disagrees with run_days. */
  finishRun(runId: number, t: RunTotals): void {
    this.write(() => this.commitPending(() => {
      this.db.prepare(
        `UPDATE runs SET status = ?, finished_at = ?, ticker_days = ?, steps = ?, signal_count = ?, failure_count = ?, wall_ms = ?,
         stats_json = ? WHERE id = ?`,
      ).run(t.status, t.finished_at, t.ticker_days, t.steps, t.signal_count, t.failure_count, t.wall_ms,
        t.stats === undefined ? null : JSON.stringify(t.stats), runId);
      if (t.portfolio) {
        this.db.prepare('DELETE FROM trades WHERE run_id = ?').run(runId);
        this.db.prepare('DELETE FROM equity_points WHERE run_id = ?').run(runId);
        const trade = this.stmt(`INSERT INTO trades (run_id, ${TRADE_COLUMNS.join(', ')}) VALUES (?${', ?'.repeat(TRADE_COLUMNS.length)})`);
        for (const x of t.portfolio.trades) trade.run(runId, ...TRADE_COLUMNS.map((c) => x[c]));
        const point = this.stmt('INSERT INTO equity_points (run_id, i, ts, equity) VALUES (?, ?, ?, ?)');
        t.portfolio.equity.forEach((p, i) => point.run(runId, i, p.ts, p.equity));
      }
    }));
  }

  /**
   * Ends runs (and the sweep they are the combinations of) that an error stopped before finishRun could end
   * them: status error, their counts those of the rows committed, everything committed kept, so that `runs`
   * and a resume never see a run still `running` that nothing runs. The queued ticker-days are committed with
   * the ending when they can be; when they cannot (the error may be theirs: a full disk, a trigger refusing
   * them) the rows are ended without them and they are dropped (a resume runs those days again). A run or
   * sweep already ended is left as it is. Throws when even the ending cannot be written.
   */
  endWithError(runIds: readonly number[], finishedAt: string, wallMs: number, sweepId?: number): void {
    const end = () => {
      const run = this.stmt(
        `UPDATE runs SET status = 'error', finished_at = @at, wall_ms = @wall,
           ticker_days = (SELECT COUNT(*) FROM run_days WHERE run_id = @id),
           steps = (SELECT COALESCE(SUM(steps), 0) FROM run_days WHERE run_id = @id),
           signal_count = (SELECT COUNT(*) FROM signals WHERE run_id = @id),
           failure_count = (SELECT COUNT(*) FROM failures WHERE run_id = @id)
         WHERE id = @id AND status = 'running'`,
      );
      for (const id of runIds) run.run({ id, at: finishedAt, wall: wallMs });
      if (sweepId !== undefined) this.stmt("UPDATE sweeps SET status = 'error', finished_at = ? WHERE id = ? AND status = 'running'").run(finishedAt, sweepId);
    };
    const ending = new Set(runIds);
    try {
      this.write(() => this.commitPending(end));
    } catch {
      this.pending = this.pending.filter((p) => !ending.has(p.runId));
      this.write(() => this.db.transaction(end)());
    } finally {
      this.pending = this.pending.filter((p) => !ending.has(p.runId));
    }
  }

  /** Signals in their total order (signal-order.ts). */
  readSignals(runId: number): Signal[] {
    this.flush();
    const rows = this.db.prepare(
      `SELECT ticker, signal_date, signal_time, timestamp, seq, direction, pattern_strength, metrics_json
       FROM signal_rows WHERE run_id = ? ORDER BY ${SIGNAL_ORDER_SQL}`,
    ).raw().all(this.signalSet(runId)) as [string, string, string, number, number, Signal['direction'], number | null, string][];
    // Rows as arrays, each signal built in one literal (not a row object spread into another): on the universe's
    // 19k ORB signals this read takes 0.45x the CPU, and what reads the signals next (the warmup trap, the --out
    // JSON) 0.45-0.65x, since every signal then has the same shape (measured in one process, alternating).
    return rows.map((r) => ({
      ticker: r[0], signal_date: r[1], signal_time: r[2], timestamp: r[3], seq: r[4], direction: r[5], pattern_strength: r[6],
      metrics: JSON.parse(r[7]) as Record<string, unknown>,
    }));
  }

  readFailures(runId: number): Failure[] {
    this.flush();
    return this.db.prepare(
      `SELECT ticker, date, code, message FROM failures WHERE run_id = ? ORDER BY ${FAILURE_ORDER_SQL}`,
    ).all(runId) as Failure[];
  }

  /** The ticker-days a run finished (done or skipped), in (ticker, date) order: what an audit may compare. */
  readFinishedDays(runId: number): { ticker: string; date: string }[] {
    this.flush();
    return this.db.prepare(
      "SELECT ticker, date FROM run_days WHERE run_id = ? AND status IN ('done', 'skipped') ORDER BY ticker, date",
    ).all(runId) as { ticker: string; date: string }[];
  }

  /** A recorded run's status, inputs and plan (null for a run recorded without one), or undefined when there is no such run. */
  readRun(runId: number): { id: number; status: string; inputs: Record<string, unknown>; plan: unknown; planHash: string | null } | undefined {
    const row = this.db.prepare('SELECT id, status, inputs_json, plan_json, plan_hash FROM runs WHERE id = ?').get(runId) as
      { id: number; status: string; inputs_json: string; plan_json: string | null; plan_hash: string | null } | undefined;
    return row && { id: row.id, status: row.status, inputs: JSON.parse(row.inputs_json), plan: row.plan_json === null ? null : JSON.parse(row.plan_json), planHash: row.plan_hash };
  }

  /**
   * Prepares a run to be continued: its failures and failed ticker-days are forgotten (they are retried), as
   * are signals of ticker-days that did not finish; the ticker-days that did (done or skipped) are returned.
   */
  reopenRun(runId: number): { ticker: string; date: string; steps: number; status: 'done' | 'skipped' }[] {
    this.flush();
    this.activeRun = runId;
    return this.write(() => this.db.transaction(() => {
      this.db.prepare('DELETE FROM failures WHERE run_id = ?').run(runId);
      this.db.prepare("DELETE FROM run_days WHERE run_id = ? AND status NOT IN ('done', 'skipped')").run(runId);
      // Shared signal rows (runs.signals_of) stay while any run sharing them holds their ticker-day.
      this.db.prepare(
        `DELETE FROM signal_rows WHERE run_id = @set AND NOT EXISTS (
           SELECT 1 FROM run_days d WHERE d.run_id IN (SELECT id FROM runs WHERE id = @set OR signals_of = @set)
             AND d.ticker = signal_rows.ticker AND d.date = signal_rows.signal_date AND d.status IN ('done', 'skipped'))`,
      ).run({ set: this.signalSet(runId) });
      this.db.prepare(
        `DELETE FROM candidates WHERE run_id = ? AND NOT EXISTS (
           SELECT 1 FROM run_days d WHERE d.run_id = candidates.run_id AND d.ticker = candidates.ticker AND d.date = candidates.date)`,
      ).run(runId);
      // Trades and equity come from the portfolio pass over all candidates, run again when the run finishes.
      this.db.prepare('DELETE FROM trades WHERE run_id = ?').run(runId);
      this.db.prepare('DELETE FROM equity_points WHERE run_id = ?').run(runId);
      this.db.prepare("UPDATE runs SET status = 'running', finished_at = NULL WHERE id = ?").run(runId);
      return this.db.prepare('SELECT ticker, date, steps, status FROM run_days WHERE run_id = ? ORDER BY ticker, date').all(runId) as
        { ticker: string; date: string; steps: number; status: 'done' | 'skipped' }[];
    })());
  }

  /**
   * What the statistics need besides the trades, read back from the recorded days (so a continued run counts
   * the days it finished before it was stopped): untraded signals by reason, and each date's session span
   * over all tickers, in date order.
   */
  readTradeContext(runId: number): TradeContext {
    this.flush();
    const rows = this.db.prepare(
      'SELECT date, span_start, span_end, untraded_json FROM run_days WHERE run_id = ? ORDER BY date, ticker',
    ).all(runId) as { date: string; span_start: number | null; span_end: number | null; untraded_json: string | null }[];
    return foldTradeContext(rows.map((r) => ({
      date: r.date,
      span: r.span_start === null || r.span_end === null ? null : [r.span_start, r.span_end],
      untraded: r.untraded_json ? JSON.parse(r.untraded_json) as Record<string, number> : null,
    })));
  }

  close(): void {
    try {
      this.flush();
    } finally {
      this.db.close();
    }
  }

  private readonly statements = new Map<string, Database.Statement>();
  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  /** Runs a write, waiting out another process's lock with a growing pause; errors say what happened. */
  private write<T>(fn: () => T): T {
    const start = Date.now();
    for (let pause = 50; ; pause = Math.min(pause * 2, 1000)) {
      try {
        const result = fn();
        this.lockedSince = null;
        return result;
      } catch (err) {
        if (err instanceof BarwiseError) throw err;
        if (!isBusy(err) || this.gaveUp || Date.now() - start >= LOCK_GIVE_UP_MS) {
          if (isBusy(err)) this.gaveUp = true;
          throw this.describeWriteError(err);
        }
        sleepSync(pause);
      }
    }
  }

  private describeWriteError(err: unknown): BarwiseError {
    const e = err as Error & { code?: string };
    const command = this.resumeCommand ?? (this.activeRun === null ? null : formatResumeCommand(this.activeRun, this.path));
    const resume = command === null ? '' : ` Then continue with: ${command}`;
    if (isBusy(err)) {
      return new BarwiseError('RESULTS_LOCKED',
        `results database ${this.path} stayed locked by another process for ${LOCK_GIVE_UP_MS / 1000} s (${e.message})`,
        `Finish or close what holds it (a sqlite3 shell inside a transaction, another program writing it); ticker-days committed before are kept.${resume}`);
    }
    const full = e.code === 'SQLITE_FULL' ? ' (the disk is full)' : '';
    return new BarwiseError('RESULTS_WRITE', `cannot write to results database ${this.path}${full}: ${e.message}`,
      `${full ? 'Free disk space' : 'Check that the file and its directory are writable'} or pass --results-db with another path; ticker-days committed before this point are kept.${resume}`);
  }
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Candidates are kept as JSON; version 3 kept their per-bar marks as the bytes of their Float64Array (version 4
 * keeps them once per ticker-day: addPricePaths). Only the pass reads them. The equity series is one row per
 * instant; `i` orders it (the first point repeats the first instant, with the capital).
 */
function addPortfolioTables(db: Database.Database): void {
  db.exec(`
CREATE TABLE IF NOT EXISTS candidates (  -- with --trade, versions 3 to 7: each signal's candidate trade (from 8: run_days.candidates)
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  date TEXT NOT NULL,
  signal_ts INTEGER NOT NULL,
  ticker TEXT NOT NULL,
  seq INTEGER NOT NULL,
  candidate_json TEXT NOT NULL,   -- the candidate without its marks (from version 7 its texts only: candidate-row.ts)
  marks BLOB NOT NULL,            -- version 3 only: Candidate.marks as float64 values, 4 per bar held in full; empty from version 4 (run_days.prices)
  PRIMARY KEY (run_id, ${TRADE_ORDER_SQL})
);  -- a rowid table: rows of kilobytes bloat a WITHOUT ROWID b-tree (universe run: 91 MB against 67 MB)
CREATE TABLE IF NOT EXISTS equity_points (  -- with --trade: mark-to-market equity in time (docs/trades.md)
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  i INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  equity REAL NOT NULL,
  PRIMARY KEY (run_id, i)
) WITHOUT ROWID;`);
  const have = db.prepare("SELECT name FROM pragma_table_info('trades')").pluck().all() as string[];
  if (have.length > 0 && !have.includes('slippage')) db.exec('ALTER TABLE trades ADD COLUMN slippage REAL');
}

/**
 * The price path of a ticker-day with candidates (src/portfolio/price-path.ts), in its run_days row: the bars
 * its candidates hold in full, once for all of them, as a compact BLOB (no key or index of its own: a table of
 * its own with its primary key took about 0.8 MB more on the universe run). There (bench/measure-marks.ts) float64
 * marks per candidate made the results file 4.8× the size without marks, the paths 1.3×.
 */
function addPricePaths(db: Database.Database): void {
  const have = db.prepare("SELECT name FROM pragma_table_info('run_days')").pluck().all() as string[];
  if (!have.includes('prices')) db.exec('ALTER TABLE run_days ADD COLUMN prices BLOB');
}

/**
 * A candidate's numbers as bytes beside its texts (candidate-row.ts): writing them as JSON text was most of
 * what recording a sweep's candidates cost. Rows written before keep their JSON objects (candidate_values
 * NULL) and read as before.
 */
function addCandidateValues(db: Database.Database): void {
  const have = db.prepare("SELECT name FROM pragma_table_info('candidates')").pluck().all() as string[];
  if (!have.includes('candidate_values')) db.exec('ALTER TABLE candidates ADD COLUMN candidate_values BLOB');
}

/**
 * A ticker-day's candidates as bytes in its run_days row (candidate-bytes.ts), encoded by the worker: a row of
 * their own each, in a second b-tree, was most of what recording a trade-rules sweep cost the main thread. The
 * candidates table keeps the rows of older versions, read as before.
 */
function addDayCandidates(db: Database.Database): void {
  const have = db.prepare("SELECT name FROM pragma_table_info('run_days')").pluck().all() as string[];
  if (!have.includes('candidates')) db.exec('ALTER TABLE run_days ADD COLUMN candidates BLOB');
}

/** A sweep is a row; each of its combinations is a normal run, linked to it by its position in the sweep. */
function addSweepTables(db: Database.Database): void {
  db.exec(`
CREATE TABLE IF NOT EXISTS sweeps (  -- barwise sweep (docs/sweeps.md)
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL,          -- running, completed, partial, interrupted, error (as runs.status)
  objective TEXT NOT NULL,       -- the statistic key combinations are ranked by
  spec_json TEXT NOT NULL        -- the swept parameters and their values, sampling, min trades
);
CREATE TABLE IF NOT EXISTS sweep_runs (
  sweep_id INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
  combination INTEGER NOT NULL,  -- position in the sweep, from 0
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  params_json TEXT NOT NULL,     -- the combination's values, by parameter name as swept
  PRIMARY KEY (sweep_id, combination)
) WITHOUT ROWID;`);
}

/**
 * A sweep's combinations that share a scan record the same signals: their rows are kept once, under the first
 * of them, and the others name it in runs.signals_of (a trade-rules sweep of 16 combinations wrote 16 copies of
 * each signal, a third of its recording: docs/sweeps.md "Speed"). `signals` stays what users query, each
 * run's signals by its own run_id, as a view; barwise writes and reads `signal_rows`, keyed by the run that
 * holds them.
 */
function shareSignalRows(db: Database.Database): void {
  const runs = db.prepare("SELECT name FROM pragma_table_info('runs')").pluck().all() as string[];
  if (!runs.includes('signals_of')) db.exec('ALTER TABLE runs ADD COLUMN signals_of INTEGER');
  const kind = (name: string) => db.prepare('SELECT type FROM sqlite_master WHERE name = ?').pluck().get(name) as string | undefined;
  if (kind('signal_rows') === undefined) db.exec('ALTER TABLE signals RENAME TO signal_rows');
  if (kind('signals') === undefined) {
    db.exec(`
CREATE VIEW signals AS  -- each run's signals: its own rows, or those of the run it shares them with (runs.signals_of)
SELECT r.id AS run_id, s.ticker, s.signal_date, s.signal_time, s.timestamp, s.seq, s.direction, s.pattern_strength, s.metrics_json
FROM runs r JOIN signal_rows s ON s.run_id = coalesce(r.signals_of, r.id);`);
  }
  // Deleting a run cascades to its signal_rows: for a run that holds other runs' signals that would empty
  // theirs too, so SQLite refuses it, naming what to delete first.
  db.exec(`
CREATE TRIGGER IF NOT EXISTS keep_shared_signal_rows BEFORE DELETE ON runs
WHEN EXISTS (SELECT 1 FROM runs WHERE signals_of = OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'this run holds the signal rows of other runs (runs.signals_of = its id): delete those runs first, then this one');
END;`);
}

/** Results databases written by an earlier barwise lack the newer columns: add them, empty. */
function addMissingColumns(db: Database.Database): void {
  const added = [['run_days', 'span_start', 'INTEGER'], ['run_days', 'span_end', 'INTEGER'], ['run_days', 'untraded_json', 'TEXT'], ['runs', 'stats_json', 'TEXT'], ['runs', 'plan_json', 'TEXT'], ['runs', 'plan_hash', 'TEXT']];
  for (const [table, name, type] of added) {
    const have = db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[];
    if (!have.includes(name)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
  }
}
