/**
 * The option table: every option a run takes, declared once. The CLI flags of each command, the batch job
 * schema, validation (with messages naming the option as the caller wrote it), unknown-key rejection, resume
 * identity and docs/options.md are all derived from these rows. Adding an option is adding a row here (and
 * reading its resolved value where the engine uses it).
 *
 * `identity`: the option can change what a run finds, so it is part of the run plan's hash; speed-only
 * options (threads, worker memory, step timeout) may differ between a run and its continuation.
 */
import { BarwiseError } from '../errors.js';
import { findClosestWord } from '../text/closest-word.js';
import { DEFAULT_TIMEFRAME } from '../data/schema.js';
import { SCANNER_KINDS } from '../scanners/scanner-extensions.js';
import { DEFAULT_RESULTS_DB_TEXT } from '../results/default-results-db.js';
import type { SessionKind, SignalMode } from '../types.js';

export const SIGNAL_MODES = ['first', 'all'] as const satisfies readonly SignalMode[];
export const SESSIONS = ['regular', 'extended'] as const satisfies readonly SessionKind[];
/** full-day: the non-realtime backtest the audit compares against (docs/audit.md); never lookahead-free. */
export const RUN_MODES = ['realtime', 'naive', 'full-day'] as const;
export const ENTRY_MODES = ['next-open', 'signal-close'] as const;
export const TRADE_DIRECTIONS = ['LONG', 'SHORT'] as const;
/** Zones a scanner's reported wall-clock times (`signal_time` without an offset) may be in. */
export const REPORTED_TIME_ZONES = ['America/New_York', 'UTC'] as const;

export type Command = 'backtest' | 'audit' | 'batch' | 'schedule' | 'sweep' | 'worker' | 'workers';
export const COMMANDS = ['backtest', 'audit', 'batch', 'schedule', 'sweep', 'worker', 'workers'] as const satisfies readonly Command[];

/** Who passed the options: names in messages follow the caller's spelling. */
export type Caller =
  | { kind: 'library' }
  | { kind: 'cli' }
  /** A batch job; `at` is where its options are, e.g. `jobs[2].options`. */
  | { kind: 'batch'; at: string };
export const LIBRARY: Caller = { kind: 'library' };
export const CLI: Caller = { kind: 'cli' };

export type OptionType = 'string' | 'date' | 'time' | 'integer' | 'number' | 'boolean' | 'choice' | 'list' | 'rules' | 'params';

export interface OptionRow {
  /** Library key (`BacktestOptions`, or `TradeRulesInput` for section trade); null: a CLI-only flag. */
  key: string | null;
  /** CLI flag, without dashes; null: no flag (set in the batch file's own fields). */
  flag: string | null;
  /** run and trade: options of a run; output: what the CLI writes; audit, batch, sweep: those commands' own options. */
  section: 'run' | 'trade' | 'output' | 'audit' | 'batch' | 'sweep' | 'worker';
  type: OptionType;
  choices?: readonly string[];
  /** Inclusive bounds, or exclusive where `above`/`below` are used instead. */
  min?: number;
  max?: number;
  above?: number;
  below?: number;
  /** The value filled in when the option is left out; `defaultText` says so where it depends on something else. */
  defaultValue?: string | number | boolean;
  defaultText?: string;
  describe: string;
  /** True when the option can change the result (part of the run's identity). */
  identity: boolean;
  /** The commands whose CLI takes the flag. */
  commands: readonly Command[];
  /** Why a command refuses the flag, and what to do (the flag is then accepted by yargs and refused by name). */
  refusedBy?: Partial<Record<Command, { message: string; hint: string }>>;
  /** A batch job sets it in `options` (true) or not at all (false; jobs have their own fields for it). */
  batch: boolean;
  /** The CLI value times this is the library value (seconds on the CLI, milliseconds in the library). */
  cliScale?: number;
  /** Units of the library value, for messages and docs. */
  units?: string;
  /** The CLI value is upper-cased (tickers, directions). */
  upper?: boolean;
  /** The CLI requires the flag. */
  required?: boolean;
}

/** The commands that run a scanner over a universe: they take every run option and trade rule. */
const BOTH = ['backtest', 'audit', 'sweep'] as const satisfies readonly Command[];
const BATCHES = ['batch', 'schedule'] as const satisfies readonly Command[];

