/**
 * The run plan: everything that decides what a run computes, resolved, as plain null-free JSON (no handles, no
 * temp paths). It is recorded with the run (runs.plan_json), compared field by field on resume, and its hash
 * (canonical JSON → SHA-256, speed-only options left out) is the run's identity.
 */
import { createHash } from 'node:crypto';
import { RUN_ROWS } from '../config/options.js';
import type { TradeRules } from '../config/trade-rules.js';
import type { ContextRequest } from '../runtime/task-types.js';
import type { ScannerParams } from '../scanners/scanner-params.js';
import type { ScannerKind, SessionKind, SignalMode } from '../types.js';
import type { MarketFingerprint } from './fingerprint-market.js';

/** TradeRules without its null fields (a rule not set is absent). */
export type PlanTradeRules = { [K in keyof TradeRules]?: Exclude<TradeRules[K], null> };

export interface RunPlan {
  /** barwise version that resolved the plan. */
  version: string;
  /** Market database, absolute path. */
  db: string;
  scanner: {
    /** Absolute path. */
    path: string;
    kind: ScannerKind;
    name: string;
    /** What the scanner declares (warmup, context) as read from it; absent fields were not declared. */
    meta: { description?: string; warmup?: number; references?: string[]; lookbackDays?: number; dailyBars?: number; persistent?: boolean };
    /** SHA-256 over the scanner file and every local file it imports, transitively (see hash-scanner.ts). */
    sha256: string;
    /** Those files, relative to the scanner's folder, sorted. */
    files: string[];
  };
  universe: {
    /** Tickers with bars in range, sorted. */
    tickers: string[];
    /** Requested tickers that have no bars in range. */
    withoutBars: string[];
    from: string;
    to: string;
  };
  options: {
    warmup: number;
    signals: SignalMode;
    session: SessionKind;
    timeframe: string;
    mode: 'realtime' | 'naive' | 'full-day';
    persistent: boolean;
    /** Present (true) only when given: a run without it has the plan (and hash) it always had. */
    allowScannerWrites?: boolean;
    maxSignals?: number;
    /** Absent for the default (America/New_York), so plans that never set it keep their hash. */
    reportedTimeZone?: 'UTC';
    threads: number;
    stepTimeoutMs: number;
    workerMemoryMb: number;
    /** Absent in plans recorded before the option existed: the default applies. */
    maxFailures?: number;
  };
  context: ContextRequest;
  /**
   * The scanner's parameter values: every name it declares, defaults filled, keys sorted. Empty for a scanner
   * that declares none, and then left out of the hash, so such plans keep the hash they always had.
   */
  params: ScannerParams;
  /** Absent when the run does not trade. */
  trade?: PlanTradeRules;
  market: MarketFingerprint;
}

/** Plan options that never change a result, from the option table: left out of the hash. */
export const SPEED_ONLY_KEYS: readonly string[] = RUN_ROWS.filter((r) => !r.identity).map((r) => r.key!);

/** The plan's identity: SHA-256 of its canonical JSON without the speed-only options. */
export function hashPlan(plan: RunPlan): string {
  return createHash('sha256').update(canonicalJson(selectIdentity(plan))).digest('hex');
}

export function selectIdentity(plan: RunPlan): Omit<RunPlan, 'options' | 'params'> & { options: Partial<RunPlan['options']>; params?: ScannerParams } {
  const options: Record<string, unknown> = { ...plan.options };
  for (const k of SPEED_ONLY_KEYS) delete options[k];
  const { params, ...rest } = plan;
  // Recorded plans of scanners without parameters have no `params`: both spell "none" with the same hash.
  return { ...rest, options, ...(params && Object.keys(params).length > 0 ? { params } : {}) };
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, val) => (val && typeof val === 'object' && !Array.isArray(val)
    ? Object.fromEntries(Object.keys(val).sort().map((k) => [k, (val as Record<string, unknown>)[k]]))
    : val)) ?? 'undefined';
}

export function stripNulls<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]?: Exclude<T[K], null> };
}

/** The plan's trade rules as the simulator takes them (absent rules are null). */
export function readTradeRules(plan: Pick<RunPlan, 'trade'>): TradeRules | null {
  if (!plan.trade) return null;
  const t = plan.trade;
  return {
    direction: t.direction!, entry: t.entry!, stopPct: t.stopPct ?? null, targetPct: t.targetPct ?? null, trailPct: t.trailPct ?? null,
    atrStop: t.atrStop ?? null, atrPeriod: t.atrPeriod!, maxBars: t.maxBars ?? null, exitSecond: t.exitSecond ?? null,
    exitTime: t.exitTime ?? null, slippageBps: t.slippageBps!, commissionPerShare: t.commissionPerShare!, commissionMin: t.commissionMin!,
    capital: t.capital!, size: t.size!, maxPositions: t.maxPositions ?? null, maxExposure: t.maxExposure!,
    benchmark: t.benchmark ?? null,
  };
}
