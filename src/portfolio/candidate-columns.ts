/**
 * A run's candidates as the portfolio pass reads them: what it reads of every candidate (the entry's order and
 * sizing: entry instant, signal strength, ticker, signal bar, sequence, entry fill, risk) as columns, and the
 * whole candidate, marks and all, only for those it opens (`candidate(i)`). The pass reads a candidate it
 * refuses for nothing else: on the universe with --trade defaults it opens 84 of 19,181, and a 16-combination
 * trade-rules sweep decoded every one of 16 × 19,181 candidates into a record after its last task (1.4 s of
 * its main thread, most of its collector's 1.2 s; profiled), one core working while the rest waited.
 *
 * The columns hold what the records would: a stored candidate's numbers as decodeDayCandidates gives them
 * (asJsonNumber: no text for NaN or ±Infinity, so none there either), a strength of none as -Infinity (the
 * pass ranks it last), a risk of none as NaN.
 */
import type { Candidate } from './candidate.js';
import { asJsonNumber, NUMBER_AT, NUMBER_WIDTH, viewDayNumbers } from './candidate-bytes.js';

export class CandidateColumns {
  constructor(
    readonly length: number,
    readonly entryTs: Float64Array,
    /** pattern_strength; -Infinity for none. */
    readonly strength: Float64Array,
    readonly ticker: readonly string[],
    readonly signalTs: Float64Array,
    readonly seq: Float64Array,
    readonly entryPrice: Float64Array,
    /** NaN for none. */
    readonly risk: Float64Array,
    /** Candidate `i` whole: decoded and marked when the pass opens it. */
    readonly candidate: (i: number) => Candidate,
  ) {}

  /** Candidates already decoded (read back from the results file, or made by a test). */
  static of(list: readonly Candidate[]): CandidateColumns {
    const n = list.length;
    const cols = new CandidateColumns(n, new Float64Array(n), new Float64Array(n), list.map((c) => c.ticker), new Float64Array(n),
      new Float64Array(n), new Float64Array(n), new Float64Array(n), (i) => list[i]);
    for (let i = 0; i < n; i++) {
      const c = list[i];
      cols.entryTs[i] = c.entry_ts;
      cols.strength[i] = c.pattern_strength ?? -Infinity;
      cols.signalTs[i] = c.signal_ts;
      cols.seq[i] = c.seq;
      cols.entryPrice[i] = c.entry_price;
      cols.risk[i] = c.risk ?? NaN;
    }
    return cols;
  }

  /**
   * Ticker-days' encoded candidates (candidate-bytes.ts), each of the day's ticker (the engine stamps every
   * signal with its task's ticker); `decodeDay(d)` gives day `d`'s candidates whole, in their stored order.
   */
  static ofDays(days: readonly { ticker: string; candidates: Uint8Array }[], decodeDay: (d: number) => readonly Candidate[]): CandidateColumns {
    const views = days.map((d) => viewDayNumbers(d.candidates));
    const n = views.reduce((a, v) => a + v.count, 0);
    const dayOf = new Int32Array(n);
    const nth = new Int32Array(n);
    const ticker = new Array<string>(n);
    const decoded = new Map<number, readonly Candidate[]>();
    const cols = new CandidateColumns(n, new Float64Array(n), new Float64Array(n), ticker, new Float64Array(n), new Float64Array(n),
      new Float64Array(n), new Float64Array(n), (i) => {
        let list = decoded.get(dayOf[i]);
        if (!list) decoded.set(dayOf[i], (list = decodeDay(dayOf[i])));
        return list[nth[i]];
      });
    const finite = (v: number, none: number) => asJsonNumber(v) ?? none;
    let i = 0;
    for (let d = 0; d < days.length; d++) {
      const { count, numbers } = views[d];
      for (let k = 0; k < count; k++, i++) {
        const at = k * NUMBER_WIDTH;
        dayOf[i] = d;
        nth[i] = k;
        ticker[i] = days[d].ticker;
        cols.entryTs[i] = numbers[at + NUMBER_AT.entry_ts];
        cols.strength[i] = finite(numbers[at + NUMBER_AT.pattern_strength], -Infinity);
        cols.signalTs[i] = numbers[at + NUMBER_AT.signal_ts];
        cols.seq[i] = numbers[at + NUMBER_AT.seq];
        cols.entryPrice[i] = numbers[at + NUMBER_AT.entry_price];
        cols.risk[i] = finite(numbers[at + NUMBER_AT.risk], NaN);
      }
    }
    return cols;
  }
}
