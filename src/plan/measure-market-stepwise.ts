/**
 * The market fingerprint measured on the main thread while the run's workers already scan (run-backtest.ts):
 * a slice of tickers per statement, the event loop given back between slices, so that the thread keeps
 * answering and feeding its workers (a worker call is ~30 ms of work, two queued per thread: a slice must
 * stay well below that). The slices are sized by measurement to about SLICE_MS each; the entries do not
 * depend on the slicing (fingerprint-market.ts), so the fingerprint equals the one-statement measurement.
 *
 * All slices read in one read transaction: one snapshot of the store, as the one statement reads.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describeStoreError } from '../data/describe-store-error.js';
import { openMarketStore } from '../data/market-store.js';
import type { ContextRequest } from '../runtime/task-types.js';
import { measureInSlices, type MeasuredMarket, type PartialMarket } from './fingerprint-market.js';

/**
 * Main-thread time a slice aims at, measured in wall time: on a loaded machine a slice's time swells with the
 * waits for a core, and the slices shrink so the thread still answers its workers between them. (Slices of at
 * least 8 tickers and 8 ms, tried for their lower CPU, measured slower in wall on the bench universe at load
 * ~17: SQL 43 s against 84 s, module 37 s against 42 s, one alternating pair each.)
 */
const SLICE_MS = 4;
const MIN_SLICE = 1;
const FIRST_SLICE = 4;
const MAX_SLICE = 512;

export async function measureMarketStepwise(
  db: string,
  run: { tickers: readonly string[]; from: string; to: string; timeframe: string },
  context: ContextRequest,
  onSlice: (partial: PartialMarket) => void,
): Promise<MeasuredMarket> {
  const store = openMarketStore(db);
  let failed = false;
  try {
    store.db.exec('BEGIN');
    let size = FIRST_SLICE;
    let began = performance.now();
    const steps = measureInSlices(store, run, context, () => size);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      const ms = performance.now() - began;
      size = Math.min(MAX_SLICE, Math.max(MIN_SLICE, Math.round(size * Math.min(4, SLICE_MS / Math.max(ms, 0.05)))));
      onSlice(step.value);
      await nextTurn();
      began = performance.now();
    }
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    // Ending the read transaction after a failed read (a damaged page) fails too: the read's own error, which
    // names the file and the remedy (describeStoreError), is the one the run reports.
    if (store.db.inTransaction) {
      try {
        store.db.exec(failed ? 'ROLLBACK' : 'COMMIT');
      } catch (err) {
        if (!failed) throw describeStoreError(err, db);
      }
    }
    store.close();
  }
}
