/**
 * `barwise audit`: the backtest's flags → runAudit (full-day and realtime runs) → table, --out JSON, exit code.
 */
import type { Argv } from 'yargs';
import { BarwiseError } from '../errors.js';
import { runAudit, type AuditOptions, type AuditResume } from '../audit/run-audit.js';
import type { AuditResult } from '../audit/audit-types.js';
import { mergeOverRecorded } from '../plan/plan-to-options.js';
import { formatAuditResumeCommand } from '../results/resume-command.js';
import { renderAuditTable } from '../report/audit-table.js';
import { formatCount } from '../report/format-number.js';
import { AUDIT_SINKS, renderOutputs } from '../report/output-sinks.js';
import { DEFAULTS } from '../config/backtest-options.js';
import { CLI } from '../config/options.js';
import { addOptionFlags, readOptionFlags, refuseFlags } from './option-flags.js';
import { checkRunPaths, readRecordedOptions, toBacktestOptions, writeFileAtomic, type BacktestArgs } from './backtest-command.js';
import { createProgressView } from './progress-bar.js';
import { EXIT } from './exit.js';
import { formatNotices } from './run-notices.js';
import { handleStopSignals } from './handle-stop-signals.js';
import { checkPerStepConfirmed, formatPerStepWarning } from './run-start-notices.js';
import { formatRecordedRun, formatWrittenFiles } from './output-notices.js';

/** The audit's two runs, as the bar labels them. */
const PHASES = { 'full-day': '1/2 full-day', realtime: '2/2 realtime' } as const;

/** The backtest's flags, less those the audit decides itself (declared to be refused by name; see the option table). */
export function auditBuilder(y: Argv) {
  return addOptionFlags(y, 'audit');
}

export async function auditHandler(argv: BacktestArgs): Promise<number> {
  refuseFlags(argv, 'audit');
  const progress = createProgressView(argv.progress ?? Boolean(process.stderr.isTTY));
  const stop = handleStopSignals(progress, ' the audit', 'finished ticker-days are kept');
  try {
    const options = readAuditOptions(argv);
    checkRunPaths(options, argv, options.resultsDb ?? DEFAULTS.resultsDb);
    const noticed = new Set<string>();
    let warned = false;
    const result = await runAudit(options, {
      onPlan: (work) => {
        // Both runs plan the same work: warn (and ask) once, for the two of them.
        if (warned) return;
        warned = true;
        const twice = { ...work, steps: work.steps * 2 };
        const warning = formatPerStepWarning(twice);
        if (warning) progress.notice(warning);
        checkPerStepConfirmed(twice, { tty: Boolean(process.stdin.isTTY && process.stderr.isTTY), yes: argv.yes === true });
      },
      // Both runs of the audit resolve the same scanner: a notice is said once.
      onNotice: (m) => {
        if (!noticed.has(m)) progress.notice(`barwise: ${m}\n`);
        noticed.add(m);
      },
      onRunStart: (run) => {
        progress.stop();
        progress.start(PHASES[run]);
      },
      onProgress: (p) => progress.update(p),
      signal: stop.signal,
    }, CLI).finally(() => progress.stop());
    const written = [];
    for (const { file, text } of renderOutputs(AUDIT_SINKS, result, argv)) {
      writeFileAtomic(file, text);
      written.push({ file, bytes: Buffer.byteLength(text) });
    }
    process.stdout.write(renderAuditTable(result, Boolean(process.stdout.isTTY)) + '\n');
    process.stderr.write(formatNotices(result.audit.notices));
    process.stderr.write(formatAuditEnd(result, written));
    if (result.audit.status === 'interrupted') {
      process.stderr.write(formatAuditInterrupt(result, argv.out, (argv as { 'order-sample'?: number })['order-sample']));
      return stop.stopCode;
    }
    const dependent = result.audit.order_check?.order_dependent.length ?? 0;
    if (dependent > 0) {
      process.stderr.write(`barwise: ${dependent} sampled ticker-day(s) give other signals when run alone: the scanner keeps state across ticker-days (module-level variables), so its results depend on task order and --threads. Keep per-ticker-day state in init(ctx) (README, "Scanner state").\n`);
    }
    if (result.unaudited.length > 0) {
      process.stderr.write(`barwise: ${result.unaudited.length} ticker-day(s) failed in one of the runs and were left out of the audit; see "unaudited"${argv.out ? ` in ${argv.out}` : ''}.\n`);
      return EXIT.failed;
    }
    return EXIT.ok;
  } finally {
    stop.dispose();
  }
}

