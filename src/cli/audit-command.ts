/**
 * `barwise audit`: the backtest's flags → runAudit (full-day and realtime runs) → table, --out JSON, exit code.
 */
import type { Argv } from 'yargs';
import { BarwiseError } from '../errors.js';
import { runAudit } from '../audit/run-audit.js';
import { renderAuditTable } from '../report/audit-table.js';
import { formatAuditJson } from '../report/format-audit-json.js';
import { backtestBuilder, toBacktestOptions, writeFileAtomic, type BacktestArgs } from './backtest-command.js';
import { createProgressView } from './progress-bar.js';
import { EXIT } from './exit.js';
import { buildHtmlReport } from '../report/build-html-report.js';
import { buildReportData } from '../report/report-data.js';
import { readChartLibrary } from '../report/chart-library.js';
import { renderAuditHtmlSection } from '../report/audit-html-section.js';
import type { AuditResult } from '../audit/audit-types.js';

/** The backtest's flags, less the two the audit decides itself. */
export function auditBuilder(y: Argv) {
  return backtestBuilder(y).hide('mode').hide('max-signals')
    .option('out', { type: 'string', describe: 'Write the audit (summary, one entry per signal, both runs) as JSON to this file' })
    .option('order-sample', { type: 'number', describe: 'Ticker-days re-run alone to find results that depend on task order (0: skip)', default: 8 });
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
    const result = await runAudit({ ...options, orderSample: (argv as { 'order-sample'?: number })['order-sample'] }, {
      onRunStart: (_run, info) => {
        progress.stop();
        progress.start(info.tasksTotal);
      },
      onProgress: (p) => progress.update(p),
      signal: controller.signal,
    }).finally(() => progress.stop());
    if (argv.out) writeFileAtomic(argv.out, formatAuditJson(result));
    if (argv.report) writeFileAtomic(argv.report, renderAuditReport(result));
    process.stdout.write(renderAuditTable(result, Boolean(process.stdout.isTTY)) + '\n');
    if (result.audit.status === 'interrupted') return EXIT.interrupted;
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
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * `--report`: the realtime run's HTML report (trades, charts) with the audit's section under its headline
 * figures. `--report` turns trading on (as in backtest), so both runs carry trades.
 */
function renderAuditReport(result: AuditResult): string {
  if (!result.realtimeResult) throw new BarwiseError('REPORT_WRITE', 'the realtime run did not finish; no report was written');
  return buildHtmlReport(buildReportData(result.realtimeResult), readChartLibrary(), renderAuditHtmlSection(result));
}
