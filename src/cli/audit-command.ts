/**
 * `barwise audit`: the backtest's flags → runAudit (full-day and realtime runs) → table, --out JSON, exit code.
 */
import type { Argv } from 'yargs';
import { BarwiseError } from '../errors.js';
import { runAudit } from '../audit/run-audit.js';
import { renderAuditTable } from '../report/audit-table.js';
import { AUDIT_SINKS, renderOutputs } from '../report/output-sinks.js';
import { DEFAULTS } from '../config/backtest-options.js';
import { backtestBuilder, checkRunPaths, toBacktestOptions, writeFileAtomic, type BacktestArgs } from './backtest-command.js';
import { createProgressView } from './progress-bar.js';
import { EXIT } from './exit.js';

/** The backtest's flags, less the two the audit decides itself. */
export function auditBuilder(y: Argv) {
  return backtestBuilder(y).hide('mode').hide('max-signals')
    .option('out', { type: 'string', describe: 'Write the audit (summary, one entry per signal, both runs) as JSON to this file' });
}

export async function auditHandler(argv: BacktestArgs): Promise<number> {
  if (argv.mode !== undefined && argv.mode !== 'realtime') {
    throw new BarwiseError('USAGE', `audit runs the scanner in both full-day and realtime mode; --mode ${argv.mode} does not apply`, 'Drop --mode.');
  }
  if (argv['max-signals'] !== undefined) {
    throw new BarwiseError('USAGE', 'audit compares every signal of both runs; --max-signals does not apply', 'Drop --max-signals; narrow the range with --tickers, --from and --to instead.');
  }
  const progress = createProgressView(argv.progress ?? Boolean(process.stderr.isTTY));
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { mode: _mode, maxSignals: _max, ...options } = toBacktestOptions(argv);
    checkRunPaths(options, argv, options.resultsDb ?? DEFAULTS.resultsDb);
    const result = await runAudit(options, {
      onRunStart: (_run, info) => {
        progress.stop();
        progress.start(info.tasksTotal);
      },
      onProgress: (p) => progress.update(p),
      signal: controller.signal,
    }).finally(() => progress.stop());
    for (const { file, text } of renderOutputs(AUDIT_SINKS, result, argv)) writeFileAtomic(file, text);
    process.stdout.write(renderAuditTable(result, Boolean(process.stdout.isTTY)) + '\n');
    if (result.audit.status === 'interrupted') return EXIT.interrupted;
    if (result.unaudited.length > 0) {
      process.stderr.write(`barwise: ${result.unaudited.length} ticker-day(s) failed in one of the runs and were left out of the audit; see "unaudited"${argv.out ? ` in ${argv.out}` : ''}.\n`);
      return EXIT.failed;
    }
    return EXIT.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