/**
 * The flags → the audit's options. With `--resume N,M` the options start from run N's record (flags given
 * override, and the resumed runs check them against their plans), after checking N and M are an audit's runs.
 */
function readAuditOptions(argv: BacktestArgs): AuditOptions {
  const orderSample = (argv as { 'order-sample'?: number })['order-sample'];
  const resumeRuns = readAuditResume(argv.resume);
  if (!resumeRuns) return { ...toBacktestOptions(argv), orderSample };
  // `--resume` is the audit's own flag (its two runs), not the backtest's run id.
  const { resume: _resume, ...flags } = readOptionFlags(argv);
  const resultsDb = flags.resultsDb ?? DEFAULTS.resultsDb;
  const recorded = readRecordedOptions(resultsDb, resumeRuns.fullDay);
  const modes: [number | undefined, string][] = [[resumeRuns.fullDay, 'full-day'], [resumeRuns.realtime, 'realtime']];
  for (const [id, mode] of modes) {
    const recordedMode = id === undefined ? mode : id === resumeRuns.fullDay ? recorded.mode : readRecordedOptions(resultsDb, id).mode;
    if (recordedMode !== mode) {
      throw new BarwiseError('USAGE', `--resume ${argv.resume}: run #${id} is a ${recordedMode ?? 'realtime'} run, not an audit's ${mode} run`,
        'Give the runs the interrupted audit named (its "continue with" line): the full-day run first, then the realtime run.');
    }
  }
  const { mode: _mode, maxSignals: _maxSignals, ...own } = mergeOverRecorded(recorded, { ...flags, resultsDb });
  return { ...own, orderSample, resumeRuns };
}

function readAuditResume(v: unknown): AuditResume | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)(?:,(\d+))?$/.exec(String(v).trim());
  const ids = m ? [Number(m[1]), m[2] === undefined ? undefined : Number(m[2])] : [];
  if (!m || ids.some((n) => n !== undefined && (n < 1 || !Number.isSafeInteger(n)))) {
    throw new BarwiseError('USAGE', `--resume must be N,M: the audit's full-day and realtime run ids (N alone when realtime had not started), got "${String(v)}"`,
      'An interrupted audit prints the command that continues it; `npm run runs` lists the recorded runs.');
  }
  return { fullDay: ids[0]!, ...(ids[1] !== undefined ? { realtime: ids[1] } : {}) };
}

/** What an interrupted audit compared, what it left unaudited, and the command that completes it. */
function formatAuditInterrupt(result: AuditResult, outFile: string | undefined, orderSample: number | undefined): string {
  const { full_day: fullDay, realtime } = result.runs;
  const planned = fullDay.counts.ticker_days_planned;
  const open = result.unaudited.filter((u) => u.code === 'NOT_FINISHED').length;
  const started = realtime.id !== fullDay.id;
  return [
    `barwise: audit interrupted: ${formatCount(Math.max(0, planned - result.unaudited.length))} of ${formatCount(planned)} ticker-days finished in both runs and were compared; ${formatCount(open)} not finished by ${started ? 'both runs' : 'the full-day run (realtime had not started)'} are listed as unaudited${outFile ? ` in ${outFile}` : ''}.`,
    `  continue with: ${formatAuditResumeCommand(fullDay.id, started ? realtime.id : null, fullDay.results_db, outFile, orderSample)}`,
  ].join('\n') + '\n';
}

/** The files written and where the audit's two runs are recorded. */
function formatAuditEnd(result: Awaited<ReturnType<typeof runAudit>>, written: { file: string; bytes: number }[]): string {
  // Interrupted in the full-day run, the realtime one never started: the audit then names the full-day run twice.
  const runs = [...new Map([result.runs.full_day, result.runs.realtime].map((r) => [r.id, r])).values()];
  const ids = runs.map((r) => `#${r.id}`).join(' and ');
  const where = runs[0]?.results_db;
  const status = runs.map((r) => r.status).join(', ');
  return formatWrittenFiles(written, ids) + (where ? formatRecordedRun(ids, status, where) : '');
}
