/**
 * barwise as a library. Every type that appears in an exported signature is exported too, so a caller
 * can name what it passes and gets back.
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
export type { ErrorCode, ErrorData } from './errors.js';
export type { BacktestOptions, RunMode, ReportedTimeZone } from './config/backtest-options.js';
export type { RunNotice, NoticeCode } from './notices/run-notice.js';
export type { AuditOptions, AuditHooks } from './audit/run-audit.js';
export type { AuditResult, AuditEntry, AuditSummary, AuditCategory, AuditSide, AuditStats, UnauditedDay, OrderCheck, OrderDependentDay } from './audit/audit-types.js';
export type { RunResult, RunInfo, RunHooks, RunCounts, Progress, RunStatus, PlannedWork, RunStartInfo } from './engine/run-result.js';
export type {
  Bar, DailyBar, Direction, Signal, Failure, ScanContext, ScanResult, ScannerModule, ScannerParamShape, ScannerSignal, ReferenceBars,
  Trade, ExitReason, SignalMode, SessionKind, ScannerKind,
} from './types.js';
export type { ReadOnlyDb, ReadOnlyStatement } from './day-db/day-db.js';
export type { ParamDecl, ParamValue, ScannerParams } from './scanners/scanner-params.js';
export type { TradeRulesInput, TradeRules, EntryMode, TradeDirection } from './config/trade-rules.js';
export type { TradeStats } from './stats/compute-stats.js';
export type { EquityPoint } from './stats/equity-curve.js';
export type { SizeRule, SizeMode } from './portfolio/size-rule.js';
export type { BreakdownRow } from './stats/breakdown.js';
export type { BySide, SideSummary } from './stats/performance-summary.js';
export type { PeriodReturn } from './stats/period-returns.js';
export type { DrawdownDuration } from './stats/drawdown-duration.js';
export type { Distribution } from './stats/excursions.js';
export type { BenchmarkSeries, BenchmarkStats } from './stats/benchmark.js';
export type { ImportOptions, ImportReport, ImportHooks, BadRow } from './data/import-csv.js';
export { runBatch } from './batch/run-batch.js';
export { loadBatchConfig } from './batch/batch-config.js';
export type { BatchSummary, JobSummary, JobStatus, BatchRunOptions, BatchHooks } from './batch/run-batch.js';
export type { BatchConfig, JobConfig, JobEntry, JobOptions } from './batch/batch-config.js';
export { runSweep } from './sweep/run-sweep.js';
export type { SweepHooks } from './sweep/run-sweep.js';
export type { SweepOptions, SweepResumeOptions, SweepResult, CombinationResult } from './sweep/sweep-options.js';
export type { SweepValue } from './sweep/parse-param-spec.js';
export type { SweepOverfitting } from './sweep/assess-overfitting.js';
export type { WalkForwardResult, WalkForwardStep } from './sweep/choose-walk-forward.js';
export type { WalkForwardWindow, WalkForwardShape } from './sweep/walk-forward-windows.js';
export type { PboResult } from './sweep/probability-of-overfitting.js';
export type { DeflatedSharpeResult } from './sweep/deflated-sharpe.js';
