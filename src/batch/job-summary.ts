/**
 * What the batch summary says of each job, whether it ran a backtest or a sweep (run-sweep-job.ts).
 */
import type { SweepValue } from '../sweep/parse-param-spec.js';

/**
 * completed: every ticker-day ran; already-completed: an earlier batch completed this very job; partial: some
 * ticker-days failed; failed: the job could not run; interrupted / not-started: the batch was stopped.
 */
export type JobStatus = 'completed' | 'already-completed' | 'partial' | 'failed' | 'interrupted' | 'not-started';

export interface JobSummary {
  name: string;
  status: JobStatus;
  run_id: number | null;
  /** True when the job continued an earlier, unfinished run. */
  resumed: boolean;
  scanner?: string;
  from?: string;
  to?: string;
  tickers?: number;
  ticker_days?: number;
  signals?: number;
  failures?: number;
  wall_ms?: number;
  error?: string;
  /** A sweep job's sweep and its best combination (`run_id` is that combination's run). */
  sweep?: SweepJobSummary;
}

/** What the batch summary says of a sweep job. */
export interface SweepJobSummary {
  sweep_id: number;
  combinations: number;
  objective: string;
  /** The first of the ranking; null when no combination has a value. */
  best: { run_id: number; values: Record<string, SweepValue>; objective: number | null; trades: number } | null;
  /** Computed when the sweep ran in this batch; null when skipped or when read back from an earlier batch. */
  walk_forward_objective: number | null;
  pbo: { pbo: number; verdict: string } | null;
}
