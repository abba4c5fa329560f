/**
 * `barwise backtest`: flags → runBacktest → summary, --out file, exit code.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { BarwiseError } from '../errors.js';
import { DEFAULTS, RUN_MODES, SESSIONS, SIGNAL_MODES, type BacktestOptions } from '../config/backtest-options.js';
import { readRunOptions } from '../engine/resume-run.js';
import { ResultsDb } from '../results/results-db.js';
import { SCANNER_KINDS } from '../scanners/scanner-source.js';
import { PROJECT_ROOT } from '../data/bundled-store.js';
import { runBacktest } from '../engine/run-backtest.js';
import { formatResultJson } from '../report/format-json.js';
import { formatTradesCsv } from '../report/format-trades-csv.js';
import { buildReportData } from '../report/report-data.js';
import { buildHtmlReport } from '../report/build-html-report.js';
import { readChartLibrary } from '../report/chart-library.js';
import { renderStatsTable } from '../report/render-stats-table.js';
import { addTradeOptions, readTradeFlags } from './trade-flags.js';
import { createProgressView } from './progress-bar.js';
import { renderSummary } from './summary-table.js';
import { EXIT } from './exit.js';
import { quitBySignal } from './exit-now.js';
import { formatFailureNotice, formatInterruptNotice, formatWarmupNotice } from './run-notices.js';

export const DEFAULT_SCANNER = path.join(PROJECT_ROOT, 'scanners', 'opening-range-breakout.sql');

export function backtestBuilder(y: Argv) {
  return addTradeOptions(y)
    .option('db', { type: 'string', describe: 'Market database (SQLite, table ohlcv_data) [default: bundled sample data]' })
    .option('scanner', { type: 'string', describe: 'Scanner file: .sql, .ts, .js or .mjs [default: scanners/opening-range-breakout.sql]' })
    .option('tickers', { type: 'string', describe: 'Comma-separated tickers [default: all in the database]' })
    .option('tickers-file', { type: 'string', describe: 'File of tickers, one per line' })
    .option('from', { type: 'string', describe: 'First trading date, YYYY-MM-DD [default: first in the database]' })
    .option('to', { type: 'string', describe: 'Last trading date, inclusive [default: last in the database]' })
    .option('threads', { type: 'number', describe: 'Worker threads [default: available parallelism]' })
    .option('warmup', { type: 'number', describe: `Bars of the day before the first step [default: the scanner's, else ${DEFAULTS.warmup}]` })
    .option('signals', { choices: SIGNAL_MODES, defaultDescription: DEFAULTS.signals, describe: 'Record the first signal per ticker-day, or all' })
    .option('session', { choices: SESSIONS, defaultDescription: DEFAULTS.session, describe: 'Bars a day is made of: regular 09:30-16:00 New York, or all' })
    .option('timeframe', { type: 'string', defaultDescription: DEFAULTS.timeframe, describe: 'Bar timeframe to read' })
    .option('max-signals', { type: 'number', describe: 'Keep the first N signals (by date, time, ticker)' })
    .option('step-timeout', { type: 'number', defaultDescription: String(DEFAULTS.stepTimeoutMs / 1000), describe: 'Seconds one scanner call may take' })
    .option('out', { type: 'string', describe: 'Write run, signals and failures as JSON to this file' })
    .option('results-db', { type: 'string', defaultDescription: DEFAULTS.resultsDb, describe: 'Results database recording every run' })
    .option('mode', { choices: RUN_MODES, defaultDescription: DEFAULTS.mode, describe: 'realtime (incremental), naive (the seed\'s flow, for comparison) or full-day (whole days at once, leaky on purpose: docs/audit.md)' })
    .option('scanner-kind', { choices: SCANNER_KINDS, describe: 'Scanner kind, if not the one its file name suggests (e.g. script for a legacy .ts)' })
    .option('persistent', { type: 'boolean', describe: 'Script scanners: start once per worker and use the persistent protocol (--no-persistent: start per step) [default: as the script declares]' })
    .option('references', { type: 'string', describe: 'Reference tickers each step also sees, bars so far (e.g. SPY,QQQ) [default: the scanner\'s]' })
    .option('lookback-days', { type: 'number', describe: 'Previous trading days of the ticker each day also sees [default: the scanner\'s, else 0]' })
    .option('daily-bars', { type: 'number', describe: 'Previous completed 1day bars each day sees (table daily_bars) [default: the scanner\'s, else 0]' })
    .option('worker-memory', { type: 'number', defaultDescription: String(DEFAULTS.workerMemoryMb), describe: 'Heap limit per worker thread, MB' })
    .option('resume', { type: 'number', describe: 'Continue run N of the results database: keeps its finished ticker-days, retries failed ones; other flags default to the run\'s own' })
    .option('progress', { type: 'boolean', describe: 'Show a progress bar [default: on a terminal]' });
}

export type BacktestArgs = Awaited<ReturnType<ReturnType<typeof backtestBuilder>['parse']>>;

export async function backtestHandler(argv: BacktestArgs): Promise<number> {
  const tty = Boolean(process.stdout.isTTY);
  const progress = createProgressView(argv.progress ?? Boolean(process.stderr.isTTY));
  const controller = new AbortController();
  let signals = 0;
  let stopCode: number = EXIT.interrupted;
  const onSignal = (name: NodeJS.Signals) => {
    signals++;
    stopCode = name === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
    if (signals > 1) quitBySignal(name === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
    process.stderr.write(`\nbarwise: ${name} received, stopping; finished ticker-days are kept (press again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    // Flags left out are undefined (defaults apply in resolveOptions), so with --resume they take the run's own.
    const resultsDb = argv['results-db'] ?? DEFAULTS.resultsDb;
    const recorded = argv.resume !== undefined ? readRecordedOptions(resultsDb, argv.resume) : undefined;
    const flags = readFlags(argv);
    const result = await runBacktest({ ...recorded, ...flags, resultsDb, scanner: flags.scanner ?? recorded?.scanner ?? DEFAULT_SCANNER }, {
      onStart: (s) => progress.start(s.tasksTotal),
      onProgress: (p) => progress.update(p),
      signal: controller.signal,
    }).finally(() => progress.stop());
    if (argv.out) writeFileAtomic(argv.out, formatResultJson(result));
    if (argv['trades-csv'] && result.trades) writeFileAtomic(argv['trades-csv'], formatTradesCsv(result.trades));
    if (argv.report && result.stats) writeFileAtomic(argv.report, buildHtmlReport(buildReportData(result), readChartLibrary()));
    process.stdout.write(renderSummary(result, tty) + '\n');
    if (tty && result.stats) process.stdout.write(renderStatsTable(result.stats) + '\n');
    if (result.run.status === 'interrupted') {
      process.stderr.write(formatInterruptNotice(result, argv.out));
      return stopCode;
    }
    if (result.failures.length > 0) {
      process.stderr.write(formatFailureNotice(result, argv.out));
      return EXIT.failed;
    }
    const warmup = formatWarmupNotice(result);
    if (warmup) {
      process.stderr.write(warmup);
      return EXIT.usage;
    }
    return EXIT.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function readRecordedOptions(resultsDb: string, runId: number): BacktestOptions {
  const results = new ResultsDb(resultsDb);
  try {
    return readRunOptions(results, runId);
  } finally {
    results.close();
  }
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Flags → library options (shared with `barwise audit`, which takes the same flags). */
export function toBacktestOptions(argv: BacktestArgs): BacktestOptions {
  const flags = readFlags(argv);
  return { ...flags, scanner: flags.scanner ?? DEFAULT_SCANNER };
}

