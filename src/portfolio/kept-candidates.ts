/**
 * A run's candidate trades kept on the main thread as they are recorded, for the portfolio pass, so that a run
 * need not read them back from the results file after its last task, when nothing else runs: on the universe
 * run (bench/measure-recording.ts, --trade defaults) reading back its 19,181 candidates and their ticker-days'
 * price paths took 1.3–1.5 s of CPU, against tens of milliseconds from here. A path is decoded, and marks built,
 * only for the candidates the pass opens (84 of them there).
 *
 * Kept as the results file keeps them (INSERT OR REPLACE): one candidate per signal key, one price path per
 * ticker-day, a later record replacing an earlier one, so the pass sees what a read-back would. Only a run
 * that records all of its candidates itself can use it: a resumed run's earlier candidates are in the file
 * only, and capping signals removes candidates there.
 */
import { compareTrades } from '../merge/signal-order.js';
import type { DayOutcome } from '../runtime/task-types.js';
import type { Candidate, CandidateRecord } from './candidate.js';
import { markCandidateLazily } from './candidate-marks.js';
import { decodePricePath, type PricePath } from './price-path.js';

export class KeptCandidates {
  /**
   * By ticker-day: its price path and its candidates. A day is almost always recorded once, so its candidates
   * are kept as the array recorded, with one key per ticker-day rather than one more per candidate (a sweep
   * keeps them per combination on the main thread); a day recorded again is merged by signal key.
   */
  private readonly days = new Map<string, { prices: Uint8Array | undefined; candidates: readonly CandidateRecord[] }>();

  /** A task's recorded days, as results-db.ts records them. */
  keep(ticker: string, days: readonly DayOutcome[]): void {
    for (const d of days) {
      const key = `${ticker}|${d.date}`;
      const candidates = d.candidates ?? [];
      const earlier = this.days.get(key);
      this.days.set(key, { prices: d.prices, candidates: earlier ? replaceBySignal(earlier.candidates, candidates) : candidates });
    }
  }

  /** The candidates in the total order of their signals (as readCandidates returns them), marked when read. */
  list(): Candidate[] {
    const all: Candidate[] = [];
    for (const day of this.days.values()) {
      if (day.candidates.length === 0) continue;
      let decoded: PricePath | undefined | null = null;
      const readPath = () => (decoded === null ? (decoded = day.prices ? decodePricePath(day.prices) : undefined) : decoded);
      for (const r of day.candidates) all.push(markCandidateLazily(r, readPath));
    }
    return all.sort(compareTrades);
  }
}

/** `earlier` with `later` recorded over it, one candidate per signal key, as INSERT OR REPLACE keeps them. */
function replaceBySignal(earlier: readonly CandidateRecord[], later: readonly CandidateRecord[]): CandidateRecord[] {
  const byKey = new Map<string, CandidateRecord>();
  for (const c of [...earlier, ...later]) byKey.set(`${c.date}|${c.signal_ts}|${c.ticker}|${c.seq}`, c);
  return [...byKey.values()];
}
