/**
 * Notices another process committing to the market database while a run reads it (an import finishing
 * mid-run). Workers read each ticker-day when they reach it, so such a run would mix bars from before and
 * after the change and match neither version of the data. SQLite's `PRAGMA data_version` changes on a
 * connection whenever another connection commits to the file; this module keeps one read-only connection
 * open for the run to ask it, and also notices the file being replaced (a new inode at the path).
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';

export interface MarketWatch {
  /** Whether the database changed since the watch began; asks SQLite each time (microseconds). */
  changed(): boolean;
  close(): void;
}

export function watchMarketDb(file: string): MarketWatch {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 3000 });
  } catch {
    // The store opened a moment ago; should this connection fail, the file's identity is still watched.
  }
  const version = () => (db ? db.pragma('data_version', { simple: true }) as number : 0);
  const inode = () => {
    try {
      return fs.statSync(file).ino;
    } catch {
      return -1; // gone: changed as well
    }
  };
  const first = { version: version(), inode: inode() };
  let seen = false;
  return {
    changed() {
      if (seen) return true;
      try {
        seen = version() !== first.version || inode() !== first.inode;
      } catch {
        seen = true; // the file can no longer be read as it was
      }
      return seen;
    },
    close: () => db?.close(),
  };
}
