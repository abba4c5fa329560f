/**
 * A recorded plan back to the options that resolve to it (the same store, scanner and code given): `--resume N`
 * starts from these, and any option given with it overrides just that option.
 */
import type { BacktestOptions } from '../config/backtest-options.js';
import { TRADE_RULE_KEYS, type TradeRulesInput } from '../config/trade-rules.js';
import { formatSizeRule, type SizeRule } from '../portfolio/size-rule.js';
import { TRADE_PARAM_PREFIX } from '../scanners/scanner-params.js';
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
    // Every declared parameter as resolved (plans of scanners without any have none, or no field at all).
    ...(plan.params && Object.keys(plan.params).length > 0 ? { params: { ...plan.params } } : {}),
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
  // Parameters merge name by name, as rules do: `--param vol_mult=3` changes that one and keeps the others.
  if (recorded.params && given.params) merged.params = { ...recorded.params, ...given.params };
  // A rule given now as `--param trade.stopPct=…` replaces the recorded rule (else both would set it).
  const ruleParams = Object.keys(given.params ?? {}).filter((k) => k.startsWith(TRADE_PARAM_PREFIX)).map((k) => k.slice(TRADE_PARAM_PREFIX.length));
  if (ruleParams.length > 0 && merged.trade) {
    merged.trade = { ...merged.trade };
    for (const k of ruleParams) if (given.trade?.[k as keyof TradeRulesInput] === undefined) delete merged.trade[k as keyof TradeRulesInput];
  }
  return merged;
}
