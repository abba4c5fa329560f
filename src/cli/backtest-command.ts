/**
 * `barwise backtest`: flags → runBacktest → summary, --out file, exit code.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { BarwiseError } from '../errors.js';
import { DEFAULTS, type BacktestOptions } from '../config/backtest-options.js';
import { CLI } from '../config/options.js';
import { readRecordedPlan } from '../engine/resume-run.js';
import { mergeOverRecorded, planToOptions } from '../plan/plan-to-options.js';
import { ResultsDb } from '../results/results-db.js';
import { locateBundledDb, PROJECT_ROOT } from '../data/bundled-store.js';
import { checkOutputPaths } from '../config/check-output-paths.js';
import { runBacktest } from '../engine/run-backtest.js';
import { renderOutputs, RUN_SINKS } from '../report/output-sinks.js';
import { renderStatsTable } from '../report/render-stats-table.js';
import { addOptionFlags, readOptionFlags } from './option-flags.js';
import { createProgressView } from './progress-bar.js';
import { renderSummary } from './summary-table.js';
import { EXIT } from './exit.js';
import { quitBySignal } from './exit-now.js';
import { formatFailureNotice, formatInterruptNotice, formatWarmupNotice } from './run-notices.js';

export const DEFAULT_SCANNER = path.join(PROJECT_ROOT, 'scanners', 'opening-range-breakout.sql');

export function backtestBuilder(y: Argv) {
  return addOptionFlags(y, 'backtest');
}

/** Parsed flags: kebab-case keys as in the option table (docs/options.md). */
export type BacktestArgs = Record<string, unknown> & { out?: string; report?: string; 'trades-csv'?: string; progress?: boolean; resume?: number };

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
    // Flags left out are undefined (defaults apply in resolveRun), so with --resume they take the run's own.
    const flags = readOptionFlags(argv);
    const resultsDb = flags.resultsDb ?? DEFAULTS.resultsDb;
    checkRunPaths(flags, argv, resultsDb);
    const options = flags.resume !== undefined
      ? mergeOverRecorded(readRecordedOptions(resultsDb, flags.resume), { ...flags, resultsDb })
      : { ...flags, resultsDb, scanner: flags.scanner ?? DEFAULT_SCANNER };
    // A resumed run takes its db and scanner from the record: those are inputs too.
    if (flags.resume !== undefined) checkRunPaths(options, argv, resultsDb);
    const result = await runBacktest(options, {
      onNotice: (m) => process.stderr.write(`barwise: ${m}\n`),
      onStart: (s) => progress.start(s.tasksTotal),
      onProgress: (p) => progress.update(p),
      signal: controller.signal,
    }, CLI).finally(() => progress.stop());
    for (const { file, text } of renderOutputs(RUN_SINKS, result, argv)) writeFileAtomic(file, text);
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
    return planToOptions(readRecordedPlan(results, runId));
  } finally {
    results.close();
  }
}

/** Flags → library options (shared with `barwise audit`, which takes the same flags). */
export function toBacktestOptions(argv: BacktestArgs): BacktestOptions {
  const flags = readOptionFlags(argv);
  return { ...flags, scanner: flags.scanner ?? DEFAULT_SCANNER };
}

/** A run's inputs against its outputs (backtest and audit): refused before anything is written. */
export function checkRunPaths(o: Partial<BacktestOptions>, argv: BacktestArgs, resultsDb: string): void {
  checkOutputPaths(
    [
      { option: '--db', path: o.db ?? locateBundledDb(), sqlite: true },
      { option: '--scanner', path: o.scanner ?? '' },
      { option: '--tickers-file', path: o.tickersFile ?? '' },
      { option: '--trade-config', path: o.trade?.config ?? '' },
    ],
    [
      { option: '--results-db', path: resultsDb, sqlite: true },
      { option: '--out', path: argv.out ?? '' },
      { option: '--trades-csv', path: argv['trades-csv'] ?? '' },
      { option: '--report', path: argv.report ?? '' },
    ],
  );
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
