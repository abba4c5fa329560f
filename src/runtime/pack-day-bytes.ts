/**
 * A task's byte fields (each traded day's price path and candidates) as views of one buffer, just before the
 * result leaves the worker. Structured cloning copies an ArrayBuffer once however many views share it, and the
 * main thread, which keeps these bytes to the run's end (kept-candidates.ts), then holds one buffer per task
 * instead of one or more per ticker-day and combination: a 16-combination trade-rules sweep of the universe
 * sent ~190k buffers otherwise, each a backing store to allocate on arrival and to sweep in every collection.
 * Bytes shared by several outcomes (the combinations with the same price path) stay shared: one copy, one view.
 * Each view starts at a multiple of 8 bytes, so that candidates' float64s are read in place (candidate-bytes.ts).
 */
import type { DayOutcome } from './task-types.js';

export function packDayBytes(outcomes: readonly (readonly DayOutcome[])[]): void {
  const views = new Map<Uint8Array, Uint8Array>();
  let total = 0;
  const note = (bytes: Uint8Array | undefined) => {
    if (bytes === undefined || views.has(bytes)) return;
    views.set(bytes, bytes);
    total += align(bytes.length);
  };
  for (const days of outcomes) {
    for (const d of days) {
      note(d.prices);
      note(d.candidates);
    }
  }
  if (views.size < 2) return;
  const buffer = new Uint8Array(total);
  let at = 0;
  for (const bytes of views.keys()) {
    buffer.set(bytes, at);
    views.set(bytes, buffer.subarray(at, at + bytes.length));
    at += align(bytes.length);
  }
  for (const days of outcomes) {
    for (const d of days) {
      if (d.prices !== undefined) d.prices = views.get(d.prices);
      if (d.candidates !== undefined) d.candidates = views.get(d.candidates);
    }
  }
}

const align = (n: number) => Math.ceil(n / 8) * 8;
