/**
 * The incremental per-day database a scanner queries: one in-memory SQLite database per worker, holding
 * the current ticker-day's bars up to the current step and nothing later.
 *
 * It is synced lazily: the replay loop only moves `visible` forward (a number), and bars are inserted when
 * a statement is about to run. A scanner that never queries pays nothing for SQLite; one that queries at
 * every step pays one insert per step, as the day grows bar by bar. Either way a statement always sees
 * exactly bars 0..visible, which is what makes lookahead impossible by construction. The day's context
 * (reference tickers, previous days, daily bars) is filled alongside, by the same rule (day-fill.ts).
 *
 * In memory (not a file) because only this worker reads it: PERF-NOTES measured one insert + one
 * aggregate query at ~11 µs per step in memory against ~25 µs for a WAL file and ~570 µs with fsyncs.
 * A ticker-day is one open transaction (the scanner reads on the same connection, so it sees every
 * inserted bar): an autocommit per insert cost 5.1 µs per bar, one transaction per day 1.9 µs.
 */
import Database from 'better-sqlite3';
import { BarwiseError } from '../errors.js';
import { checkScannerStatement, wrapStatement } from './read-only-statement.js';
import { EMPTY_CONTEXT, type DayContext } from './day-context.js';
import { createDayTables, DayFill } from './day-fill.js';
import { mayReadOtherTickers } from './reference-row-use.js';
import type { Bar } from '../types.js';
import type { ReadOnlyDb, ReadOnlyStatement } from './read-only-db.js';

export type { ReadOnlyDb, ReadOnlyStatement } from './read-only-db.js';

export class DayDb {
  private readonly db: Database.Database;
  private readonly fill: DayFill;
  private readonly clear: Database.Statement[];
  private readonly cache = new Map<string, ReadOnlyStatement>();
  /** Row iterators a scanner left unfinished: closed when the day ends. */
  private readonly openIterators = new Set<Iterator<unknown>>();
  /** Index of the last of the day's own bars statements may see. */
  visible = -1;
  /** How far the tables have been filled (-1: nothing yet). */
  private synced = -1;
  /**
   * Whether reference tickers' rows go in: always, unless the scanner's statements are all known before its
   * first day (an SQL scanner: `onlyReferencesRead`); then only once one of them may read them
   * (reference-row-use.ts). A SELECT pinned to `:ticker` then pays one insert a step, not one per reference.
   */
  private withRefs = true;
  private asRead = false;
  /**
   * Statements prepared since `onlyReferencesRead` whose proof waits for the first day with reference tickers:
   * on a day without any, whether a statement can read them changes no row, and a run without references (most
   * of them) never pays for the proof, on the main thread's inspection or in any worker.
   */
  private unproven: string[] = [];
  private refsSeen = false;
  /** The day's context and where each sync stopped, to refill the day in the same order if `withRefs` turns on. */
  private day: { bars: readonly Bar[]; timeframe: string; context: DayContext; syncs: number[] } | null = null;
  readonly readOnly: ReadOnlyDb;

  constructor() {
    this.db = new Database(':memory:');
    // Nothing here needs to survive a crash: no journal, no syncs.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    createDayTables(this.db);
    refuseConnectionCounters(this.db);
    this.fill = new DayFill(this.db);
    this.clear = [this.db.prepare('DELETE FROM ohlcv_data'), this.db.prepare('DELETE FROM daily_bars')];
    this.readOnly = Object.freeze({ prepare: (sql: string) => this.prepareReadOnly(sql) });
  }

  /**
   * Starts a new ticker-day. Nothing is inserted until a statement needs it. `context` (references,
   * history, daily bars) is shown as day-context.ts says: the past whole, references in lockstep.
   */
  beginDay(bars: readonly Bar[], timeframe: string, context: DayContext = EMPTY_CONTEXT): void {
    if (context.refs.length > 0 && !this.refsSeen) {
      this.refsSeen = true;
      this.decideUnproven();
    }
    this.closeIterators();
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.db.exec('BEGIN');
    if (this.fill.dirty) for (const c of this.clear) c.run();
    this.fill.begin(bars, context, timeframe);
    this.day = this.withRefs || context.refs.length === 0 ? null : { bars, timeframe, context, syncs: [] };
    this.visible = -1;
    this.synced = -1;
  }

  /** Brings the tables up to `visible` (never beyond). */
  sync(): void {
    if (this.synced >= this.visible) return;
    this.fill.syncTo(this.visible, this.withRefs);
    this.day?.syncs.push(this.visible);
    this.synced = this.visible;
  }

  /**
   * Reference rows go in only if a statement prepared on this database (before or after this call) may read
   * them. For scanners that prepare their statements before the first day: a module scanner may prepare one
   * in the middle of iterating another, when the day could not be refilled.
   */
  onlyReferencesRead(): void {
    if (this.asRead) return;
    this.asRead = true;
    this.withRefs = false;
    this.unproven = [...this.cache.keys()];
    if (this.refsSeen) this.decideUnproven();
    this.day = null;
  }

  /** The statements waiting for their proof: reference rows go in from now on if one of them may read them. */
  private decideUnproven(): void {
    if (!this.withRefs && this.unproven.some((sql) => mayReadOtherTickers(this.db, sql))) this.withRefs = true;
    this.unproven = [];
  }

  /**
   * From now on reference rows go in. A day already filled without them is emptied and filled again sync by
   * sync, so that its rows are in the order they would have had from the start.
   */
  private includeReferences(): void {
    if (this.withRefs) return;
    this.withRefs = true;
    const day = this.day;
    this.day = null;
    if (!day || day.syncs.length === 0) return;
    this.closeIterators();
    for (const c of this.clear) c.run();
    this.fill.begin(day.bars, day.context, day.timeframe);
    for (const index of day.syncs) this.fill.syncTo(index, true);
  }

  close(): void {
    this.closeIterators();
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.db.close();
  }

  private prepareReadOnly(sql: string): ReadOnlyStatement {
    const cached = this.cache.get(sql);
    if (cached) return cached;
    const stmt = this.db.prepare(sql);
    checkScannerStatement(stmt, sql);
    if (this.asRead && !this.withRefs) {
      if (!this.refsSeen) this.unproven.push(sql);
      else if (mayReadOtherTickers(this.db, sql)) this.includeReferences();
    }
    const wrapped = wrapStatement(stmt, () => this.sync(), this.openIterators);
    this.cache.set(sql, wrapped);
    return wrapped;
  }

  private closeIterators(): void {
    for (const it of this.openIterators) it.return?.();
    this.openIterators.clear();
  }
}

/**
 * The connection outlives the ticker-day: `total_changes()` counts every row inserted and deleted on it, so
 * ticker B's step would learn how many bars ticker A had (the whole of its day, beyond B's time); `changes()`
 * and `last_insert_rowid()` count the engine's own inserts. A function of the same name registered on the
 * connection takes the built-in's place; these refuse, naming why.
 */
function refuseConnectionCounters(db: Database.Database): void {
  for (const name of ['total_changes', 'changes', 'last_insert_rowid']) {
    db.function(name, { deterministic: false }, () => {
      throw new BarwiseError('SCANNER_INVALID', `${name}() is not available to scanners: it counts the engine's writes on a connection that earlier ticker-days used too`,
        'Count rows with SELECT COUNT(*) FROM ohlcv_data WHERE ticker = :ticker AND timestamp >= :day_start.');
    });
  }
}
