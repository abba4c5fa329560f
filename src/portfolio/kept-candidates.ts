/**
 * A run's candidate trades kept on the main thread as they are recorded, for the portfolio pass, so that a run
 * need not read them back from the results file after its last task, when nothing else runs: on the universe
 * run (bench/measure-recording.ts, --trade defaults) reading back its 19,181 candidates and their ticker-days'
 * price paths took 1.3–1.5 s of CPU, against tens of milliseconds from here. The pass reads every candidate's
 * entry and sizing numbers from the bytes (columns()); a day's candidates are decoded, and a path decoded and
 * marks built, only for the candidates it opens (84 of them there).
 *
 * Kept as the results file keeps them (INSERT OR REPLACE of the day's row): a ticker-day's candidates and
 * price path as the worker encoded them, a later record of the day replacing an earlier one, so the pass sees
 * what a read-back would; decoded only when the pass asks for them. Only a run
 * that records all of its candidates itself can use it: a resumed run's earlier candidates are in the file
 * only, and capping signals removes candidates there.
 */
import { compareText, compareTrades } from '../merge/signal-order.js';
import type { DayOutcome } from '../runtime/task-types.js';
import type { Candidate } from './candidate.js';
import { CandidateColumns } from './candidate-columns.js';
import { decodeDayCandidates } from './candidate-bytes.js';
import { markCandidateLazily } from './candidate-marks.js';
import { decodePricePath, type PricePath } from './price-path.js';
import { foldTradeContext, type TradeContext } from './trade-context.js';

export class KeptCandidates {
  /**
   * By ticker, then date: no key string made per day (a sweep keeps one of these per combination on the main
   * thread: 16 × 20,460 days on the universe, 0.5 s of its main thread's self time, profiled). A record of
   * what the pass and the statistics read, not the outcome itself, whose signals would then live as long.
   */
  private readonly tickers = new Map<string, Map<string, KeptDay>>();

  /** A task's recorded days, as results-db.ts records them. */
  keep(ticker: string, days: readonly DayOutcome[]): void {
    let byDate = this.tickers.get(ticker);
    if (!byDate) this.tickers.set(ticker, (byDate = new Map()));
    for (const d of days) {
      byDate.set(d.date, { date: d.date, finished: !d.error, span: d.span, untraded: d.untraded, prices: d.prices, candidates: d.candidates, firstStep: d.firstStep });
    }
  }

  /** Every kept day, each once (its latest record). An array: a generator measured 1.5× slower to go through. */
  private days(): KeptDay[] {
    const out: KeptDay[] = [];
    for (const byDate of this.tickers.values()) for (const d of byDate.values()) out.push(d);
    return out;
  }

  /** As ResultsDb.readTradeContext, from the days kept (trade-context.ts). */
  tradeContext(): TradeContext {
    return foldTradeContext(this.days());
  }

  /** As ResultsDb.readFinishedDays: the days recorded done or skipped (not failed), by ticker, then date. */
  finishedDays(): { ticker: string; date: string }[] {
    // Tickers sorted, then each one's dates: a sort of a few thousand keys and many of ten, not one of every day.
    const out: { ticker: string; date: string }[] = [];
    for (const ticker of [...this.tickers.keys()].sort(compareText)) {
      const byDate = this.tickers.get(ticker)!;
      for (const date of [...byDate.keys()].sort(compareText)) if (byDate.get(date)!.finished) out.push({ ticker, date });
    }
    return out;
  }

  /** Each kept day's first-step bar start as its worker found it (DayOutcome.firstStep), for the warmup-trap notice. */
  *firstSteps(): Iterable<{ ticker: string; date: string; firstStep: number | null | undefined }> {
    for (const [ticker, byDate] of this.tickers) for (const d of byDate.values()) yield { ticker, date: d.date, firstStep: d.firstStep };
  }

  /** The kept days that have candidates, each with its ticker. */
  private daysWithCandidates(): TradedDay[] {
    const out: TradedDay[] = [];
    for (const [ticker, byDate] of this.tickers) {
      for (const d of byDate.values()) if (d.candidates) out.push({ ticker, candidates: d.candidates, prices: d.prices });
    }
    return out;
  }

  /**
   * The candidates as the portfolio pass reads them (candidate-columns.ts): a day's are decoded, and marked,
   * only once the pass opens one of them.
   */
  columns(): CandidateColumns {
    const days = this.daysWithCandidates();
    return CandidateColumns.ofDays(days, (d) => markDay(days[d]));
  }

  /** The candidates in the total order of their signals (as readCandidates returns them), marked when read. */
  list(): Candidate[] {
    const all: Candidate[] = [];
    for (const day of this.daysWithCandidates()) all.push(...markDay(day));
    return all.sort(compareTrades);
  }
}

/** A kept day's candidates, in their stored order, each marked when its marks are first read. */
function markDay(day: TradedDay): Candidate[] {
  let decoded: PricePath | undefined | null = null;
  const readPath = () => (decoded === null ? (decoded = day.prices ? decodePricePath(day.prices) : undefined) : decoded);
  return decodeDayCandidates(day.candidates).map((r) => markCandidateLazily(r, readPath));
}

interface KeptDay {
  date: string;
  /** Recorded done or skipped (its run_days status), not failed. */
  finished: boolean;
  span: [number, number] | undefined;
  untraded: Record<string, number> | undefined;
  prices: Uint8Array | undefined;
  /** Encoded (candidate-bytes.ts); absent when the day has none. */
  candidates: Uint8Array | undefined;
  firstStep: number | null | undefined;
}

/** A kept day with candidates, as the portfolio pass opens it. */
interface TradedDay {
  ticker: string;
  /** Encoded (candidate-bytes.ts). */
  candidates: Uint8Array;
  prices: Uint8Array | undefined;
}