const ROWS = [
  { key: 'db', flag: 'db', section: 'run', type: 'string', defaultText: 'the bundled sample data', identity: true, commands: BOTH, batch: false,
    describe: 'Market database (SQLite, table ohlcv_data)' },
  { key: 'scanner', flag: 'scanner', section: 'run', type: 'string', defaultText: 'opening-range-breakout (a shipped example)', identity: true, commands: BOTH, batch: false,
    describe: 'Scanner file (.sql, .ts, .js or .mjs, or a script), or the name of a shipped example, e.g. opening-range-breakout (required in the library)' },
  { key: 'tickers', flag: 'tickers', section: 'run', type: 'list', upper: true, defaultText: 'all in the database', identity: true, commands: BOTH, batch: false,
    describe: 'Tickers (comma-separated on the CLI)' },
  { key: 'tickersFile', flag: 'tickers-file', section: 'run', type: 'string', identity: true, commands: BOTH, batch: false,
    describe: 'File of tickers, one per line (# comments)' },
  { key: 'from', flag: 'from', section: 'run', type: 'date', defaultText: 'first in the database', identity: true, commands: BOTH, batch: false,
    describe: 'First trading date, YYYY-MM-DD' },
  { key: 'to', flag: 'to', section: 'run', type: 'date', defaultText: 'last in the database', identity: true, commands: BOTH, batch: false,
    describe: 'Last trading date, inclusive, YYYY-MM-DD' },
  { key: 'threads', flag: 'threads', section: 'run', type: 'integer', min: 1, max: 256, defaultText: 'available parallelism', identity: false, commands: BOTH, batch: true,
    describe: 'Worker threads' },
  { key: 'warmup', flag: 'warmup', section: 'run', type: 'integer', min: 0, max: 100_000, defaultValue: 30, defaultText: "the scanner's, else 30", identity: true, commands: BOTH, batch: true,
    describe: 'Bars of the day before the first step' },
  { key: 'signals', flag: 'signals', section: 'run', type: 'choice', choices: SIGNAL_MODES, defaultValue: 'first', identity: true, commands: BOTH, batch: true,
    describe: 'Record the first signal per ticker-day, or all' },
  { key: 'session', flag: 'session', section: 'run', type: 'choice', choices: SESSIONS, defaultValue: 'regular', identity: true, commands: BOTH, batch: true,
    describe: 'Bars a day is made of: regular 09:30-16:00 New York, or all' },
  { key: 'timeframe', flag: 'timeframe', section: 'run', type: 'string', defaultValue: DEFAULT_TIMEFRAME, identity: true, commands: BOTH, batch: true,
    describe: 'Bar timeframe to read' },
  { key: 'maxSignals', flag: 'max-signals', section: 'run', type: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER, identity: true, commands: ['backtest'], batch: true,
    refusedBy: { audit: { message: 'audit compares every signal of both runs; --max-signals does not apply', hint: 'Drop --max-signals; narrow the range with --tickers, --from and --to instead.' } },
    describe: 'Keep the first N signals (by date, time, ticker)' },
  { key: 'stepTimeoutMs', flag: 'step-timeout', section: 'run', type: 'number', above: 0, defaultValue: 120_000, cliScale: 1000, units: 'ms', identity: false, commands: BOTH, batch: true,
    describe: 'How long one scanner call may take (seconds on the CLI, milliseconds in the library and batch files)' },
  { key: 'resultsDb', flag: 'results-db', section: 'run', type: 'string', defaultText: DEFAULT_RESULTS_DB_TEXT, identity: false, commands: BOTH, batch: false,
    describe: "Results database recording every run (':memory:' keeps nothing)" },
  { key: 'mode', flag: 'mode', section: 'run', type: 'choice', choices: RUN_MODES, defaultValue: 'realtime', identity: true, commands: ['backtest'], batch: true,
    refusedBy: {
      audit: { message: 'audit runs the scanner in both full-day and realtime mode; --mode does not apply', hint: 'Drop --mode.' },
      sweep: { message: 'sweep replays in realtime mode only; --mode does not apply', hint: 'Drop --mode; compare modes with `barwise backtest --mode` or `barwise audit`.' },
    },
    describe: 'realtime (incremental), naive (the slow reference flow: a fresh database and process per bar, for comparison) or full-day (whole days at once, leaky on purpose: docs/audit.md)' },
  { key: 'workerMemoryMb', flag: 'worker-memory', section: 'run', type: 'integer', min: 64, max: 1_000_000, defaultValue: 2048, units: 'MB', identity: false, commands: BOTH, batch: true,
    describe: 'Heap limit per worker thread, MB' },
  { key: 'scannerKind', flag: 'scanner-kind', section: 'run', type: 'choice', choices: SCANNER_KINDS, defaultText: 'from the file name', identity: true, commands: BOTH, batch: true,
    describe: 'Scanner kind, if not the one its file name suggests (e.g. script for a legacy .ts)' },
  { key: 'persistent', flag: 'persistent', section: 'run', type: 'boolean', defaultText: 'as the script declares', identity: true, commands: BOTH, batch: true,
    describe: 'Script scanners: start once per worker and use the persistent protocol (--no-persistent: start per step)' },
  { key: 'references', flag: 'references', section: 'run', type: 'list', upper: true, defaultText: "the scanner's", identity: true, commands: BOTH, batch: true,
    describe: 'Reference tickers each step also sees, bars so far (e.g. SPY,QQQ)' },
  { key: 'lookbackDays', flag: 'lookback-days', section: 'run', type: 'integer', min: 0, max: 250, defaultText: "the scanner's, else 0", identity: true, commands: BOTH, batch: true,
    describe: 'Previous trading days of the ticker each day also sees' },
  { key: 'dailyBars', flag: 'daily-bars', section: 'run', type: 'integer', min: 0, max: 5000, defaultText: "the scanner's, else 0", identity: true, commands: BOTH, batch: true,
    describe: 'Previous completed 1day bars each day sees (timeframe 1day)' },
  { key: 'resume', flag: 'resume', section: 'run', type: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER, identity: false, commands: ['backtest', 'sweep'], batch: false,
    describe: "Continue run N (sweep: sweep N) of the results database: keeps its finished ticker-days, retries failed ones; options left out are the run's (sweep's) own" },
  { key: 'trade', flag: 'trade', section: 'run', type: 'rules', identity: true, commands: BOTH, batch: true,
    describe: 'Trade the signals under these rules (docs/trades.md); on the CLI any rule flag turns trading on' },
  // Identity: a script that writes fails its ticker-days without the flag and gives signals with it, so two runs
  // differing only by it differ in results, and a resume must not mix the two.
  { key: 'allowScannerWrites', flag: 'allow-scanner-writes', section: 'run', type: 'boolean', defaultValue: false, identity: true, commands: BOTH, batch: true,
    describe: 'Script scanners: the script may write to its day database (DATABASE_PATH, a scratch copy rebuilt before the next step); without it a write fails the day (SCANNER_WRITE)' },
  // Identity: it decides which bar a reported `signal_time` lands on in full-day mode (and which day it names).
  { key: 'reportedTimeZone', flag: 'reported-time-zone', section: 'run', type: 'choice', choices: REPORTED_TIME_ZONES, defaultValue: 'America/New_York', identity: true, commands: BOTH, batch: true,
    describe: "Zone of the wall-clock times a scanner reports as signal_time (UTC for scripts that print UTC times); times with an offset are exact either way" },
  { key: 'maxFailures', flag: 'max-failures', section: 'run', type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, defaultValue: 50, identity: false, commands: BOTH, batch: true,
    describe: 'Stop the run once this many ticker-days failed the same way (same code, message and first stack frame: a scanner bug); 0: never' },
  // Speed only: a warm step gives exactly the signals and errors of a process per step (the equivalence tests
  // say so), so a run and its continuation may differ in it.
  { key: 'warm', flag: 'warm', section: 'run', type: 'boolean', defaultText: 'warm where the script can run warm', identity: false, commands: BOTH, batch: true,
    describe: 'Run-once scripts (.ts, .js, .mjs, .cjs): re-run them in one runner process per worker instead of a process per step (--no-warm: a process per step)' },
  // Identity: the values decide what the scanner finds; they are checked against the scanner's declarations.
  { key: 'params', flag: 'param', section: 'run', type: 'params', defaultText: "the scanner's declared defaults", identity: true, commands: BOTH, batch: true,
    describe: "Scanner parameter, NAME=VALUE on the CLI (repeat the flag for each), an object in the library and batch files; trade.RULE=VALUE sets a trade rule (e.g. trade.stopPct=0.5). README, \"Parameters\"" },

  // Where tasks run is not what they compute: a run over the queue has the plan (and hash) of a local one.
  { key: 'queue', flag: 'queue', section: 'run', type: 'string', defaultText: 'none: the thread pool of this machine', identity: false, commands: ['backtest', 'sweep', ...BATCHES], batch: false,
    refusedBy: { audit: { message: 'audit runs on this machine only: --queue does not apply', hint: 'Drop --queue; `barwise backtest --queue` runs a backtest on the queue\'s workers.' } },
    describe: 'Run the tasks on `barwise worker` processes through the Redis queue at this URL, e.g. redis://10.0.0.5:6379 (batch, schedule: every job; docs/cluster.md)' },
  { key: 'queueSecret', flag: 'queue-secret', section: 'run', type: 'string', defaultText: '$BARWISE_QUEUE_SECRET', identity: false, commands: ['backtest', 'sweep', ...BATCHES], batch: false,
    refusedBy: { audit: { message: 'audit runs on this machine only: --queue-secret does not apply', hint: 'Drop --queue-secret.' } },
    describe: 'Shared secret that signs every shard sent over --queue; workers refuse shards not signed with theirs' },
  // Speed and robustness only: how long to wait for a lost Redis changes nothing a run finds.
  { key: 'queueTimeout', flag: 'queue-timeout', section: 'run', type: 'integer', min: 1, max: 86_400, defaultValue: 120, identity: false, commands: ['backtest', 'sweep'], batch: false,
    units: 'seconds',
    refusedBy: { audit: { message: 'audit runs on this machine only: --queue-timeout does not apply', hint: 'Drop --queue-timeout.' } },
    describe: 'With --queue: how long the coordinator waits for a lost Redis to answer again before it stops the run (QUEUE_LOST), keeping what finished' },
  { key: 'config', flag: 'trade-config', section: 'trade', type: 'string', identity: true, commands: BOTH, batch: true,
    describe: 'JSON file of trade rules; the other rules given override it' },
  { key: 'direction', flag: 'direction', section: 'trade', type: 'choice', choices: TRADE_DIRECTIONS, upper: true, defaultValue: 'LONG', identity: true, commands: BOTH, batch: true,
    describe: 'Direction of signals without one' },
  { key: 'entry', flag: 'entry', section: 'trade', type: 'choice', choices: ENTRY_MODES, defaultValue: 'next-open', identity: true, commands: BOTH, batch: true,
    describe: "Entry price: the next bar's open, or the signal bar's close" },
  { key: 'stopPct', flag: 'stop-pct', section: 'trade', type: 'number', above: 0, below: 100, identity: true, commands: BOTH, batch: true,
    describe: 'Stop loss, % from entry' },
  { key: 'targetPct', flag: 'target-pct', section: 'trade', type: 'number', above: 0, below: 10_000, identity: true, commands: BOTH, batch: true,
    describe: 'Profit target, % from entry' },
  { key: 'trailPct', flag: 'trail-pct', section: 'trade', type: 'number', above: 0, below: 100, identity: true, commands: BOTH, batch: true,
    describe: 'Trailing stop, % from the best price since entry' },
  { key: 'atrStop', flag: 'atr-stop', section: 'trade', type: 'number', above: 0, identity: true, commands: BOTH, batch: true,
    describe: "Stop at K × ATR of the day's bars up to the signal" },
  { key: 'atrPeriod', flag: 'atr-period', section: 'trade', type: 'integer', min: 1, max: 10_000, defaultValue: 14, identity: true, commands: BOTH, batch: true,
    describe: 'Bars in that ATR' },
  { key: 'maxBars', flag: 'max-bars', section: 'trade', type: 'integer', min: 1, max: 100_000, identity: true, commands: BOTH, batch: true,
    describe: 'Exit at the close of the N-th bar held' },
  { key: 'exitTime', flag: 'exit-time', section: 'trade', type: 'time', identity: true, commands: BOTH, batch: true,
    describe: 'Exit at this New York time, HH:MM (always: at the close of the day)' },
  { key: 'slippageBps', flag: 'slippage-bps', section: 'trade', type: 'number', min: 0, defaultValue: 0, identity: true, commands: BOTH, batch: true,
    describe: 'Slippage per fill, basis points' },
  { key: 'commissionPerShare', flag: 'commission-per-share', section: 'trade', type: 'number', min: 0, defaultValue: 0, identity: true, commands: BOTH, batch: true,
    describe: 'Commission per share per fill, $' },
  { key: 'commissionMin', flag: 'commission-min', section: 'trade', type: 'number', min: 0, defaultValue: 0, identity: true, commands: BOTH, batch: true,
    describe: 'Minimum commission per fill, $' },
  { key: 'shares', flag: 'shares', section: 'trade', type: 'integer', min: 1, max: 1e12, identity: true, commands: BOTH, batch: true,
    describe: 'Shares per trade: the same as --size shares:N (not with --size)' },
  { key: 'riskPerTrade', flag: 'risk-per-trade', section: 'trade', type: 'number', above: 0, identity: true, commands: BOTH, batch: true,
    describe: 'Size so that the initial stop loses this many $: the same as --size risk:D (needs a stop; not with --size)' },
  { key: 'capital', flag: 'capital', section: 'trade', type: 'number', above: 0, defaultValue: 100_000, identity: true, commands: BOTH, batch: true,
    describe: "The account's starting cash, $: the portfolio pass sizes and limits trades from its equity" },
  { key: 'maxPositions', flag: 'max-positions', section: 'trade', type: 'integer', min: 1, max: 1_000_000, defaultText: 'no limit (--max-exposure bounds the account)', identity: true, commands: BOTH, batch: true,
    describe: 'Positions open at once, over all tickers; a signal beyond is not traded (max_positions)' },
  { key: 'maxExposure', flag: 'max-exposure', section: 'trade', type: 'number', above: 0, below: 1000, defaultValue: 1, defaultText: '1 (a cash account)', identity: true, commands: BOTH, batch: true,
    describe: 'Gross exposure (longs and shorts, marked to market) as a multiple of equity; above 1 is margin' },
  { key: 'size', flag: 'size', section: 'trade', type: 'string', defaultValue: 'shares:100', identity: true, commands: BOTH, batch: true,
    describe: 'Position size: shares:N, dollars:D, equity-pct:P, risk:D or risk-pct:P (risk: from the initial stop distance; equity: at entry)' },
  { key: 'benchmark', flag: 'benchmark', section: 'trade', type: 'string', upper: true, defaultValue: 'SPY', identity: true, commands: BOTH, batch: true,
    describe: "Buy-and-hold comparison ticker over the run's sessions, from the market database (a note when it has none); none: no benchmark" },

  { key: null, flag: 'out', section: 'output', type: 'string', identity: false, commands: BOTH, batch: false,
    describe: 'Write the result as JSON to this file (audit: the audit, one entry per signal, both runs)' },
  { key: null, flag: 'trades-csv', section: 'output', type: 'string', identity: false, commands: ['backtest', 'audit'], batch: false,
    refusedBy: { sweep: { message: 'sweep writes no trades CSV: --trades-csv does not apply', hint: "Write one combination's trades with `barwise backtest` and its parameters (the sweep's --out lists them)." } },
    describe: "Write the trades as CSV to this file (audit: the realtime run's trades); turns trading on" },
  { key: null, flag: 'report', section: 'output', type: 'string', identity: false, commands: BOTH, batch: false,
    describe: 'Write a self-contained HTML report to this file; turns trading on' },
  { key: null, flag: 'progress', section: 'output', type: 'boolean', defaultText: 'on a terminal', identity: false, commands: BOTH, batch: false,
    describe: 'Show a progress bar: drawn on a terminal only, never into a pipe or file; --no-progress hides it' },
  { key: null, flag: 'yes', section: 'output', type: 'boolean', defaultValue: false, identity: false, commands: BOTH, batch: false,
    describe: 'Run without asking on a terminal, even when the run is estimated to take over an hour (a script started per step)' },

  { key: 'orderSample', flag: 'order-sample', section: 'audit', type: 'integer', min: 0, max: 100_000, defaultValue: 8, identity: false, commands: ['audit'], batch: false,
    describe: 'Ticker-days of the realtime run re-run alone, to find results that depend on task order (0: skip the check)' },
  // The audit's own --resume: it continues two runs, so it names both (the library takes { fullDay, realtime }).
  { key: 'resumeRuns', flag: 'resume', section: 'audit', type: 'string', identity: false, commands: ['audit'], batch: false,
    describe: "Continue an interrupted audit: N,M its full-day and realtime runs (N alone if realtime had not started), as its interrupt notice prints; finished ticker-days are kept, options left out are the runs' own" },

  { key: null, flag: 'config', section: 'batch', type: 'string', required: true, identity: false, commands: BATCHES, batch: false,
    describe: 'Batch file (YAML or JSON): jobs of scanner + universe + range + options' },
  { key: null, flag: 'results-db', section: 'batch', type: 'string', defaultText: `the batch file's resultsDb, else ${DEFAULT_RESULTS_DB_TEXT}`, identity: false, commands: BATCHES, batch: false,
    describe: 'Results database recording every job\'s run' },
  { key: null, flag: 'max-threads', section: 'batch', type: 'integer', min: 1, max: 256, defaultText: "the batch file's maxThreads, else available parallelism", identity: false, commands: BATCHES, batch: false,
    describe: 'Threads all jobs share' },
  { key: null, flag: 'notify-command', section: 'batch', type: 'string', defaultText: "the batch file's notify", identity: false, commands: BATCHES, batch: false,
    describe: 'Shell command run at the end of each batch with the summary JSON on stdin' },
  { key: null, flag: 'resume', section: 'batch', type: 'boolean', defaultValue: true, identity: false, commands: ['batch'], batch: false,
    describe: 'Continue earlier runs of the same jobs (finished work is kept; completed jobs are not run again); --no-resume starts every job anew' },
  { key: null, flag: 'check', section: 'batch', type: 'boolean', defaultValue: false, identity: false, commands: ['batch'], batch: false,
    describe: 'Only check the file: resolve every job and print its run plan; exit 2 if a job is broken' },
  { key: null, flag: 'cron', section: 'batch', type: 'string', required: true, identity: false, commands: ['schedule'], batch: false,
    describe: 'When to run: minute hour day-of-month month day-of-week, e.g. "0 2 * * 1-5"' },
  { key: null, flag: 'timezone', section: 'batch', type: 'string', defaultText: "the machine's", identity: false, commands: ['schedule'], batch: false,
    describe: 'Time zone of the cron fields, e.g. America/New_York' },
  { key: null, flag: 'run-now', section: 'batch', type: 'boolean', defaultValue: false, identity: false, commands: ['schedule'], batch: false,
    describe: 'Also run once right away' },

  // On the CLI the grid is --param (the run option above): in a sweep each value may be a list or a range.
  { key: 'grid', flag: null, section: 'sweep', type: 'string', identity: true, commands: ['sweep'], batch: true,
    describe: 'The swept parameters, by name: values or their text; on the CLI, --param name=a,b,c or name=lo..hi:step (decimal-exact), repeated; trade.X varies trade rule X (docs/sweeps.md)' },
  { key: 'samples', flag: 'samples', section: 'sweep', type: 'integer', min: 1, max: 10_000, defaultText: 'every combination of the grid', identity: true, commands: ['sweep'], batch: true,
    describe: 'Random search: run N distinct combinations drawn from the grid' },
  { key: 'seed', flag: 'seed', section: 'sweep', type: 'integer', min: 0, max: 4_294_967_295, defaultValue: 1, identity: true, commands: ['sweep'], batch: true,
    describe: 'Seed of the random search: the same seed draws the same combinations' },
  { key: 'objective', flag: 'objective', section: 'sweep', type: 'string', defaultValue: 'profit_factor', identity: false, commands: ['sweep'], batch: true,
    describe: 'Statistic the combinations are ranked by, highest first (a key of stats: profit_factor, sharpe, total_return_pct, expectancy…)' },
  { key: 'minTrades', flag: 'min-trades', section: 'sweep', type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, defaultValue: 0, identity: false, commands: ['sweep'], batch: true,
    describe: 'Combinations with fewer trades are ranked apart, after the others, so a few lucky trades do not win' },
  { key: null, flag: 'top', section: 'sweep', type: 'integer', min: 1, max: 10_000, defaultValue: 20, identity: false, commands: ['sweep'], batch: false,
    describe: 'Combinations the ranking table shows (--out has them all)' },
  { key: 'walkForward', flag: 'walk-forward', section: 'sweep', type: 'boolean', defaultValue: false, identity: false, commands: ['sweep'], batch: true,
    describe: 'Walk-forward: per window, choose the best combination on --train days by the objective and trade it on the --test days after (docs/sweeps.md)' },
  { key: 'train', flag: 'train', section: 'sweep', type: 'integer', min: 1, max: 100_000, defaultText: 'required with --walk-forward', identity: false, commands: ['sweep'], batch: true,
    units: 'trading days', describe: 'Walk-forward: trading days of each train window (anchored: of the first)' },
  { key: 'test', flag: 'test', section: 'sweep', type: 'integer', min: 1, max: 100_000, defaultText: 'required with --walk-forward', identity: false, commands: ['sweep'], batch: true,
    units: 'trading days', describe: 'Walk-forward: trading days of each test window (the last may hold fewer)' },
  { key: 'anchored', flag: 'anchored', section: 'sweep', type: 'boolean', defaultValue: false, identity: false, commands: ['sweep'], batch: true,
    describe: 'Walk-forward: every train window starts at the first day (an expanding window) rather than rolling' },
  { key: 'pboBlocks', flag: 'pbo-blocks', section: 'sweep', type: 'integer', min: 2, max: 20, defaultValue: 16, identity: false, commands: ['sweep'], batch: true,
    describe: 'Blocks S the days are cut into for the probability of backtest overfitting (even; C(S, S/2) splits)' },
  { key: null, flag: 'heatmap', section: 'sweep', type: 'string', defaultText: 'the first two swept parameters', identity: false, commands: ['sweep'], batch: false,
    describe: 'The two swept parameters the --report heatmap of the objective is drawn over, e.g. or_bars,vol_mult (the others fixed at the best combination\'s values)' },

  { key: null, flag: 'queue', section: 'worker', type: 'string', required: true, identity: false, commands: ['worker'], batch: false,
    describe: 'Redis URL of the queue to take shards from, e.g. redis://10.0.0.5:6379 (docs/cluster.md)' },
  { key: null, flag: 'db', section: 'worker', type: 'string', required: true, identity: false, commands: ['worker'], batch: false,
    describe: "This machine's copy of the market database; each shard's bars are checked against the coordinator's fingerprint" },
  { key: null, flag: 'threads', section: 'worker', type: 'integer', min: 1, max: 256, defaultText: 'available parallelism', identity: false, commands: ['worker'], batch: false,
    describe: 'Worker threads on this machine' },
  { key: null, flag: 'queue-secret', section: 'worker', type: 'string', defaultText: '$BARWISE_QUEUE_SECRET', identity: false, commands: ['worker'], batch: false,
    describe: 'Shared secret: only shards signed with it are run' },
  // Listing is read-only and takes no secret: the secret guards what workers run, not what they say they do.
  { key: null, flag: 'queue', section: 'worker', type: 'string', required: true, identity: false, commands: ['workers'], batch: false,
    describe: 'Redis URL of the queue whose connected workers `barwise workers` lists (no --queue-secret needed: it only reads)' },
  { key: null, flag: 'json', section: 'worker', type: 'boolean', defaultText: 'when stdout is not a terminal', identity: false, commands: ['workers'], batch: false,
    describe: 'Print the workers as JSON (`{ queue, workers: [...] }`)' },
] as const satisfies readonly OptionRow[];
export const OPTION_ROWS: readonly OptionRow[] = ROWS;

