/**
 * A recorded plan back to the options that resolve to it (the same store, scanner and code given): `--resume N`
 * starts from these, and any option given with it overrides just that option.
 */
import type { BacktestOptions } from '../config/backtest-options.js';
import { TRADE_RULE_KEYS, type TradeRulesInput } from '../config/trade-rules.js';
import { formatSizeRule, type SizeRule } from '../portfolio/size-rule.js';
import type { RunPlan } from './run-plan.js';

export function planToOptions(plan: RunPlan): BacktestOptions {
  const o = plan.options;
  const trade: Record<string, unknown> = {};
  if (plan.trade) {
    for (const k of TRADE_RULE_KEYS) {
      const v = plan.trade[k as keyof typeof plan.trade];
      if (v !== undefined) trade[k] = k === 'size' ? formatSizeRule(v as SizeRule) : v;
    }
  }
  return {
    db: plan.db,
    scanner: plan.scanner.path,
    scannerKind: plan.scanner.kind,
    // Tickers without bars in range were asked for too: asking again resolves to the same universe.
    tickers: [...plan.universe.tickers, ...plan.universe.withoutBars].sort(),
    from: plan.universe.from,
    to: plan.universe.to,
    threads: o.threads,
    warmup: o.warmup,
    signals: o.signals,
    session: o.session,
    timeframe: o.timeframe,
    mode: o.mode,
    ...(plan.scanner.kind === 'script' ? { persistent: o.persistent } : {}),
    ...(o.allowScannerWrites ? { allowScannerWrites: true } : {}),
    ...(o.maxSignals !== undefined ? { maxSignals: o.maxSignals } : {}),
    ...(o.reportedTimeZone !== undefined ? { reportedTimeZone: o.reportedTimeZone } : {}),
    stepTimeoutMs: o.stepTimeoutMs,
    workerMemoryMb: o.workerMemoryMb,
    ...(o.maxFailures !== undefined ? { maxFailures: o.maxFailures } : {}),
    // Context as resolved (options over the scanner's own): passing it back resolves to the same.
    references: plan.context.references,
    lookbackDays: plan.context.lookbackDays,
    dailyBars: plan.context.dailyBars,
    ...(plan.trade ? { trade: trade as TradeRulesInput } : {}),
  };
}

/**
 * Options given with a resume over the recorded ones. Trade rules merge rule by rule, so `--stop-pct 2` changes
 * only the stop; a size given replaces the recorded size (size, shares and risk-per-trade exclude each other).
 */
export function mergeOverRecorded(recorded: BacktestOptions, given: Partial<BacktestOptions>): BacktestOptions {
  const merged: BacktestOptions = { ...recorded, ...given } as BacktestOptions;
  if (given.tickersFile !== undefined && given.tickers === undefined) delete merged.tickers;
  if (recorded.trade && given.trade) {
    const base: TradeRulesInput = { ...recorded.trade };
    if (given.trade.size !== undefined || given.trade.riskPerTrade !== undefined || given.trade.shares !== undefined) {
      delete base.size;
      delete base.shares;
      delete base.riskPerTrade;
    }
    // A rules file given now applies under the rules given with it, over the recorded ones.
    if (given.trade.config !== undefined) for (const k of TRADE_RULE_KEYS) delete base[k];
    merged.trade = { ...base, ...given.trade };
  }
  return merged;
}
