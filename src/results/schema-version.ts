/**
 * Versions of the results database, kept in SQLite's `PRAGMA user_version`. A results file is checked before
 * anything in it changes: a file that is not SQLite, a database of another program, or one written by a newer
 * barwise is refused with the file named, and stays byte for byte as it was. Then the migrations it lacks run,
 * in order, in one transaction, and the version is set to the last one's.
 *
 * A schema change is one entry appended to the list a store passes in. Databases written before versions
 * were kept have user_version 0 and any subset of the early columns, so every migration must be idempotent
 * (create if missing, add a column if missing).
 */
import Database from 'better-sqlite3';
import { BarwiseError } from '../errors.js';

export interface Migration {
  /** The user_version a database has once this migration ran: 1, 2, 3 … in list order. */
  version: number;
  /** What it adds, for the reader of the list. */
  describe: string;
  up(db: Database.Database): void;
}

/** Tables and columns a database must already have (when it has the table) to be taken for a barwise one. */
export type RequiredColumns = Readonly<Record<string, readonly string[]>>;

/**
 * Refuses a results file barwise must not touch; opens it read-only, so nothing changes either way.
 * `ownTable` is the table that marks a database as barwise's (a file with tables but not this one is foreign).
 */
export function checkResultsFile(file: string, migrations: readonly Migration[], required: RequiredColumns, ownTable: string): void {
  const latest = migrations[migrations.length - 1].version;
  const remedy = `Pass --results-db with another file (barwise creates it); ${file} was not changed.`;
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 3000 });
  } catch (err) {
    throw new BarwiseError('RESULTS_SCHEMA', `cannot open results database ${file}: ${(err as Error).message}`, remedy);
  }
  try {
    let version: number;
    let tables: string[];
    try {
      version = db.pragma('user_version', { simple: true }) as number;
      tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    } catch (err) {
      throw new BarwiseError('RESULTS_SCHEMA', `${file} is not a barwise results database (${(err as Error).message})`, remedy);
    }
    if (version > latest) {
      throw new BarwiseError('RESULTS_SCHEMA',
        `${file} was written by a newer barwise (results schema version ${version}; this barwise knows versions up to ${latest})`,
        `Upgrade barwise to use it, or pass --results-db with another file; ${file} was not changed.`);
    }
    if (tables.length === 0) return; // a new, empty database
    if (!tables.includes(ownTable)) {
      throw new BarwiseError('RESULTS_SCHEMA',
        `${file} is not a barwise results database: it has the table(s) ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''} but no ${ownTable}`,
        remedy);
    }
    for (const [table, columns] of Object.entries(required)) {
      if (!tables.includes(table)) continue;
      const have = db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[];
      const missing = columns.filter((c) => !have.includes(c));
      if (missing.length > 0) {
        throw new BarwiseError('RESULTS_SCHEMA',
          `${file} is not a barwise results database: its table ${table} lacks the column(s) ${missing.join(', ')}`, remedy);
      }
    }
  } finally {
    db.close();
  }
}

/** Runs the migrations a checked database lacks, in one transaction, and records the new version. */
export function migrate(db: Database.Database, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const m of pending) m.up(db);
    // PRAGMA takes no bound parameters; the version is a number from the list.
    db.pragma(`user_version = ${Math.trunc(pending[pending.length - 1].version)}`);
  })();
}
