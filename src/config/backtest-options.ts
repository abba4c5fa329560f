/**
 * Options as users pass them (CLI flags or the library), and as the engine uses them: resolved and
 * validated once, here, with messages that name the option.
 */
import os from 'node:os';
import { BarwiseError } from '../errors.js';
import { isValidDate } from '../data/exchange-time.js';
import { DEFAULT_TIMEFRAME } from '../data/schema.js';
import type { ScannerKind, SessionKind, SignalMode } from '../types.js';
import { SCANNER_KINDS } from '../scanners/scanner-source.js';
import { MAX_DAILY_BARS, MAX_LOOKBACK_DAYS, parseReferences } from '../scanners/scanner-options.js';
import { resolveTradeRules, type TradeRules, type TradeRulesInput } from './trade-rules.js';
import { readTickersFile } from './read-tickers-file.js';

export const SIGNAL_MODES = ['first', 'all'] as const satisfies readonly SignalMode[];
export const SESSIONS = ['regular', 'extended'] as const satisfies readonly SessionKind[];
/** full-day: the non-realtime backtest the audit compares against (docs/audit.md); never lookahead-free. */
export const RUN_MODES = ['realtime', 'naive', 'full-day'] as const;
export type RunMode = (typeof RUN_MODES)[number];

export interface BacktestOptions {
  /** Market database (SQLite with ohlcv_data). Default: the bundled sample, built on first use. */
  db?: string;
  /** Scanner file: .sql, or a module (.ts/.js/.mjs). */
  scanner: string;
  /** Universe; default every ticker in the store. */
  tickers?: string[];
  /** File of tickers (one per line or comma-separated, # comments). */
  tickersFile?: string;
  /** First and last trading date, inclusive, YYYY-MM-DD. Default: the whole store. */
  from?: string;
  to?: string;
  /** Worker threads. Default: available parallelism. */
  threads?: number;
  /** Bars before the first step. Default: the scanner's own, else 30. */
  warmup?: number;
  signals?: SignalMode;
  session?: SessionKind;
  timeframe?: string;
  /** Keep only the first N signals of the total order. */
  maxSignals?: number;
  /** A scanner call taking longer fails its ticker-day. Default 120 000 ms. */
  stepTimeoutMs?: number;
  /** Results database. Default results/barwise.db; ':memory:' keeps nothing. */
  resultsDb?: string;
  mode?: RunMode;
  /** Heap limit per worker, MB. */
  workerMemoryMb?: number;
  /** Override the kind decided from the file (e.g. 'script' for a .ts that is a legacy script). */
  scannerKind?: ScannerKind;
  /** Persistent protocol for script scanners: true/false override the script's own `barwise: persistent`. */
  persistent?: boolean;
  /** Reference tickers whose bars so far each step also sees (e.g. ['SPY', 'QQQ']). Overrides the scanner's. */
  references?: string[];
  /** Previous trading days of the ticker each day also sees, whole. Overrides the scanner's. */
  lookbackDays?: number;
  /** Previous completed daily bars (timeframe `1day`) each day sees. Overrides the scanner's. */
  dailyBars?: number;
  /** Trade the signals under these rules (docs/trades.md); the result then has `trades` and `stats`. */
  trade?: TradeRulesInput;
  /**
   * Continue this recorded run (an id in the results database) instead of starting a new one: the inputs must
   * match the run's, finished ticker-days are kept, failed ones retried. The result equals an uninterrupted run's.
   */
  resume?: number;
}

export const DEFAULTS = {
  warmup: 30,
  signals: 'first' as SignalMode,
  session: 'regular' as SessionKind,
  timeframe: DEFAULT_TIMEFRAME,
  stepTimeoutMs: 120_000,
  resultsDb: 'results/barwise.db',
  mode: 'realtime' as RunMode,
  workerMemoryMb: 2048,
};

export const MAX_THREADS = 256;

/** Everything the engine needs, filled in. `tickers` is null for "all"; dates null for "whole store". */
export interface ResolvedOptions {
  db: string;
  scanner: string;
  tickers: string[] | null;
  from: string | null;
  to: string | null;
  threads: number;
  /** Null: take it from the scanner, else the default. */
  warmup: number | null;
  signals: SignalMode;
  session: SessionKind;
  timeframe: string;
  maxSignals: number | null;
  stepTimeoutMs: number;
  resultsDb: string;
  mode: RunMode;
  workerMemoryMb: number;
  scannerKind: ScannerKind | null;
  persistent: boolean | null;
  /** Null: take it from the scanner, else none. */
  references: string[] | null;
  lookbackDays: number | null;
  dailyBars: number | null;
  trade: TradeRules | null;
  resume: number | null;
}

