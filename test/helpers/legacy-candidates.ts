/**
 * A results file's candidates as older schema versions wrote them, one row each in the candidates table
 * (from version 8 a ticker-day's candidates are bytes in its run_days row), spelled out here rather than taken
 * from src/: versions 3 to 6 kept the record as one JSON object (version 3 with its float64 marks beside it),
 * version 7 its texts as a JSON array and its other numbers as float64 LE, in the orders below.
 */
import type Database from 'better-sqlite3';
import type { Candidate, CandidateRecord } from '../../src/portfolio/candidate.js';

const V7_TEXTS = ['direction', 'signal_time', 'entry_time', 'exit_time', 'exit_reason'] as const;
const V7_NUMBERS = ['pattern_strength', 'entry_ts', 'entry_price', 'entry_quote', 'exit_ts', 'exit_price', 'exit_quote', 'bars_held', 'risk',
  'mae_pct', 'mfe_pct', 'marks_from', 'marks_count'] as const;

/**
 * Moves run `runId`'s candidates out of run_days into rows of `version`'s layout, and takes the file's schema
 * back to it (columns added later dropped, user_version set). `records` are the run's candidates as read back;
 * for version 3 with their marks, which then replace the price paths.
 */
export function writeLegacyCandidates(db: Database.Database, runId: number, records: readonly (CandidateRecord | Candidate)[], version: 3 | 6 | 7): void {
  db.exec('DELETE FROM candidates; ALTER TABLE run_days DROP COLUMN candidates');
  if (version < 7) db.exec('ALTER TABLE candidates DROP COLUMN candidate_values');
  if (version === 3) db.exec('ALTER TABLE run_days DROP COLUMN prices');
  const insert = version === 7
    ? db.prepare("INSERT INTO candidates (run_id, date, signal_ts, ticker, seq, candidate_json, candidate_values, marks) VALUES (?, ?, ?, ?, ?, ?, ?, X'')")
    : db.prepare('INSERT INTO candidates (run_id, date, signal_ts, ticker, seq, candidate_json, marks) VALUES (?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const c of records) {
      const { marks, ...record } = c as Candidate;
      if (version === 7) {
        const values = Buffer.alloc(8 * V7_NUMBERS.length);
        V7_NUMBERS.forEach((f, k) => values.writeDoubleLE((record as Partial<CandidateRecord>)[f] ?? Number.NaN, 8 * k));
        insert.run(runId, c.date, c.signal_ts, c.ticker, c.seq, JSON.stringify(V7_TEXTS.map((f) => record[f])), values);
      } else {
        const own = version === 3 ? Buffer.from(Float64Array.from(marks ?? []).buffer) : Buffer.alloc(0);
        insert.run(runId, c.date, c.signal_ts, c.ticker, c.seq, JSON.stringify(record), own);
      }
    }
  })();
  db.pragma(`user_version = ${version}`);
}