/** Library keys of a section's rows, as a type (backtest-options.ts and trade-rules.ts check them against their interfaces). */
export type RowKey<S extends OptionRow['section']> = Extract<(typeof ROWS)[number], { section: S }>['key'];

export const RUN_ROWS: readonly OptionRow[] = OPTION_ROWS.filter((r) => r.section === 'run');
export const TRADE_ROWS: readonly OptionRow[] = OPTION_ROWS.filter((r) => r.section === 'trade');
export const SWEEP_ROWS: readonly OptionRow[] = OPTION_ROWS.filter((r) => r.section === 'sweep');
export const RUN_KEYS = RUN_ROWS.map((r) => r.key!);
export const TRADE_KEYS = TRADE_ROWS.map((r) => r.key!);

/** The default of a row that has one. */
export function readDefault<T extends string | number | boolean>(section: 'run' | 'trade' | 'audit' | 'sweep', key: string): T {
  const v = findRow(section, key).defaultValue;
  if (v === undefined) throw new Error(`option ${section}.${key} has no default`);
  return v as T;
}

export function findRow(section: 'run' | 'trade' | 'audit' | 'sweep', key: string): OptionRow {
  const row = OPTION_ROWS.find((r) => r.section === section && r.key === key);
  if (!row) throw new Error(`no option row ${section}.${key}`);
  return row;
}

