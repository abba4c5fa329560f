/**
 * A candidate's row in the candidates table of schema versions 3 to 7 (from version 8 a ticker-day's
 * candidates are bytes in its run_days row: candidate-bytes.ts). Version 7 keeps its signal key in the key
 * columns (date, signal_ts, ticker, seq), its text fields in `candidate_json` as a JSON array, and its numbers
 * in `candidate_values` as little-endian float64s; versions 3 to 6 hold the whole record as a JSON object.
 *
 * A row reads back as the JSON object of the record written: a value JSON has no text for (NaN, ±Infinity)
 * is null, -0 is 0.
 */
import type { CandidateRecord } from '../portfolio/candidate.js';
import { TOTAL_ORDER } from '../merge/signal-order.js';
import { asJsonNumber } from '../portfolio/candidate-bytes.js';

/**
 * The record's fields as version 7 wrote them, in the record's order: its rows are read by position, so this
 * list is that version's, whatever fields later records gain (candidate-bytes.ts has the current list).
 */
const CANDIDATE_FIELDS = [
  'ticker', 'date', 'direction', 'signal_time', 'signal_ts', 'seq', 'pattern_strength', 'entry_time', 'entry_ts', 'entry_price',
  'entry_quote', 'exit_time', 'exit_ts', 'exit_price', 'exit_quote', 'exit_reason', 'bars_held', 'risk', 'mae_pct', 'mfe_pct',
  'marks_from', 'marks_count',
] as const satisfies readonly (keyof CandidateRecord)[];

/** The key columns, in TRADE_ORDER_SQL's positions. */
const CANDIDATE_KEY_FIELDS = TOTAL_ORDER.map((k) => k.trade) satisfies (keyof CandidateRecord)[];
/** A stored candidate's key columns. */
export type CandidateKey = Pick<CandidateRecord, (typeof CANDIDATE_KEY_FIELDS)[number]>;

type Field = (typeof CANDIDATE_FIELDS)[number];
/** The text fields, in candidate_json's order. */
const TEXT_FIELDS = ['direction', 'signal_time', 'entry_time', 'exit_time', 'exit_reason'] as const satisfies readonly Field[];
const KEYED = new Set<string>(CANDIDATE_KEY_FIELDS);
const TEXT = new Set<string>(TEXT_FIELDS);
/** The number fields, in candidate_values' order: rows are read by position. */
const NUMBER_FIELDS = CANDIDATE_FIELDS.filter((f) => !KEYED.has(f) && !TEXT.has(f));
const ROW_BYTES = 8 * NUMBER_FIELDS.length;

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
      record[f] = asJsonNumber(values.readDoubleLE(8 * n++));
    }
  }
  return record as unknown as CandidateRecord;
}
