/**
 * A stored candidate's marks, rebuilt from its ticker-day's price path: per bar held in full, its end, its
 * close, and the MAE and MFE so far. The running extremes are computed here exactly as the simulation
 * computes the candidate's own (simulate-trade.ts, with the same `computeMove`): over each held bar's low and
 * high, from the entry fill, rounded the same way, so a position closed on ruin reports what an uninterrupted
 * walk of its bars would have.
 */
import { round } from '../sim/round-figure.js';
import { MARK_WIDTH, type Candidate, type CandidateRecord } from './candidate.js';
import { decodePricePath, type PricePath } from './price-path.js';

/** A move from the entry fill as a fraction of it, positive in the position's favour. */
export function computeMove(sign: 1 | -1, price: number, entry: number): number {
  return (sign * (price - entry)) / entry;
}

/** A ticker-day's candidates with their marks, from the day's encoded price path (simulate-day.ts). */
export function markDayCandidates(records: readonly CandidateRecord[], prices: Uint8Array | undefined): Candidate[] {
  const path = prices ? decodePricePath(prices) : undefined;
  return records.map((r) => markCandidate(r, path));
}

/**
 * `path`: the ticker-day's path (undefined when the day has none: then the candidate must hold no bar in full).
 * Throws when the path does not cover the candidate's bars: the results database lost or changed a path.
 */
export function markCandidate(record: CandidateRecord, path: PricePath | undefined): Candidate {
  return new StoredCandidate(record, () => path, buildMarks(record, path));
}

/**
 * markCandidate, with the marks built when first read, from the path `readPath` gives then. The portfolio pass
 * reads the marks of the positions it opens only: 84 of 19,181 candidates on the universe run
 * (bench/measure-recording.ts, --trade defaults).
 */
export function markCandidateLazily(record: CandidateRecord, readPath: () => PricePath | undefined): Candidate {
  return new StoredCandidate(record, readPath, null);
}

/**
 * A stored candidate as the pass reads it: a class, so that every candidate has one shape and the pass's sorts
 * and field reads stay fast. A getter defined on each record gave each a shape of its own, and a record spread
 * into a literal with its marks gave many (7 of 2,000 had the first one's). On the universe run with the bench's
 * trade rules, where the pass opens every candidate, the pass's first sort took a third of its time over such
 * candidates and 8% over these. Own fields are the Candidate's; the marks are a getter.
 */
class StoredCandidate implements Candidate {
  readonly ticker: string;
  readonly date: string;
  readonly direction: Candidate['direction'];
  readonly signal_time: string;
  readonly signal_ts: number;
  readonly seq: number;
  readonly pattern_strength: number | null;
  readonly entry_time: string;
  readonly entry_ts: number;
  readonly entry_price: number;
  readonly entry_quote: number;
  readonly exit_time: string;
  readonly exit_ts: number;
  readonly exit_price: number;
  readonly exit_quote: number;
  readonly exit_reason: Candidate['exit_reason'];
  readonly bars_held: number;
  readonly risk: number | null;
  readonly mae_pct: number;
  readonly mfe_pct: number;
  readonly #record: CandidateRecord;
  readonly #readPath: () => PricePath | undefined;
  #marks: number[] | null;

  /** `marks`: built already, or null to build them from `readPath` when first read. */
  constructor(r: CandidateRecord, readPath: () => PricePath | undefined, marks: number[] | null) {
    this.ticker = r.ticker;
    this.date = r.date;
    this.direction = r.direction;
    this.signal_time = r.signal_time;
    this.signal_ts = r.signal_ts;
    this.seq = r.seq;
    this.pattern_strength = r.pattern_strength;
    this.entry_time = r.entry_time;
    this.entry_ts = r.entry_ts;
    this.entry_price = r.entry_price;
    this.entry_quote = r.entry_quote;
    this.exit_time = r.exit_time;
    this.exit_ts = r.exit_ts;
    this.exit_price = r.exit_price;
    this.exit_quote = r.exit_quote;
    this.exit_reason = r.exit_reason;
    this.bars_held = r.bars_held;
    this.risk = r.risk;
    this.mae_pct = r.mae_pct;
    this.mfe_pct = r.mfe_pct;
    this.#record = r;
    this.#readPath = readPath;
    this.#marks = marks;
  }

  get marks(): number[] {
    return (this.#marks ??= buildMarks(this.#record, this.#readPath()));
  }
}

function checkCoverage(record: CandidateRecord, path: PricePath | undefined): void {
  const { marks_from: from, marks_count: count } = record;
  if (count === 0) return;
  const first = path ? from - path.from : -1;
  if (!path || first < 0 || first + count > path.end.length) {
    throw new Error(`${record.ticker} ${record.date}: its price path does not cover the bars of the candidate signalled at ${record.signal_time}`);
  }
}

function buildMarks(record: CandidateRecord, path: PricePath | undefined): number[] {
  const count = record.marks_count;
  const marks: number[] = [];
  if (count === 0) return marks;
  checkCoverage(record, path);
  const first = record.marks_from - path!.from;
  const { end, close, high, low } = path!;
  const sign = record.direction === 'LONG' ? 1 : -1;
  const entry = record.entry_price;
  let mae = 0;
  let mfe = 0;
  // A plain loop, the moves as computeMove computes them: a closure updating the extremes made this 2-3x
  // slower, and the pass marks every candidate it opens (all 19,181 on the universe with the bench's rules).
  for (let k = 0; k < count; k++) {
    const i = first + k;
    // The order the simulation sees a held bar in: the adverse extreme first.
    const adverse = computeMove(sign, sign > 0 ? low[i] : high[i], entry);
    if (adverse < mae) mae = adverse;
    if (adverse > mfe) mfe = adverse;
    const favourable = computeMove(sign, sign > 0 ? high[i] : low[i], entry);
    if (favourable < mae) mae = favourable;
    if (favourable > mfe) mfe = favourable;
    marks.push(end[i], close[i], round(mae * 100) || 0, round(mfe * 100));
  }
  return marks;
}
