/**
 * Continuing a recorded run (`resume`): the run's recorded plan must match the new one, or its finished
 * ticker-days would be merged with days computed from other data, other code or under other rules. Plans are
 * compared field by field (src/plan/diff-plans.ts), speed-only options aside; each difference is named as the
 * caller spells the option.
 */
import { BarwiseError } from '../errors.js';
import type { Caller } from '../config/options.js';
import type { ResultsDb } from '../results/results-db.js';
import { diffPlans, formatDifferences } from '../plan/diff-plans.js';
import type { RunPlan } from '../plan/run-plan.js';

export interface ResumePoint {
  runId: number;
  /** Finished ticker-days by ticker: their dates are left out of the tasks. */
  finished: Map<string, string[]>;
  /** Counts carried over from the finished ticker-days. */
  tickerDays: number;
  skipped: number;
  steps: number;
}

/** Checks the run can be continued with this plan and reopens it (failed ticker-days are retried). */
export function openResumePoint(results: ResultsDb, runId: number, plan: RunPlan, caller: Caller): ResumePoint {
  checkSamePlan(results, runId, plan, caller);
  const finished = new Map<string, string[]>();
  let tickerDays = 0;
  let skipped = 0;
  let steps = 0;
  for (const d of results.reopenRun(runId)) {
    let list = finished.get(d.ticker);
    if (!list) finished.set(d.ticker, (list = []));
    list.push(d.date);
    tickerDays++;
    steps += d.steps;
    if (d.status === 'skipped') skipped++;
  }
  return { runId, finished, tickerDays, skipped, steps };
}

/**
 * Refuses to continue run `runId` with a plan that differs from its recorded one (RESUME_MISMATCH, each
 * difference named in the caller's terms). Reads only: a completed run's record stays as it was.
 */
export function checkSamePlan(results: ResultsDb, runId: number, plan: RunPlan, caller: Caller): void {
  const diffs = diffPlans(readRecordedPlan(results, runId), plan, caller);
  if (diffs.length > 0) {
    const content = diffs.some((d) => d.content);
    const same = caller.kind === 'cli' ? '`--resume N` alone reuses the run\'s own options'
      : caller.kind === 'batch' ? 'or run the batch with --no-resume'
      : 'the run\'s plan is in runs.plan_json of the results database';
    throw new BarwiseError('RESUME_MISMATCH',
      `run #${runId} cannot be resumed: ${formatDifferences(diffs)}`,
      content
        ? 'Its finished ticker-days were computed from the data and code as they were; start a new run (without resume) to compute every day from the current ones.'
        : `Resume with the options the run was started with (${same}), or start a new run.`);
  }
}

/** The plan a run was recorded with. */
export function readRecordedPlan(results: ResultsDb, runId: number): RunPlan {
  const run = results.readRun(runId);
  if (!run) {
    throw new BarwiseError('RUN_NOT_FOUND', `run #${runId} is not in ${results.path}`,
      'List the recorded runs with `npm run runs`, or pass --results-db with the database the run was recorded in.');
  }
  if (run.plan === null) {
    throw new BarwiseError('RESUME_MISMATCH', `run #${runId} in ${results.path} has no recorded run plan, so what it read cannot be checked`,
      'Start a new run; runs recorded from now on can be resumed.');
  }
  return run.plan as RunPlan;
}
