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
  const { marks_from: from, marks_count: count, ...rest } = record;
  const marks = new Float64Array(MARK_WIDTH * count);
  if (count === 0) return { ...rest, marks };
  const first = path ? from - path.from : -1;
  if (!path || first < 0 || first + count > path.end.length) {
    throw new Error(`${record.ticker} ${record.date}: its price path does not cover the bars of the candidate signalled at ${record.signal_time}`);
  }
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
    see(sign > 0 ? path.low[i] : path.high[i]);
    see(sign > 0 ? path.high[i] : path.low[i]);
    const m = k * MARK_WIDTH;
    marks[m] = path.end[i];
    marks[m + 1] = path.close[i];
    marks[m + 2] = round(mae * 100) || 0;
    marks[m + 3] = round(mfe * 100);
  }
  return { ...rest, marks };
}
