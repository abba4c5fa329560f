/**
 * A candidate's row in the results database's candidates table: its signal key in the key columns (date,
 * signal_ts, ticker, seq), its text fields in `candidate_json` as a JSON array, and its numbers in
 * `candidate_values` as little-endian float64s. A sweep writes a candidate per signal per combination: on a
 * 16-combination trade-rules sweep of 512 tickers (76k candidates) writing each as a JSON object took 0.94 s of
 * the main thread (0.39 s of it turning 34 MB of numbers into text) while the workers waited on it, and a JSON
 * array of the values still 0.32 s to stringify: the numbers' decimal text is the cost, and bytes have none.
 *
 * A row reads back as the JSON object of the record read: a value JSON has no text for (NaN, ±Infinity) is
 * null, -0 is 0. Rows of schema versions 3 to 6 hold the whole record as a JSON object and read as before.
 */
import type { CandidateRecord } from '../portfolio/candidate.js';
import { TOTAL_ORDER } from '../merge/signal-order.js';

/** The record's fields in the order simulate-trade.ts builds it (a decoded record keeps that order). */
const CANDIDATE_FIELDS = [
  'ticker', 'date', 'direction', 'signal_time', 'signal_ts', 'seq', 'pattern_strength', 'entry_time', 'entry_ts', 'entry_price',
  'entry_quote', 'exit_time', 'exit_ts', 'exit_price', 'exit_quote', 'exit_reason', 'bars_held', 'risk', 'mae_pct', 'mfe_pct',
  'marks_from', 'marks_count',
] as const satisfies readonly (keyof CandidateRecord)[];

// Every field of CandidateRecord is listed: a field added to the record and not here fails to compile.
type Missing = Exclude<keyof CandidateRecord, (typeof CANDIDATE_FIELDS)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

/** The key columns, in TRADE_ORDER_SQL's positions. */
export const CANDIDATE_KEY_FIELDS = TOTAL_ORDER.map((k) => k.trade) satisfies (keyof CandidateRecord)[];
/** A stored candidate's key columns. */
export type CandidateKey = Pick<CandidateRecord, (typeof CANDIDATE_KEY_FIELDS)[number]>;

type Field = (typeof CANDIDATE_FIELDS)[number];
/** The text fields, in candidate_json's order. */
const TEXT_FIELDS = ['direction', 'signal_time', 'entry_time', 'exit_time', 'exit_reason'] as const satisfies readonly Field[];
const KEYED = new Set<string>(CANDIDATE_KEY_FIELDS);
const TEXT = new Set<string>(TEXT_FIELDS);
/**
 * The number fields, in candidate_values' order. Stored rows are read by position: a change to either order or
 * to the fields is a new schema version.
 */
const NUMBER_FIELDS = CANDIDATE_FIELDS.filter((f) => !KEYED.has(f) && !TEXT.has(f));
const ROW_BYTES = 8 * NUMBER_FIELDS.length;

/** The candidate's values for the key columns, in their order. */
export function candidateKey(c: CandidateRecord): (string | number)[] {
  return CANDIDATE_KEY_FIELDS.map((f) => c[f]);
}

/**
 * The stored columns of a batch of candidates: the text of each, and its numbers as a view of one buffer for
 * the batch (better-sqlite3 copies a bound buffer: the views need not outlive the statement's run).
 */
export function encodeCandidates(cs: readonly CandidateRecord[]): { json: string; values: Buffer }[] {
  const bytes = Buffer.allocUnsafe(ROW_BYTES * cs.length);
  const out = new Array<{ json: string; values: Buffer }>(cs.length);
  for (let k = 0; k < cs.length; k++) {
    const c = cs[k];
    const at = ROW_BYTES * k;
    for (let i = 0; i < NUMBER_FIELDS.length; i++) {
      const v = c[NUMBER_FIELDS[i]] as number | null;
      bytes.writeDoubleLE(v === null ? Number.NaN : v, at + 8 * i);
    }
    out[k] = { json: JSON.stringify(TEXT_FIELDS.map((f) => c[f])), values: bytes.subarray(at, at + ROW_BYTES) };
  }
  return out;
}

/** A stored row as a record again: `row` holds its key columns (a row of version 3 to 6, an object, carries them itself). */
export function decodeCandidate(row: CandidateKey & { candidate_json: string; candidate_values?: Buffer | null }): CandidateRecord {
  const parsed = JSON.parse(row.candidate_json) as unknown;
  if (row.candidate_values === null || row.candidate_values === undefined) {
    if (Array.isArray(parsed) || parsed === null || typeof parsed !== 'object') throw new Error('a stored candidate is neither a record nor a row of values');
    return parsed as CandidateRecord;
  }
  const values = row.candidate_values;
  if (!Array.isArray(parsed) || parsed.length !== TEXT_FIELDS.length || values.length !== ROW_BYTES) {
    throw new Error(`a stored candidate has ${Array.isArray(parsed) ? parsed.length : 'no'} texts and ${values.length} bytes of numbers where ${TEXT_FIELDS.length} and ${ROW_BYTES} were written`);
  }
  const record: Record<string, unknown> = {};
  let n = 0;
  let t = 0;
  for (const f of CANDIDATE_FIELDS) {
    if (KEYED.has(f)) {
      record[f] = row[f as keyof CandidateKey];
    } else if (TEXT.has(f)) {
      record[f] = parsed[t++];
    } else {
      const v = values.readDoubleLE(8 * n++);
      // As JSON would have kept it: no text for NaN or ±Infinity (null), none for the sign of zero.
      record[f] = Number.isFinite(v) ? v + 0 : null;
    }
  }
  return record as unknown as CandidateRecord;
}
