/** What a floor reports: the same counts barwise's `--out` has, and its signals (compared by bench/lib/compare-keys.ts). */
import type { KeyedSignal } from '../lib/compare-keys.js';

export type FloorSignal = Required<KeyedSignal>;

export interface FloorResult {
  floor: string;
  ticker_days: number;
  steps: number;
  signals: FloorSignal[];
  /** From opening the market database to the last step, in this process. */
  loop_ms: number;
  peak_rss_mb: number;
}
