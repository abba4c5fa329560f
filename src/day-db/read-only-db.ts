/**
 * What a scanner may do with the day database: prepare statements that read. A file of its own, importing
 * nothing of barwise, because `types.ts` (ScanContext.db) names it and the day database itself imports `types.ts`.
 */
import type Database from 'better-sqlite3';

export interface ReadOnlyStatement {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  iterate(...params: unknown[]): IterableIterator<unknown>;
  pluck(toggle?: boolean): ReadOnlyStatement;
  raw(toggle?: boolean): ReadOnlyStatement;
  columns(): Database.ColumnDefinition[];
  readonly source: string;
  readonly reader: boolean;
}

export interface ReadOnlyDb {
  /** Prepares (and caches) a statement that only reads rows (read-only-statement.ts); any other throws SCANNER_WRITE. */
  prepare(sql: string): ReadOnlyStatement;
}
