/**
 * Every check of a finished run (warmup trap, a scanner reading days it was not given, reported times outside
 * the session). They read the finished result and the plan only, so a resumed run gets the same notices as an
 * uninterrupted one.
 */
import type { RunResult } from '../engine/run-result.js';
import type { RunPlan } from '../plan/run-plan.js';
import { checkLookbackUse } from './lookback-use.js';
import { checkReportedTimes } from './reported-times.js';
import type { RunNotice } from './run-notice.js';
import { checkWarmupTrap, type FirstSteps } from './warmup-trap.js';

/** Every notice the finished run calls for, in a fixed order. */
export function collectRunNotices(result: RunResult, plan: RunPlan, firstSteps?: FirstSteps): RunNotice[] {
  return [checkWarmupTrap(result, plan, firstSteps), checkLookbackUse(plan), checkReportedTimes(result, plan)]
    .filter((n): n is RunNotice => n !== null);
}
