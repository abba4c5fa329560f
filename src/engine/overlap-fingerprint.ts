/**
 * A fresh run on this machine's threads (a backtest, a sweep) scans while the main thread measures the market
 * fingerprint, a slice of tickers at a time (measure-market-stepwise.ts), instead of measuring it first with
 * every worker waiting. What the tasks answer is held until the plan hash and the run's rows exist; errors
 * that name the run, raised before it has rows, are named once it has (createLateNames).
 *
 * A resumed run needs the plan to know which days to leave out; the queue ships the fingerprint with the
 * first shard; a run that starts processes per step may be refused once its work is known: those measure it
 * first, as one statement (completePlan).
 */
import { locateColumnCache } from '../data/column-cache.js';
import type { PartialMarket } from '../plan/fingerprint-market.js';
import { measureMarketStepwise } from '../plan/measure-market-stepwise.js';
import type { ResolvedRun } from '../plan/resolve-run.js';
import type { Task } from '../runtime/task-types.js';

export interface FingerprintOverlap {
  /** Measures the fingerprint beside the scan; `resolved.market` and `resolved.covered` are set when it resolves. */
  measure(): Promise<void>;
  /**
   * With the column cache on: a task waits until its ticker's entry is measured and carries it (its window's
   * name in the cache). Undefined without the cache: a task that waited for the fingerprint to reach its
   * ticker would wait for nothing (on 2 cores the workers can overtake this thread, which shares a core with them).
   */
  prepare?: (task: Task) => Promise<Task>;
}

export function overlapFingerprint(resolved: ResolvedRun): FingerprintOverlap {
  const { draft } = resolved;
  let partial: PartialMarket | null = null;
  let measured = false;
  let sliced = () => {};
  let nextSlice = new Promise<void>((r) => (sliced = r));
  const onSlice = (p: PartialMarket | null) => {
    partial = p;
    sliced();
    nextSlice = new Promise<void>((r) => (sliced = r));
  };
  const scope = { from: draft.universe.from, to: draft.universe.to };
  const prepare = locateColumnCache() === null ? undefined : async (task: Task): Promise<Task> => {
    const through = () => (partial as PartialMarket | null)?.through ?? null;
    for (let t = through(); !measured && (t === null || task.ticker > t); t = through()) await nextSlice;
    const entry = (partial as PartialMarket | null)?.entries[task.ticker];
    return entry ? { ...task, market: { ...scope, entry } } : task;
  };
  const measure = () => measureMarketStepwise(draft.db, { ...draft.universe, timeframe: draft.options.timeframe }, draft.context, onSlice).then((m) => {
    resolved.market = m.fingerprint;
    resolved.covered = m.covered;
  }).finally(() => {
    measured = true;
    onSlice(partial);
  });
  return { measure, ...(prepare ? { prepare } : {}) };
}

/**
 * Once the supervisor has handed the first tasks over (they wait for the first slice): the fingerprint is
 * measured, then the run begins (its rows, then what was held) and is announced. When any of it fails (the
 * fingerprint cannot be read, the run is refused, a hook throws), the tasks are stopped, the supervisor is
 * waited for, and the error goes to `fail`, which ends what begin() opened.
 */
export async function joinOverlap(
  measure: () => Promise<void>,
  run: { begin(): Promise<void>; announce(): void; emit(): void; stopProgress(): void },
  supervising: Promise<unknown>,
  stopEarly: AbortController,
  fail: (err: unknown) => Promise<never>,
): Promise<void> {
  try {
    await measure();
    await run.begin();
    run.announce();
    run.emit(); // the tasks that ended while it was measured (all of a small run's, maybe)
  } catch (err) {
    stopEarly.abort();
    await supervising.catch(() => {});
    run.stopProgress();
    await fail(err);
  }
}

/**
 * Errors that name the run (its id, the command that continues it), raised while it has no rows yet: `later`
 * returns a token in the error's place, and `named` turns a token into the error once `hasRows()`.
 */
export function createLateNames(hasRows: () => boolean): { later(make: () => unknown): unknown; named(err: unknown): unknown } {
  const unnamed = new Map<object, () => unknown>();
  return {
    later(make) {
      if (hasRows()) return make();
      const token = {};
      unnamed.set(token, make);
      return token;
    },
    named: (err) => (err !== null && typeof err === 'object' && unnamed.has(err) ? unnamed.get(err)!() : err),
  };
}
