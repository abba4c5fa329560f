/**
 * The rows of the queued task outcomes (results-db.ts) table by table, run by run, and within a run task by
 * task in ticker order: the order a flush inserts them in. The engine queues outcomes in completion order, and
 * a sweep queues each task's days once per combination, so in queue order consecutive rows of the signals and
 * run_days b-trees land far apart (another run, another date). Ordered so, run_days rows are in their key order
 * (run, ticker, date) and a run's signals are in theirs (date first) within each task: each flush fills the
 * run_days b-tree front to back and a run's signals at one place per date.
 * Replaying the task outcomes of a 16-combination trade-rules sweep over 256 tickers into an in-memory results
 * file (41k run_days, 38k signals, 38k candidates), the flushes took 0.73–0.96 s of CPU against 0.90–1.04 s in
 * queue order (JsonOnce below included); a synthetic WITHOUT ROWID table of wide rows, 3.2 against 9–14 µs a
 * row. Multi-row INSERTs gained nothing there: the b-tree work, not the statement calls, is the cost.
 *
 * Rows with equal keys keep their queue order (the sorts are stable), so a later record still replaces an
 * earlier one, as INSERT OR REPLACE in queue order would. Rows of one ticker queued by several of a flush's
 * tasks (its date windows, a task run again) come task by task.
 */
import { compareSignals, compareText } from '../merge/signal-order.js';
import type { DayOutcome } from '../runtime/task-types.js';
import type { Failure, Signal } from '../types.js';

/** One task's outcome as recordTask queues it. */
export interface PendingTask {
  runId: number;
  ticker: string;
  days: readonly DayOutcome[];
  signals: readonly Signal[];
  failures: readonly Failure[];
}

export interface PendingRows {
  days: { runId: number; ticker: string; d: DayOutcome }[];
  signals: { runId: number; s: Signal }[];
  failures: { runId: number; f: Failure }[];
}

export function orderPendingRows(batch: readonly PendingTask[]): PendingRows {
  // By run, then by ticker: a task's rows are one ticker's, its days in date order and its signals in signal
  // order (as the worker and the merge give them; sorted here if not), so sorting the tasks orders the rows
  // without comparing each row (sorting every row was 0.26 s of a 16-combination sweep's main thread, profiled,
  // on the universe; in a replay of those flushes the two measure the same within the noise).
  const byRun = new Map<number, PendingTask[]>();
  for (const t of batch) {
    const tasks = byRun.get(t.runId);
    if (tasks) tasks.push(t);
    else byRun.set(t.runId, [t]);
  }
  const rows: PendingRows = { days: [], signals: [], failures: [] };
  for (const runId of [...byRun.keys()].sort((a, b) => a - b)) {
    const tasks = byRun.get(runId)!.sort((a, b) => compareText(a.ticker, b.ticker));
    for (const { ticker, days, signals, failures } of tasks) {
      for (const d of inOrder(days, byDate)) rows.days.push({ runId, ticker, d });
      for (const s of inOrder(signals, compareSignals)) rows.signals.push({ runId, s });
      for (const f of failures) rows.failures.push({ runId, f });
    }
  }
  return rows;
}

const byDate = (a: DayOutcome, b: DayOutcome) => compareText(a.date, b.date);

/** `list` itself when already in `compare`'s order, else a sorted copy (stable: equal keys keep their order). */
function inOrder<T>(list: readonly T[], compare: (a: T, b: T) => number): readonly T[] {
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1], list[i]) > 0) return [...list].sort(compare);
  return list;
}

/**
 * JSON text per object, computed once for an object seen again: the combinations of a sweep that share a scan
 * record the very same signal objects (one structured clone carries them), so their metrics are stringified
 * once, not once per combination.
 */
export class JsonOnce {
  private readonly texts = new WeakMap<object, string>();

  of(value: object): string {
    let text = this.texts.get(value);
    if (text === undefined) this.texts.set(value, (text = JSON.stringify(value)));
    return text;
  }
}
