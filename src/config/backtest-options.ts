/**
 * Options as users pass them (CLI flags or the library), and as the engine uses them: resolved and
 * validated once, here, with messages that name the option.
 */
import os from 'node:os';
import { locateDefaultResultsDb } from '../results/default-results-db.js';
import { BarwiseError } from '../errors.js';
import { isValidDate } from '../data/exchange-time.js';
import type { ScannerKind, SessionKind, SignalMode } from '../types.js';
import { parseReferences } from '../scanners/scanner-options.js';
import { resolveScannerPath } from '../scanners/shipped-scanners.js';
import { LIBRARY, REPORTED_TIME_ZONES, RUN_MODES, RUN_ROWS, readDefault, checkKnownKeys, checkOptionValue, findRow, nameKey, type Caller, type RowKey } from './options.js';
import { resolveTradeRules, type TradeRules, type TradeRulesInput } from './trade-rules.js';
import { readTickersFile } from './read-tickers-file.js';
import { splitTradeParams } from './split-trade-params.js';
import type { ParamValue } from '../scanners/scanner-params.js';

export { SIGNAL_MODES, SESSIONS, RUN_MODES } from './options.js';
export type RunMode = (typeof RUN_MODES)[number];
export type ReportedTimeZone = (typeof REPORTED_TIME_ZONES)[number];

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
  /** Results database. Default: one per user, `$XDG_DATA_HOME/barwise/results.db` (docs/options.md); ':memory:' keeps nothing. */
  resultsDb?: string;
  mode?: RunMode;
  /** Heap limit per worker, MB. */
  workerMemoryMb?: number;
  /** Override the kind decided from the file (e.g. 'script' for a .ts that is a legacy script). */
  scannerKind?: ScannerKind;
  /** Persistent protocol for script scanners: true/false override the script's own `barwise: persistent`. */
  persistent?: boolean;
  /** Run-once scripts re-run in one runner per worker (true), or a process per step (false). Default: warm where possible. */
  warm?: boolean;
  /** Reference tickers whose bars so far each step also sees (e.g. ['SPY', 'QQQ']). Overrides the scanner's. */
  references?: string[];
  /** Previous trading days of the ticker each day also sees, whole. Overrides the scanner's. */
  lookbackDays?: number;
  /** Previous completed daily bars (timeframe `1day`) each day sees. Overrides the scanner's. */
  dailyBars?: number;
  /**
   * Script scanners: let the script write to its day database (DATABASE_PATH), its scratch: rebuilt before the
   * next step when written, so nothing written carries over; the market database is never opened for writing.
   * Default false: a write fails the ticker-day with SCANNER_WRITE naming what was written.
   */
  allowScannerWrites?: boolean;
  /** Trade the signals under these rules (docs/trades.md); the result then has `trades` and `stats`. */
  trade?: TradeRulesInput;
  /** Zone of the wall-clock `signal_time`s a scanner reports (default America/New_York; UTC for scripts printing UTC). */
  reportedTimeZone?: ReportedTimeZone;
  /**
   * Continue this recorded run (an id in the results database) instead of starting a new one: the inputs must
   * match the run's, finished ticker-days are kept, failed ones retried. The result equals an uninterrupted run's.
   */
  resume?: number;
  /** Stop once this many ticker-days failed the same way (code, message, first stack frame). Default 50; 0: never. */
  maxFailures?: number;
  /**
   * Values of the scanner's declared parameters, e.g. `{ vol_mult: 2.5 }` (text is parsed as the declared type);
   * the others keep their defaults. `'trade.stopPct': 0.5` sets a trade rule instead (README, "Parameters").
   */
  params?: Record<string, ParamValue>;
  /** Run the tasks on `barwise worker` processes through the Redis queue at this URL (docs/cluster.md). */
  queue?: string;
  /** The secret shards are signed with (default: the BARWISE_QUEUE_SECRET environment variable). */
  queueSecret?: string;
  /** With `queue`: seconds to wait for a lost Redis before the run stops with QUEUE_LOST (default 120). */
  queueTimeout?: number;
}

// Compile-time: the option table's run rows and BacktestOptions name the same keys, both ways.
const rowsAreOptions: [Exclude<RowKey<'run'>, keyof BacktestOptions>, Exclude<keyof BacktestOptions, RowKey<'run'>>] extends [never, never] ? true : false = true;
void rowsAreOptions;

/** Defaults, from the option table. */
export const DEFAULTS = {
  warmup: readDefault<number>('run', 'warmup'),
  signals: readDefault<SignalMode>('run', 'signals'),
  session: readDefault<SessionKind>('run', 'session'),
  timeframe: readDefault<string>('run', 'timeframe'),
  stepTimeoutMs: readDefault<number>('run', 'stepTimeoutMs'),
  /** Per user, from the environment as it is when read (src/results/default-results-db.ts). */
  get resultsDb(): string {
    return locateDefaultResultsDb();
  },
  mode: readDefault<RunMode>('run', 'mode'),
  workerMemoryMb: readDefault<number>('run', 'workerMemoryMb'),
  reportedTimeZone: readDefault<ReportedTimeZone>('run', 'reportedTimeZone'),
  maxFailures: readDefault<number>('run', 'maxFailures'),
  queueTimeout: readDefault<number>('run', 'queueTimeout'),
};

