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
  const { marks_from: _from, marks_count: _count, ...rest } = record;
  return { ...rest, marks: buildMarks(record, path) };
}

/**
 * markCandidate, with the marks built when first read, from the path `readPath` gives then. The portfolio pass
 * reads the marks of the positions it opens only: 84 of 19,181 candidates on the universe run
 * (bench/measure-recording.ts, --trade defaults).
 */
export function markCandidateLazily(record: CandidateRecord, readPath: () => PricePath | undefined): Candidate {
  return new LazilyMarked(record, readPath) as unknown as Candidate;
}

/**
 * A candidate whose `marks` getter is its class's, its state private: every instance has the same shape, so
 * the pass sorts and reads them as plain objects. A getter defined on each object made it a dictionary: the
 * 81,920 candidates of bench/measure-kept-candidates.ts (a 16-combination sweep's of 512 tickers) were listed
 * in 1.35–1.74 s of CPU, against 0.39–0.57 s so (that bench on both, alternated twice, load average 20–23).
 * `marks` is not an own property: the pass reads it by name.
 */
class LazilyMarked {
  readonly #record: CandidateRecord;
  readonly #readPath: () => PricePath | undefined;
  #marks: Float64Array | null = null;

  constructor(record: CandidateRecord, readPath: () => PricePath | undefined) {
    const { marks_from: _from, marks_count: _count, ...rest } = record;
    Object.assign(this, rest);
    this.#record = record;
    this.#readPath = readPath;
  }

  get marks(): Float64Array {
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

function buildMarks(record: CandidateRecord, path: PricePath | undefined): Float64Array {
  const count = record.marks_count;
  const marks = new Float64Array(MARK_WIDTH * count);
  if (count === 0) return marks;
  checkCoverage(record, path);
  const first = record.marks_from - path!.from;
  const p = path!;
  const sign = record.direction === 'LONG' ? 1 : -1;
  const entry = record.entry_price;
  let mae = 0;
  let mfe = 0;
  const see = (price: number) => {
    const move = computeMove(sign, price, entry);
    if (move < mae) mae = move;
    if (move > mfe) mfe = move;
  };
  for (let k = 0; k < count; k++) {
    const i = first + k;
    // The order the simulation sees a held bar in: the adverse extreme first.
    see(sign > 0 ? p.low[i] : p.high[i]);
    see(sign > 0 ? p.high[i] : p.low[i]);
    const m = k * MARK_WIDTH;
    marks[m] = p.end[i];
    marks[m + 1] = p.close[i];
    marks[m + 2] = round(mae * 100) || 0;
    marks[m + 3] = round(mfe * 100);
  }
  return marks;
}
