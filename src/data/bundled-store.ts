/**
 * The sample market database shipped as CSV (data/bundled/) and built into data/market.db on first use,
 * so `npm run backtest` works right after install, offline.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importCsv } from './import-csv.js';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BUNDLED_CSV_DIR = path.join(PROJECT_ROOT, 'data', 'bundled');
export const BUNDLED_DB = path.join(PROJECT_ROOT, 'data', 'market.db');

/** Returns the bundled database's path, importing the CSVs first when it does not exist yet. */
export async function ensureBundledStore(): Promise<string> {
  if (fs.existsSync(BUNDLED_DB)) return BUNDLED_DB;
  // Built under a temporary name and renamed, so an interrupted first run never leaves half a database.
  const tmp = `${BUNDLED_DB}.${process.pid}.tmp`;
  try {
    await importCsv({ source: BUNDLED_CSV_DIR, dbPath: tmp, strict: true });
    fs.renameSync(tmp, BUNDLED_DB);
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  }
  return BUNDLED_DB;
}