export const MAX_THREADS = findRow('run', 'threads').max!;

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
  /** Null: warm where the script can run warm. */
  warm: boolean | null;
  /** Null: take it from the scanner, else none. */
  references: string[] | null;
  lookbackDays: number | null;
  dailyBars: number | null;
  allowScannerWrites: boolean;
  trade: TradeRules | null;
  resume: number | null;
  reportedTimeZone: ReportedTimeZone;
  maxFailures: number;
  /** The scanner's parameters as given (trade rules taken out); checked against its declarations by resolveRun. */
  params: Record<string, string | ParamValue>;
  queue: string | null;
  queueSecret: string | null;
  queueTimeout: number;
}

/**
 * Validates options against the option table (messages name each option as `caller` spells it) and fills in
 * what does not depend on the scanner or the store. Called by resolveRun only.
 */
export function resolveOptions(o: BacktestOptions & { db: string }, caller: Caller = LIBRARY): ResolvedOptions {
  if (o === null || typeof o !== 'object') usage('options must be an object, e.g. { scanner: "scanners/opening-range-breakout.sql" }');
  checkKnownKeys(o, 'run', caller);
  if (typeof o.scanner !== 'string' || o.scanner === '') usage(`${nameKey('run', 'scanner', caller)} is required: the path of a .sql, .ts or .js scanner`);
  for (const row of RUN_ROWS) {
    const v = (o as unknown as Record<string, unknown>)[row.key!];
    if (v !== undefined && row.key !== 'from' && row.key !== 'to') checkOptionValue(row, v, caller);
  }
  for (const key of ['from', 'to'] as const) {
    const v = o[key];
    if (v !== undefined && (typeof v !== 'string' || !isValidDate(v))) {
      throw new BarwiseError('INVALID_DATE', `${nameKey('run', key, caller)} "${v}" is not a date; write YYYY-MM-DD, e.g. 2025-11-03`);
    }
  }
  if (o.from && o.to && o.from > o.to) {
    const [f, t] = [nameKey('run', 'from', caller), nameKey('run', 'to', caller)];
    throw new BarwiseError('INVALID_RANGE', `${f} ${o.from} is after ${t} ${o.to}`, `Swap them: ${f} is the first trading date, ${t} the last.`);
  }
  const threads = o.threads ?? os.availableParallelism();
  let tickers: string[] | null = null;
  if (o.tickers?.length || o.tickersFile) {
    tickers = [...(o.tickers ?? []), ...(o.tickersFile ? readTickersFile(o.tickersFile) : [])];
    tickers = [...new Set(tickers.map((t) => t.trim().toUpperCase()).filter((t) => t !== ''))];
    if (tickers.length === 0) usage('the ticker list is empty');
  }
  const split = splitTradeParams(o.params, o.trade, caller);
  return {
    db: o.db,
    // A bare name is a shipped example: the plan records (and hashes) the file it names.
    scanner: resolveScannerPath(o.scanner),
    tickers,
    from: o.from ?? null,
    to: o.to ?? null,
    threads: Math.min(threads, MAX_THREADS),
    warmup: o.warmup ?? null,
    signals: o.signals ?? DEFAULTS.signals,
    session: o.session ?? DEFAULTS.session,
    timeframe: o.timeframe ?? DEFAULTS.timeframe,
    maxSignals: o.maxSignals ?? null,
    stepTimeoutMs: o.stepTimeoutMs ?? DEFAULTS.stepTimeoutMs,
    resultsDb: o.resultsDb ?? DEFAULTS.resultsDb,
    mode: o.mode ?? DEFAULTS.mode,
    workerMemoryMb: o.workerMemoryMb ?? DEFAULTS.workerMemoryMb,
    scannerKind: o.scannerKind ?? null,
    persistent: o.persistent ?? null,
    warm: o.warm ?? null,
    references: o.references ? parseReferences(o.references, nameKey('run', 'references', caller)) : null,
    lookbackDays: o.lookbackDays ?? null,
    dailyBars: o.dailyBars ?? null,
    allowScannerWrites: o.allowScannerWrites ?? false,
    trade: split.trade ? resolveTradeRules(split.trade, caller) : null,
    resume: o.resume ?? null,
    reportedTimeZone: o.reportedTimeZone ?? DEFAULTS.reportedTimeZone,
    maxFailures: o.maxFailures ?? DEFAULTS.maxFailures,
    params: split.scanner,
    queue: o.queue ?? null,
    queueSecret: o.queueSecret ?? null,
    queueTimeout: o.queueTimeout ?? DEFAULTS.queueTimeout,
  };
}

function usage(message: string): never {
  throw new BarwiseError('USAGE', message);
}
