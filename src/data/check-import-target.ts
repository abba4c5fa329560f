/**
 * Whether `barwise import` may write into an existing database, decided by reading it only, so a refusal
 * leaves the file byte-identical: its ohlcv_data needs every column the import writes and the unique key its
 * upsert relies on (without it a re-import would duplicate every bar), and a results database is no market
 * database. A database without ohlcv_data gets the table.
 */
import type Database from 'better-sqlite3';
import { BarwiseError } from '../errors.js';
import { OHLCV_COLUMNS } from './schema.js';

/** Reads (never writes) an existing database: can the import's upsert go into it? */
export function checkImportTarget(db: Database.Database, dbPath: string): void {
  let columns: string[];
  try {
    columns = db.prepare("SELECT name FROM pragma_table_info('ohlcv_data')").pluck().all() as string[];
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new BarwiseError('DB_LOCKED', `cannot import into ${dbPath}: it is locked by another process (waited 5 s)`,
        'Wait for the process writing to it to finish and import again; nothing was changed.');
    }
    throw new BarwiseError('DB_UNREADABLE', `cannot import into ${dbPath}: ${(err as Error).message}`,
      'Pass --db with an SQLite database (or a new file name, to create one); nothing was changed.');
  }
  if (columns.length === 0) {
    // Bars added to a results database would be found by nobody, and its tables taken for market data later.
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
    if (tables.includes('run_days')) {
      throw new BarwiseError('DB_SCHEMA', `cannot import into ${dbPath}: it is a barwise results database (tables ${tables.slice(0, 4).join(', ')}…), not a market database`,
        'Pass --db with the market database the backtest reads (or a new file name, to create one); nothing was changed.');
    }
    return;
  }
  const missing = OHLCV_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new BarwiseError('DB_SCHEMA', `cannot import into ${dbPath}: its table ohlcv_data lacks column(s) ${missing.join(', ')}`,
      `Add them (e.g. \`ALTER TABLE ohlcv_data ADD COLUMN ${missing[0]} ${missing[0] === 'time_of_day' || missing[0] === 'timeframe' ? 'TEXT' : 'REAL'}\`), or import into a new database; nothing was changed.`);
  }
  if (!hasUniqueKey(db, ['ticker', 'timestamp', 'timeframe'])) {
    throw new BarwiseError('DB_SCHEMA', `cannot import into ${dbPath}: its table ohlcv_data has no unique key on (ticker, timestamp, timeframe), so a re-import would duplicate bars`,
      'Add it (`CREATE UNIQUE INDEX ohlcv_data_key ON ohlcv_data (ticker, timestamp, timeframe)`, after deleting duplicate rows), or import into a new database; nothing was changed.');
  }
}

function hasUniqueKey(db: Database.Database, key: readonly string[]): boolean {
  const indexes = db.prepare("SELECT name FROM pragma_index_list('ohlcv_data') WHERE \"unique\" = 1").pluck().all() as string[];
  return indexes.some((name) => {
    const cols = db.prepare('SELECT name FROM pragma_index_info(?)').pluck().all(name) as string[];
    return cols.length === key.length && key.every((k) => cols.includes(k));
  });
}