/** The option's name as the caller spells it: `options.threads`, `--threads`, `jobs[2].options.threads`. */
export function nameOption(row: OptionRow, caller: Caller): string {
  if (caller.kind === 'cli' && row.flag) return `--${row.flag}`;
  const key = row.section === 'trade' ? `trade.${row.key}` : row.key;
  return caller.kind === 'batch' ? `${caller.at}.${key}` : `options.${key}`;
}

export function nameKey(section: 'run' | 'trade' | 'audit' | 'sweep', key: string, caller: Caller): string {
  return nameOption(findRow(section, key), caller);
}

/** Throws a USAGE error naming the option when `value` does not fit its row. */
export function checkOptionValue(row: OptionRow, value: unknown, caller: Caller): void {
  const problem = describeProblem(row, value, caller);
  if (problem) throw new BarwiseError('USAGE', `${nameOption(row, caller)} ${problem.message}`, problem.hint);
}

/** What is wrong with `value` for this row (`must be …, got …`), or null when it fits. */
export function describeProblem(row: OptionRow, value: unknown, caller: Caller): { message: string; hint?: string } | null {
  const shown = caller.kind === 'cli' && row.cliScale && typeof value === 'number' ? value / row.cliScale : value;
  const got = typeof shown === 'string' ? `"${shown}"` : Array.isArray(shown) || (shown && typeof shown === 'object') ? JSON.stringify(shown) : String(shown);
  const must = (what: string, hint?: string) => ({ message: `must be ${what}, got ${got}`, ...(hint ? { hint } : {}) });
  const units = caller.kind === 'cli' && row.cliScale === 1000 ? ' seconds' : row.units === 'ms' ? ' milliseconds' : '';
  switch (row.type) {
    case 'string':
      return typeof value === 'string' && value !== '' ? null : must('a non-empty string');
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? null : must('a date; write YYYY-MM-DD, e.g. 2025-11-03');
    case 'time': {
      const m = typeof value === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(value) : null;
      if (m && Number(m[1]) <= 23 && Number(m[2]) <= 59) return null;
      const name = nameOption(row, caller);
      return must('HH:MM (New York time)', `For example ${caller.kind === 'cli' ? `${name} 15:45` : `${name}: "15:45"`}.`);
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : must('true or false');
    case 'choice':
      return typeof value === 'string' && row.choices!.includes(row.upper ? value.toUpperCase() : value) ? null : must(`one of ${row.choices!.join(', ')}`);
    case 'list':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? null : must(`a list of tickers, e.g. ${caller.kind === 'cli' ? 'SPY,QQQ' : '["SPY", "QQQ"]'}`);
    case 'rules':
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? null : must('an object of trade rules (docs/trades.md)');
    case 'params':
      return value !== null && typeof value === 'object' && !Array.isArray(value)
        && Object.values(value).every((v) => v === undefined || ['number', 'string', 'boolean'].includes(typeof v))
        ? null : must(`an object of parameter values (numbers, strings, true/false), e.g. ${caller.kind === 'cli' ? 'vol_mult=2.5' : '{ "vol_mult": 2.5 }'}`);
    case 'integer': {
      const [min, max] = [row.min ?? 0, row.max ?? Number.MAX_SAFE_INTEGER];
      return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? null : must(`a whole number from ${min} to ${max}`);
    }
    case 'number': {
      const ok = typeof value === 'number' && Number.isFinite(value)
        && (row.min === undefined || value >= row.min) && (row.above === undefined || value > row.above) && (row.below === undefined || value < row.below);
      if (ok) return null;
      if (row.above !== undefined && row.below !== undefined) return must(`a number above ${row.above} and below ${row.below}`);
      if (row.above === 0 && units) return must(`a positive number of${units}`);
      if (row.above !== undefined) return must(`a number above ${row.above}`);
      return must(`a number of ${row.min ?? 0} or more`);
    }
  }
}

/** Rejects keys that are not options, naming the closest one. */
export function checkKnownKeys(value: object, section: 'run' | 'trade', caller: Caller): void {
  const allowed = section === 'run' ? RUN_KEYS : TRADE_KEYS;
  for (const k of Object.keys(value)) {
    if (allowed.includes(k) || (value as Record<string, unknown>)[k] === undefined) continue;
    const prefix = section === 'trade' ? 'trade.' : '';
    const base = caller.kind === 'batch' ? caller.at : 'options';
    const close = findClosestWord(k, allowed);
    throw new BarwiseError('USAGE', `${base}.${prefix}${k} is not an option${close ? `; did you mean ${base}.${prefix}${close}?` : ''}`,
      `Options: ${allowed.join(', ')} (docs/options.md).`);
  }
}