/** The flags given, as library options; flags left out stay out, so defaults (or a resumed run's own) apply. */
function readFlags(argv: BacktestArgs): Partial<BacktestOptions> {
  return dropUndefined({
    db: argv.db,
    scanner: argv.scanner,
    tickers: argv.tickers?.split(','),
    tickersFile: argv['tickers-file'],
    from: argv.from,
    to: argv.to,
    threads: argv.threads,
    warmup: argv.warmup,
    signals: argv.signals,
    session: argv.session,
    timeframe: argv.timeframe,
    maxSignals: argv['max-signals'],
    stepTimeoutMs: argv['step-timeout'] !== undefined ? argv['step-timeout'] * 1000 : undefined,
    resultsDb: argv['results-db'],
    mode: argv.mode,
    workerMemoryMb: argv['worker-memory'],
    scannerKind: argv['scanner-kind'],
    persistent: argv.persistent,
    references: argv.references?.split(','),
    lookbackDays: argv['lookback-days'],
    dailyBars: argv['daily-bars'],
    trade: readTradeFlags(argv),
    resume: argv.resume,
  });
}

export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    const full = (err as { code?: string }).code === 'ENOSPC' ? ' (the disk is full)' : '';
    throw new BarwiseError('RESULTS_WRITE', `cannot write ${file}${full}: ${(err as Error).message}`,
      'Free disk space or pass --out with another path; the run and its results are kept in the results database.');
  }
}
