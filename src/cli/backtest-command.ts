/**
 * `barwise backtest`: flags → runBacktest → summary, --out file, exit code.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { BarwiseError } from '../errors.js';
import { DEFAULTS, type BacktestOptions } from '../config/backtest-options.js';
import { CLI } from '../config/options.js';
import { checkSamePlan, readRecordedPlan } from '../engine/resume-run.js';
import { completePlan, resolveRunFully } from '../plan/resolve-run.js';
import { mergeOverRecorded, planToOptions } from '../plan/plan-to-options.js';
import { ResultsDb } from '../results/results-db.js';
import { locateBundledDb, PROJECT_ROOT } from '../data/bundled-store.js';
import { checkOutputPaths } from '../config/check-output-paths.js';
import { runBacktest } from '../engine/run-backtest.js';
import { addOptionFlags, readOptionFlags } from './option-flags.js';
import { createProgressView } from './progress-bar.js';
import { renderSummary } from './summary-table.js';
import { EXIT } from './exit.js';
import { handleStopSignals } from './handle-stop-signals.js';
import { watchQueue } from './watch-queue.js';
import { formatAccountNotice, formatFailureNotice, formatInterruptNotice, formatNotices, formatWarmupNotice } from './run-notices.js';
import { checkPerStepConfirmed, formatAlreadyComplete, formatPerStepWarning, formatResumeStart } from './run-start-notices.js';
import { formatRecordedRun, formatWrittenFiles } from './output-notices.js';

export const DEFAULT_SCANNER = path.join(PROJECT_ROOT, 'scanners', 'opening-range-breakout.sql');

export function backtestBuilder(y: Argv) {
  return addOptionFlags(y, 'backtest');
}

/** Parsed flags: kebab-case keys as in the option table (docs/options.md). */
export type BacktestArgs = Record<string, unknown> & { out?: string; report?: string; 'trades-csv'?: string; progress?: boolean; resume?: number; yes?: boolean };

export async function backtestHandler(argv: BacktestArgs): Promise<number> {
  const tty = Boolean(process.stdout.isTTY);
  const progress = createProgressView(argv.progress ?? Boolean(process.stderr.isTTY));
  const stop = handleStopSignals(progress, '', 'finished ticker-days are kept');
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
    // `--resume N` alone of a completed run has nothing to do. With other flags or outputs it goes through the
    // run, which checks the flags against the recorded plan and writes the outputs (no ticker-day is rerun).
    const resumeAlone = Object.entries(flags).every(([k, v]) => v === undefined || k === 'resume' || k === 'resultsDb')
      && !argv.out && !argv.report && !argv['trades-csv'];
    if (flags.resume !== undefined && resumeAlone && await isCompleteAsRecorded(options, resultsDb, flags.resume)) {
      process.stderr.write(formatAlreadyComplete(flags.resume, resultsDb));
      return EXIT.ok;
    }
    // Over the queue: the workers connected on the progress line, and a notice while none is.
    const watch = watchQueue(options.queue, options.db ?? locateBundledDb(), progress);
    const result = await runBacktest(options, {
      onNotice: (m) => progress.notice(`barwise: ${m}\n`),
      onPlan: (work) => {
        const warning = formatPerStepWarning(work);
        if (warning) progress.notice(warning);
        checkPerStepConfirmed(work, { tty: Boolean(process.stdin.isTTY && process.stderr.isTTY), yes: argv.yes === true });
      },
      onStart: (s) => {
        if (s.resumed) progress.notice(formatResumeStart(s));
        progress.start();
      },
      onProgress: (p) => progress.update(p),
      signal: stop.signal,
    }, CLI).finally(() => {
      watch.dispose();
      progress.stop();
    });
    const written = [];
    // The writers (the HTML report with its charts) and the statistics table are loaded only when there is
    // something for them to do: a plain run does not pay for their modules at start-up.
    if (argv.out || argv['trades-csv'] || argv.report) {
      const { renderOutputs, RUN_SINKS } = await import('../report/output-sinks.js');
      for (const { file, text } of renderOutputs(RUN_SINKS, result, argv)) {
        writeFileAtomic(file, text);
        written.push({ file, bytes: Buffer.byteLength(text) });
      }
    }
    process.stdout.write(renderSummary(result, tty) + '\n');
    if (tty && result.stats) process.stdout.write((await import('../report/render-stats-table.js')).renderStatsTable(result.stats) + '\n');
    process.stderr.write(formatNotices(result.notices ?? []));
    const code = reportRunEnd(result, argv.out, stop.stopCode);
    process.stderr.write(formatWrittenFiles(written, `#${result.run.id}`) + formatRecordedRun(`#${result.run.id}`, result.run.status, result.run.results_db));
    return code;
  } finally {
    stop.dispose();
  }
}

/** Prints what did not simply succeed (interrupted, failures, a warmup longer than every day) and says the exit code. */
function reportRunEnd(result: Awaited<ReturnType<typeof runBacktest>>, outFile: string | undefined, stopCode: number): number {
  if (result.run.status === 'interrupted') {
    process.stderr.write(formatInterruptNotice(result, outFile));
    return stopCode;
  }
  if (result.failures.length > 0) {
    process.stderr.write(formatFailureNotice(result, outFile));
    return EXIT.failed;
  }
  const account = formatAccountNotice(result);
  if (account) process.stderr.write(account);
  const warmup = formatWarmupNotice(result);
  if (warmup) {
    process.stderr.write(warmup);
    return EXIT.usage;
  }
  return EXIT.ok;
}

/**
 * Whether run `runId` is completed and would be resumed with its recorded plan: the data, code and options
 * are checked as a resume checks them (RESUME_MISMATCH names what changed), so "already complete" is never
 * said of a run whose inputs have changed since.
 */
async function isCompleteAsRecorded(options: BacktestOptions, resultsDb: string, runId: number): Promise<boolean> {
  const results = new ResultsDb(resultsDb);
  try {
    if (results.readRun(runId)?.status !== 'completed') return false;
    checkSamePlan(results, runId, completePlan(await resolveRunFully(options, CLI)), CLI);
    return true;
  } finally {
    results.close();
  }
}

/** The options run `runId` was recorded with (shared with `barwise audit --resume`). */
export function readRecordedOptions(resultsDb: string, runId: number): BacktestOptions {
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
    // A temp file that could not be made (the parent is a file: ENOTDIR) is no reason to hide the write's error.
    try { fs.rmSync(tmp, { force: true }); } catch { /* nothing was left there */ }
    const full = (err as { code?: string }).code === 'ENOSPC' ? ' (the disk is full)' : '';
    throw new BarwiseError('RESULTS_WRITE', `cannot write ${file}${full}: ${(err as Error).message}`,
      'Free disk space or pass --out with another path; the run and its results are kept in the results database.');
  }
}
