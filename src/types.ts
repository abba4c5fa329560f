/**
 * Plain data shared by the engine, the workers and the library API. Nothing here holds a handle or a
 * function except the scanner-facing types, so every value below can cross a thread boundary as it is.
 */
import type { ReadOnlyDb } from './day-db/read-only-db.js';

/** One OHLCV bar as a scanner sees it. */
export interface Bar {
  /** Ticker symbol, upper case as stored. */
  readonly ticker: string;
  /** Bar start, epoch milliseconds (UTC). */
  readonly timestamp: number;
  /** Bar start as `HH:MM:SS` in exchange time (America/New_York), computed by barwise from `timestamp`. */
  readonly time_of_day: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** A completed daily bar (timeframe `1day`), as a scanner sees it in `ctx.daily` and table `daily_bars`. */
export interface DailyBar {
  readonly ticker: string;
  /** The trading date the bar covers, `YYYY-MM-DD`. */
  readonly date: string;
  /** The stored timestamp, epoch ms. */
  readonly timestamp: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** Direction a scanner may report. Free-form strings are kept, but these two are what trade rules read. */
export type Direction = 'LONG' | 'SHORT' | (string & {});

/** A recorded signal. The first four fields are the engine's and never come from the scanner. */
export interface Signal {
  ticker: string;
  /** Trading date (America/New_York) of the bar at which the scanner fired, `YYYY-MM-DD`. */
  signal_date: string;
  /** `time_of_day` of that bar. */
  signal_time: string;
  /** Epoch ms of that bar's start. */
  timestamp: number;
  /** Position of this signal among those the scanner returned at the same step (0 for the first). */
  seq: number;
  direction: Direction | null;
  pattern_strength: number | null;
  /** Everything else the scanner returned: SQL columns, or a module's `metrics` object. */
  metrics: Record<string, unknown>;
}

/** What a scanner returns for one step, before the engine stamps it. */
export interface ScannerSignal {
  direction?: Direction | null;
  pattern_strength?: number | null;
  metrics?: Record<string, unknown>;
  [extra: string]: unknown;
}

/** A ticker-day on which the scanner could not be run to the end. */
export interface Failure {
  ticker: string;
  date: string;
  code: string;
  message: string;
}

/** Parameter values a module scanner declares (`params: { orBars: 6 }`): numbers, strings and booleans. */
export type ScannerParamShape = Readonly<Record<string, number | string | boolean>>;

/** What a module scanner receives at each step. `P` is the shape of its `params`. */
export interface ScanContext<P extends object = ScannerParamShape> {
  readonly ticker: string;
  /** Trading date, `YYYY-MM-DD`. */
  readonly date: string;
  /** The current bar: the latest one that exists at this moment. */
  readonly bar: Bar;
  /** This ticker's bars of the day so far, oldest first, ending with `bar`. */
  readonly bars: readonly Bar[];
  /** Index of `bar` in the day (equals `bars.length - 1`). */
  readonly index: number;
  /**
   * Read-only handle on the day database (table `ohlcv_data` holding exactly `bars`). Built lazily: a
   * scanner that never reads it never pays for SQLite. Statements that would write are refused.
   */
  readonly db: ReadOnlyDb;
  /**
   * Reference tickers' bars of the day so far (`references`): `ctx.refs.get('SPY')` holds SPY's bars with
   * `timestamp <=` the current bar's, oldest first (fewer, or none, when SPY has no bar yet at this time).
   */
  readonly refs: ReferenceBars;
  /** The ticker's bars of its `lookbackDays` previous trading days, oldest first (whole: they are the past). */
  readonly history: readonly Bar[];
  /** The `dailyBars` previous completed daily bars, oldest first; never today's. */
  readonly daily: readonly DailyBar[];
  /**
   * The run's values of the parameters the scanner declares (`params`): its defaults, each overridden by
   * `--param name=value`. Frozen; the same object at every step of the run.
   */
  readonly params: Readonly<P>;
}

/** Reference tickers' bars so far and their past (previous days, daily bars), by ticker. */
export interface ReferenceBars {
  /** The reference's bars so far. Throws for a ticker that is not a declared reference. */
  get(ticker: string): readonly Bar[];
  /** The reference's bars of its `lookbackDays` previous trading days, oldest first (whole: the past). */
  history(ticker: string): readonly Bar[];
  /** The reference's `dailyBars` previous completed daily bars, oldest first; never today's. */
  daily(ticker: string): readonly DailyBar[];
  /** The declared references (the scanned ticker included when it is one). */
  readonly tickers: readonly string[];
}

export type ScanResult = ScannerSignal | readonly ScannerSignal[] | null | undefined;

/**
 * The default export of a module scanner (`.ts`, `.js`, `.mjs`). `S` is the scanner's per-ticker-day
 * state, made by `init` (none without it).
 */
export interface ScannerModule<S = undefined, P extends object = ScannerParamShape> {
  /** Shown in results and reports. */
  name: string;
  /** Bars of the day that must exist before the first step (default 30). */
  warmupBars?: number;
  /** Reference tickers whose bars of the day so far are in `ctx.refs` and the day database. */
  references?: string[];
  /** Previous trading days of the ticker in `ctx.history` and the day database. */
  lookbackDays?: number;
  /** Previous completed daily bars in `ctx.daily` and table `daily_bars`. */
  dailyBars?: number;
  /**
   * Parameters and their defaults, e.g. `{ orBars: 6, volMult: 2 }`: a run may set each with
   * `--param orBars=12` (values of the default's type: any number for a number, true/false, text) and the
   * scanner reads them in `ctx.params`. Names are letters, digits and `_`.
   */
  params?: P;
  /**
   * Per-ticker-day state: called once at each ticker-day's first step (with that step's ctx), before
   * `scan`; what it returns is handed to every `scan` of that ticker-day and dropped at its end. This is
   * the place for running sums and flags: state kept in module-level variables outlives the ticker-day
   * and makes results depend on the order workers run ticker-days in (`barwise audit` reports it).
   * May be async.
   */
  init?(ctx: ScanContext<P>): S | Promise<S>;
  /** Called at every step; may be async. `state` is what `init` returned for this ticker-day. */
  scan(ctx: ScanContext<P>, state: S): ScanResult | Promise<ScanResult>;
}

/** How signals are recorded per ticker-day. */
export type SignalMode = 'first' | 'all';
/** Which bars a trading day is made of. */
export type SessionKind = 'regular' | 'extended';
export type ScannerKind = 'sql' | 'module' | 'script';

/**
 * Why a trade ended. `stop` covers --stop-pct and --atr-stop (the tighter one); `trail` the trailing stop;
 * `ruin` the account's equity reached zero and every open position was closed (src/portfolio).
 */
export type ExitReason = 'stop' | 'trail' | 'target' | 'max-bars' | 'exit-time' | 'eod' | 'ruin';

/**
 * One simulated trade: a signal taken under the run's trade rules (docs/trades.md defines every field).
 * Prices include slippage; `pnl` and `return_pct` are net of commissions. Its size comes from the portfolio
 * pass (src/portfolio), which decides which signals an account could take.
 */
export interface Trade {
  ticker: string;
  /** Trading date, `YYYY-MM-DD`: trades never outlive their day. */
  date: string;
  direction: 'LONG' | 'SHORT';
  /** `time_of_day` of the signal bar. */
  signal_time: string;
  /** Epoch ms of the signal bar's start (with `seq`, the link to the signal). */
  signal_ts: number;
  /** Sequence of the signal within its step. */
  seq: number;
  /** Exchange time of the entry fill, `HH:MM:SS`: a bar's start for an open, its end for a close. */
  entry_time: string;
  /** Epoch ms of the entry fill. */
  entry_ts: number;
  entry_price: number;
  /** Exchange time of the exit fill: a bar's start for an open, its end for a close, stop or target. */
  exit_time: string;
  exit_ts: number;
  exit_price: number;
  exit_reason: ExitReason;
  /** Bars the position was open for, in whole or in part. */
  bars_held: number;
  shares: number;
  /** Both sides' commission, dollars. */
  commission: number;
  /** What slippage cost on both fills, dollars: shares × |fill − quoted price|, entry and exit. */
  slippage: number;
  /** Net profit, dollars: price change × shares (sign by direction) − commission. */
  pnl: number;
  /** `pnl` / (entry_price × shares) × 100. */
  return_pct: number;
  /** `pnl` / initial risk in dollars (shares × distance to the initial stop); null without any stop. */
  r_multiple: number | null;
  /** Maximum adverse excursion: the worst unrealised move, % of entry (≤ 0). */
  mae_pct: number;
  /** Maximum favourable excursion: the best unrealised move, % of entry (≥ 0). */
  mfe_pct: number;
}
