/**
 * Completion order must never show in the output: signals are put in their total order and then
 * de-duplicated, the first standing (both defined in signal-order.ts).
 */
import type { Signal } from '../types.js';
import { compareSignals, signalKey } from './signal-order.js';

/** Sorted, de-duplicated copy. */
export function mergeSignals(signals: readonly Signal[]): Signal[] {
  const sorted = [...signals].sort(compareSignals);
  const seen = new Set<string>();
  const out: Signal[] = [];
  for (const s of sorted) {
    const key = signalKey(s);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}
