/**
 * What a sweep's workers are told beside the run's WorkerConfig: the distinct scanner parameter sets (each one
 * scanner instance per worker, all stepping the same day database) and, per combination, which of them it
 * scans with and the trade rules it trades under. Combinations that differ only in trade rules share a scan.
 */
import type { TradeRules } from '../config/trade-rules.js';
import type { ScannerParams } from '../scanners/scanner-params.js';

export interface SweepWorkerPlan {
  /** Distinct resolved scanner parameter sets (as each combination's plan has them), one scanner instance each. */
  scans: ScannerParams[];
  /** In the sweep's order: the scan (index into scans) and trade rules of each combination. */
  combinations: { scan: number; trade: TradeRules }[];
}
