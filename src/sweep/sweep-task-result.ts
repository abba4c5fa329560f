/**
 * A sweep task's answer: the days of each combination, as a backtest of that combination alone would answer
 * them. It is a TaskResult (the supervisor reads `ok`, `error`, `stopped` and `days`) whose `days` are left
 * empty: a failure of one combination is its own, so it is recorded on its run and does not count toward the
 * run-wide limit of identical failures (--max-failures), which would otherwise stop every combination.
 */
import type { DayOutcome, TaskResult } from '../runtime/task-types.js';

export type SweepTaskResult =
  | { ok: true; days: DayOutcome[]; stopped?: boolean; combinations: DayOutcome[][] }
  | Extract<TaskResult, { ok: false }>;

export function isSweepResult(res: TaskResult): res is SweepTaskResult & { ok: true } {
  return res.ok && Array.isArray((res as { combinations?: unknown }).combinations);
}