export function resolveOptions(o: BacktestOptions & { db: string }): ResolvedOptions {
  if (typeof o.scanner !== 'string' || o.scanner === '') usage('scanner is required: the path of a .sql, .ts or .js scanner');
  for (const key of ['from', 'to'] as const) {
    const v = o[key];
    if (v !== undefined && !isValidDate(v)) {
      throw new BarwiseError('INVALID_DATE', `--${key} "${v}" is not a date; write YYYY-MM-DD, e.g. 2025-11-03`);
    }
  }
  if (o.from && o.to && o.from > o.to) {
    throw new BarwiseError('INVALID_RANGE', `--from ${o.from} is after --to ${o.to}`, 'Swap them: --from is the first trading date, --to the last.');
  }
  const threads = o.threads ?? os.availableParallelism();
  intIn('threads', threads, 1, MAX_THREADS);
  if (o.warmup !== undefined) intIn('warmup', o.warmup, 0, 100_000);
  if (o.maxSignals !== undefined) intIn('max-signals', o.maxSignals, 1, Number.MAX_SAFE_INTEGER);
  const stepTimeoutMs = o.stepTimeoutMs ?? DEFAULTS.stepTimeoutMs;
  if (!(Number.isFinite(stepTimeoutMs) && stepTimeoutMs > 0)) usage(`step-timeout must be a positive number of seconds, got ${o.stepTimeoutMs}`);
  oneOf('signals', o.signals ?? DEFAULTS.signals, SIGNAL_MODES);
  oneOf('session', o.session ?? DEFAULTS.session, SESSIONS);
  oneOf('mode', o.mode ?? DEFAULTS.mode, RUN_MODES);
  const workerMemoryMb = o.workerMemoryMb ?? DEFAULTS.workerMemoryMb;
  intIn('worker-memory', workerMemoryMb, 64, 1_000_000);
  if (o.resume !== undefined) intIn('resume', o.resume, 1, Number.MAX_SAFE_INTEGER);
  if (o.scannerKind !== undefined) oneOf('scanner-kind', o.scannerKind, SCANNER_KINDS);
  if (o.lookbackDays !== undefined) intIn('lookback-days', o.lookbackDays, 0, MAX_LOOKBACK_DAYS);
  if (o.dailyBars !== undefined) intIn('daily-bars', o.dailyBars, 0, MAX_DAILY_BARS);
  if (o.references !== undefined && !Array.isArray(o.references)) usage('references must be a list of tickers, e.g. ["SPY", "QQQ"]');

  let tickers: string[] | null = null;
  if (o.tickers?.length || o.tickersFile) {
    tickers = [...(o.tickers ?? []), ...(o.tickersFile ? readTickersFile(o.tickersFile) : [])];
    tickers = [...new Set(tickers.map((t) => t.trim().toUpperCase()).filter((t) => t !== ''))];
    if (tickers.length === 0) usage('the ticker list is empty');
  }
  return {
    db: o.db,
    scanner: o.scanner,
    tickers,
    from: o.from ?? null,
    to: o.to ?? null,
    threads,
    warmup: o.warmup ?? null,
    signals: o.signals ?? DEFAULTS.signals,
    session: o.session ?? DEFAULTS.session,
    timeframe: o.timeframe ?? DEFAULTS.timeframe,
    maxSignals: o.maxSignals ?? null,
    stepTimeoutMs,
    resultsDb: o.resultsDb ?? DEFAULTS.resultsDb,
    mode: o.mode ?? DEFAULTS.mode,
    workerMemoryMb,
    scannerKind: o.scannerKind ?? null,
    persistent: o.persistent ?? null,
    references: o.references ? parseReferences(o.references, '--references') : null,
    lookbackDays: o.lookbackDays ?? null,
    dailyBars: o.dailyBars ?? null,
    trade: o.trade ? resolveTradeRules(o.trade) : null,
    resume: o.resume ?? null,
  };
}

function usage(message: string): never {
  throw new BarwiseError('USAGE', message);
}

function intIn(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) usage(`--${name} must be a whole number from ${min} to ${max}, got ${v}`);
}

function oneOf(name: string, v: string, allowed: readonly string[]): void {
  if (!allowed.includes(v)) usage(`--${name} must be one of ${allowed.join(', ')}, got "${v}"`);
}
