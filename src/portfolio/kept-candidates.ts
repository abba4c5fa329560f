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
  private readonly records = new Map<string, CandidateRecord>();
  private readonly prices = new Map<string, Uint8Array | undefined>();

  /** A task's recorded days, as results-db.ts records them. */
  keep(ticker: string, days: readonly DayOutcome[]): void {
    for (const d of days) {
      for (const c of d.candidates ?? []) this.records.set(`${c.date}|${c.signal_ts}|${c.ticker}|${c.seq}`, c);
      this.prices.set(`${ticker}|${d.date}`, d.prices);
    }
  }

  /** The candidates in the total order of their signals (as readCandidates returns them), marked when read. */
  list(): Candidate[] {
    const decoded = new Map<string, PricePath | undefined>();
    const readPath = (key: string) => () => {
      if (!decoded.has(key)) {
        const bytes = this.prices.get(key);
        decoded.set(key, bytes ? decodePricePath(bytes) : undefined);
      }
      return decoded.get(key);
    };
    return [...this.records.values()].sort(compareTrades).map((r) => markCandidateLazily(r, readPath(`${r.ticker}|${r.date}`)));
  }
}
