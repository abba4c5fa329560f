/**
 * What a script wrote to its day file, in words: the file is compared with the day as barwise filled it (a fresh
 * in-memory copy, filled by the same DayFill up to the same bar), object by object in sqlite_schema and row by
 * row in the day's tables. Runs only when a step did write, which fails that ticker-day, so its cost (one
 * refill of the day so far) is paid once per failed day, never by a step that only reads.
 */
import Database from 'better-sqlite3';
import type { Bar } from '../types.js';
import type { DayContext } from './day-context.js';
import { createDayTables, DayFill } from './day-fill.js';

const DAY_TABLES = ['ohlcv_data', 'daily_bars'];
const MAX_NAMED = 5;

/** `db` is the day file's connection; `filled` the last bar index barwise put in it; `extraSql` what else it made there. */
export function describeDayWrites(db: Database.Database, bars: readonly Bar[], filled: number, timeframe: string, context: DayContext, extraSql = ''): string {
  const expected = new Database(':memory:');
  try {
    createDayTables(expected);
    if (extraSql) expected.exec(extraSql);
    const fill = new DayFill(expected);
    fill.begin(bars, context, timeframe);
    expected.transaction(() => fill.syncTo(filled))();
    return describeDifference(db, expected) || 'a commit that left no difference in its tables (rows written and deleted again, or a setting)';
  } catch (err) {
    // Naming the write is a courtesy: the day fails with SCANNER_WRITE either way.
    return `(what was written could not be read: ${(err as Error).message})`;
  } finally {
    expected.close();
  }
}

function describeDifference(db: Database.Database, expected: Database.Database): string {
  const schemaOf = (conn: Database.Database) => new Map((conn.prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").all() as
    { type: string; name: string; sql: string | null }[]).map((o) => [`${o.type} ${o.name}`, o.sql]));
  const want = schemaOf(expected);
  const got = schemaOf(db);
  const parts: string[] = [];
  const created = [...got.keys()].filter((k) => !want.has(k));
  const dropped = [...want.keys()].filter((k) => !got.has(k));
  const altered = [...want.keys()].filter((k) => got.has(k) && got.get(k) !== want.get(k));
  if (created.length > 0) parts.push(`created ${listNames(created)}`);
  if (dropped.length > 0) parts.push(`dropped ${listNames(dropped)}`);
  if (altered.length > 0) parts.push(`altered ${listNames(altered)}`);
  for (const table of DAY_TABLES) {
    if (!got.has(`table ${table}`) || altered.includes(`table ${table}`)) continue;
    const rows = (conn: Database.Database) => conn.prepare(`SELECT * FROM ${table}`).raw().all().map((r) => JSON.stringify(r));
    const mine = countRows(rows(expected));
    const theirs = countRows(rows(db));
    let added = 0;
    let removed = 0;
    for (const [k, n] of theirs) added += Math.max(0, n - (mine.get(k) ?? 0));
    for (const [k, n] of mine) removed += Math.max(0, n - (theirs.get(k) ?? 0));
    if (added > 0 || removed > 0) {
      const what = [added > 0 ? `${added} row(s) barwise did not write` : '', removed > 0 ? `${removed} of its row(s) gone` : ''].filter(Boolean);
      parts.push(`changed table ${table} (${what.join(', ')}${added > 0 && removed > 0 ? ': rows inserted and deleted, or updated' : added > 0 ? ': rows inserted' : ': rows deleted'})`);
    }
  }
  const userVersion = db.pragma('user_version', { simple: true }) as number;
  if (userVersion !== 0) parts.push(`set PRAGMA user_version = ${userVersion}`);
  return parts.join('; ');
}

function countRows(rows: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r, (m.get(r) ?? 0) + 1);
  return m;
}

function listNames(keys: string[]): string {
  const named = keys.slice(0, MAX_NAMED).join(', ');
  return keys.length > MAX_NAMED ? `${named} and ${keys.length - MAX_NAMED} more` : named;
}
