/**
 * The planner's tasks → shards, a job each on the queue. A task alone is a few milliseconds of work, and a job
 * costs a few Redis round trips and a signature on both sides: one job per task made the queue cost 1.5–1.85×
 * the local run on the bench universe. A shard groups tasks into about SHARD_STEPS scanner steps, a second or
 * more on one machine, which buries that cost.
 *
 * The grouping depends only on the tasks handed over together and the market fingerprint (bars per ticker),
 * never on timing, so the same plan forms the same shards and their job ids, and enqueueing it again is
 * harmless. Tasks are dealt costliest first to the lightest shard (longest-processing-time first), so shards
 * are of even cost; within a shard the costliest run first, so the worker's threads finish together.
 */
import { createHash } from 'node:crypto';
import type { Task } from '../runtime/task-types.js';

/** Scanner steps a shard aims at: ~1–3 s of one SQL-scanner thread (~8–15 µs/step, PERF-NOTES.md). */
export const SHARD_STEPS = 200_000;
/** Fewest shards a batch of tasks makes (when it has that many tasks), so that several workers share a small run. */
export const MIN_SHARDS = 4;

export interface Shard<T = Task> {
  /** From its tasks' keys and the days they leave out (and their attempt): the same work, the same key. */
  key: string;
  tasks: T[];
  /** Estimated scanner steps. */
  steps: number;
}

const DAY_MS = 86_400_000;

/** Estimated steps of a task: its ticker's bars over the run, pro rata to the calendar days of its window. */
export function estimateSteps(task: Task, barsOfTicker: number, run: { from: string; to: string }): number {
  const days = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / DAY_MS) + 1;
  return (barsOfTicker * days(task.fromDate, task.toDate)) / Math.max(1, days(run.from, run.to));
}

/**
 * Groups `tasks` into shards of about `target` steps (at least `min` shards while there are tasks for them),
 * costliest shard first. `label` names a task's work in the shard key (its key, skipped days, attempt).
 */
export function formShards<T>(tasks: readonly T[], stepsOf: (t: T) => number, label: (t: T) => string,
  target = SHARD_STEPS, min = MIN_SHARDS): Shard<T>[] {
  if (tasks.length === 0) return [];
  const costed = tasks.map((task) => ({ task, steps: stepsOf(task), label: label(task) }));
  const total = costed.reduce((s, c) => s + c.steps, 0);
  const count = Math.min(tasks.length, Math.max(min, Math.ceil(total / target)));
  // A total order (cost, then label): the grouping never depends on the order the tasks came in.
  costed.sort((a, b) => b.steps - a.steps || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const bins = Array.from({ length: count }, () => ({ items: [] as typeof costed, steps: 0 }));
  for (const c of costed) {
    let lightest = bins[0];
    for (const b of bins) if (b.steps < lightest.steps) lightest = b;
    lightest.items.push(c);
    lightest.steps += c.steps;
  }
  return bins
    .filter((b) => b.items.length > 0)
    .map((b) => ({
      key: createHash('sha256').update(b.items.map((c) => c.label).join('\n')).digest('hex').slice(0, 32),
      tasks: b.items.map((c) => c.task),
      steps: b.steps,
    }))
    .sort((a, b) => b.steps - a.steps || (a.key < b.key ? -1 : 1));
}
