/**
 * The 40-ticker real workload (206 sessions of 5-minute bars, the shared data set's `us-5min/`): not shipped
 * in the repository (vendor data; data/bundled/ holds a 7-ticker excerpt), so it is found next to the
 * checkout or through BARWISE_REAL_DATA, imported once into bench/cache/, and skipped with a message naming
 * where it was looked for when absent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importCsv } from '../../src/data/import-csv.js';
import { CACHE_DIR } from './generate-market.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function realDataCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  return [env.BARWISE_REAL_DATA, path.join(ROOT, '../shared/data/us-5min'), path.join(ROOT, '../../shared/data/us-5min')]
    .filter((d): d is string => !!d);
}

/** The cached store's path, or null (with why) when no candidate directory holds the CSVs. */
export async function ensureRealStore(): Promise<{ db: string } | { db: null; why: string }> {
  const candidates = realDataCandidates();
  const dir = candidates.find((d) => fs.existsSync(d) && fs.readdirSync(d).some((f) => f.endsWith('.csv.gz')));
  if (!dir) return { db: null, why: `the 40-ticker real data is not there (looked in ${candidates.join(', ')}); set BARWISE_REAL_DATA to its us-5min directory` };
  const db = path.join(CACHE_DIR, 'us-5min-40.db');
  if (fs.existsSync(db)) return { db };
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${db}.${process.pid}.tmp`;
  try {
    await importCsv({ source: dir, dbPath: tmp, strict: true });
    fs.renameSync(tmp, db);
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  }
  return { db };
}
