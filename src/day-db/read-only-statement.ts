/**
 * What a scanner may run on a day database, and the statement handle it gets. One rule for every door
 * (module `ctx.db`, SQL scanners, naive snapshots): a statement that only reads rows.
 *
 * SQLite's own flags are not enough. `PRAGMA max_page_count = 1` and `PRAGMA cache_size = …` count as
 * read-only readers, yet they change the connection every later ticker-day of the worker shares; ATTACH
 * counts as read-only and would open another database (the market database: a door to future bars).
 * So the statement must also begin with SELECT, WITH, VALUES or EXPLAIN, and return rows. Settings stay
 * readable through the table-valued form (`SELECT * FROM pragma_table_info('ohlcv_data')`), which SQLite
 * only offers for pragmas without side effects and which takes no value to assign.
 *
 * The handle is a frozen wrapper, never better-sqlite3's Statement (nor its row iterator, whose `.statement`
 * leads there): a Statement's `.database` is the whole connection (exec, loadExtension, function and
 * aggregate registration, close, unsafeMode, pragma with a value).
 */
import type Database from 'better-sqlite3';
import { BarwiseError } from '../errors.js';
import type { ReadOnlyStatement } from './read-only-db.js';

export type { ReadOnlyDb, ReadOnlyStatement } from './read-only-db.js';

const QUERY_KEYWORDS = new Set(['SELECT', 'WITH', 'VALUES', 'EXPLAIN']);

/** Throws SCANNER_WRITE unless `stmt` (prepared from `sql`) only reads rows. */
export function checkScannerStatement(stmt: Database.Statement, sql: string): void {
  // Messages quote the statement from its first keyword: a scanner file's header comment is not the news.
  const body = sql.slice(statementStart(sql));
  if (!stmt.readonly) {
    throw new BarwiseError('SCANNER_WRITE', `scanner tried to write to the day database: ${oneLine(body)}`,
      'Scanners may only read. Keep state in variables, not in the database.');
  }
  const keyword = /^[A-Za-z]*/.exec(body)![0].toUpperCase();
  if (keyword === 'PRAGMA') {
    throw new BarwiseError('SCANNER_WRITE', `scanner tried to run a PRAGMA on the day database: ${oneLine(body)}`,
      'PRAGMA statements are refused (a setting would change every later ticker-day of the worker); read one with SELECT * FROM pragma_NAME.');
  }
  if (!stmt.reader || !QUERY_KEYWORDS.has(keyword)) {
    throw new BarwiseError('SCANNER_WRITE', `scanner tried to run a statement that is not a query on the day database: ${oneLine(body)}`,
      'Scanners may only run queries that return rows (SELECT, WITH); ATTACH, DETACH and PRAGMA settings are refused.');
  }
}

/**
 * `stmt` behind a frozen wrapper; `before` runs ahead of every execution (the day database's sync). Row
 * iterators left unfinished are kept in `open`, for the day database to close when the day ends: an open
 * one holds the connection busy, and the next day's inserts would fail.
 */
export function wrapStatement(stmt: Database.Statement, before: () => void = () => {}, open: Set<Iterator<unknown>> = new Set()): ReadOnlyStatement {
  const wrapped: ReadOnlyStatement = Object.freeze({
    all: (...p: unknown[]) => (before(), stmt.all(...p)),
    get: (...p: unknown[]) => (before(), stmt.get(...p)),
    iterate: (...p: unknown[]) => iterateRows(() => (before(), stmt.iterate(...p)), open),
    pluck: (t = true) => (stmt.pluck(t), wrapped),
    raw: (t = true) => (stmt.raw(t), wrapped),
    columns: () => stmt.columns(),
    source: stmt.source,
    reader: stmt.reader,
  });
  return wrapped;
}

/**
 * better-sqlite3's row iterator carries `.statement`, and through it `.database` (the connection): the
 * scanner gets a generator that holds it out of reach. The query starts at the first `next()`, so an
 * iterator never read holds nothing.
 */
function iterateRows(start: () => IterableIterator<unknown>, open: Set<Iterator<unknown>>): IterableIterator<unknown> {
  function* each() {
    const rows = start();
    open.add(rows);
    try {
      yield* rows;
    } finally {
      open.delete(rows);
    }
  }
  return each();
}

/** Where the statement's first keyword starts, after any leading whitespace and comments. */
function statementStart(sql: string): number {
  let i = 0;
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i])) i++;
    if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else {
      break;
    }
  }
  return i;
}

export function oneLine(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
