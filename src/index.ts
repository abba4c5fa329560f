/**
 * barwise as a library.
 */
export { runBacktest } from './engine/run-backtest.js';
export { runAudit } from './audit/run-audit.js';
export { resolveRun } from './plan/resolve-run.js';
export { hashPlan } from './plan/run-plan.js';
export type { RunPlan, PlanTradeRules } from './plan/run-plan.js';
export type { MarketFingerprint } from './plan/fingerprint-market.js';
export { defineScanner } from './scanners/define-scanner.js';
export { importCsv } from './data/import-csv.js';
export { BarwiseError } from './errors.js';
export type { ErrorCode } from './errors.js';
export type { BacktestOptions } from './config/backtest-options.js';
export type { AuditOptions } from './audit/run-audit.js';
export type { AuditResult, AuditEntry, AuditSummary, AuditCategory, OrderCheck, OrderDependentDay } from './audit/audit-types.js';
export type { RunResult, RunInfo, RunHooks, Progress, RunStatus } from './engine/run-result.js';
export type { Bar, Signal, Failure, ScanContext, ScanResult, ScannerModule, ScannerSignal, Trade, ExitReason } from './types.js';
export type { TradeRulesInput, TradeRules } from './config/trade-rules.js';
export type { TradeStats } from './stats/compute-stats.js';
export { runBatch } from './batch/run-batch.js';
export { loadBatchConfig } from './batch/batch-config.js';
export type { BatchSummary, JobSummary, JobStatus } from './batch/run-batch.js';
