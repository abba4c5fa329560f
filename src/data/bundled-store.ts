/**
 * The sample market database shipped as CSV (data/bundled/) and built into a SQLite file on first use,
 * so `npm run backtest` (or `npx barwise backtest` from an installed package) works right away, offline.
 *
 * Where the file goes: data/market.db next to the CSVs when the package's data/ directory is writable (a
 * clone, or a package installed into a project's node_modules), otherwise the user's cache directory
 * (`$XDG_CACHE_HOME/barwise`, `~/.cache/barwise`, `%LOCALAPPDATA%\barwise` on Windows): a global install
 * owned by root, or a read-only image, is never written to. The cache file is named after the version,
 * so an upgraded package never reuses sample data built by an older one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../package-paths.js';
import { VERSION } from '../version.js';

export const PROJECT_ROOT = PACKAGE_ROOT;
export const BUNDLED_CSV_DIR = path.join(PACKAGE_ROOT, 'data', 'bundled');

/** Where the bundled database is (or will be built): see the header. */
export function locateBundledDb(env: NodeJS.ProcessEnv = process.env): string {
  const dataDir = path.join(PACKAGE_ROOT, 'data');
  try {
    fs.accessSync(dataDir, fs.constants.W_OK);
    return path.join(dataDir, 'market.db');
  } catch {
    return path.join(resolveUserCacheDir(env), `market-${VERSION}.db`);
  }
}

function resolveUserCacheDir(env: NodeJS.ProcessEnv): string {
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'barwise');
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'barwise');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'barwise');
  return path.join(os.homedir(), '.cache', 'barwise');
}

/** Returns the bundled database's path, importing the CSVs first when it does not exist yet. */
export async function ensureBundledStore(): Promise<string> {
  const db = locateBundledDb();
  if (fs.existsSync(db)) return db;
  fs.mkdirSync(path.dirname(db), { recursive: true });
  // Built under a temporary name and renamed, so an interrupted first run never leaves half a database.
  const tmp = `${db}.${process.pid}.tmp`;
  try {
    // Loaded here, not at the top: the importer (and its CSV parser) is needed once, on the first run.
    const { importCsv } = await import('./import-csv.js');
    await importCsv({ source: BUNDLED_CSV_DIR, dbPath: tmp, strict: true });
    fs.renameSync(tmp, db);
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  }
  return db;
}
