/**
 * Run notices: what a run found that is probably not what was meant, though nothing failed (most signals
 * at the first step, a scanner reading days it was not given, reported times outside the session). A notice
 * never changes a result or the exit code; it is part of the result (`notices` in the JSON output) and the
 * CLI prints each on stderr. Each check is one file here; they read the finished result and the plan only,
 * so a resumed run gets the same notices as an uninterrupted one.
 */
import type { RunResult } from '../engine/run-result.js';
import type { RunPlan } from '../plan/run-plan.js';
import { checkLookbackUse } from './lookback-use.js';
import { checkReportedTimes } from './reported-times.js';
import { checkWarmupTrap } from './warmup-trap.js';

export type NoticeCode = 'WARMUP_TRAP' | 'LOOKBACK_NEEDED' | 'TIME_OUTSIDE_SESSION';

export interface RunNotice {
  code: NoticeCode;
  /** What was seen, with its figures. */
  message: string;
  /** What to do about it. */
  hint: string;
}

/** Every notice the finished run calls for, in a fixed order. */
export function collectRunNotices(result: RunResult, plan: RunPlan): RunNotice[] {
  return [checkWarmupTrap(result, plan), checkLookbackUse(plan), checkReportedTimes(result, plan)]
    .filter((n): n is RunNotice => n !== null);
}
