/**
 * `barwise audit`: the backtest's flags → runAudit (full-day and realtime runs) → table, --out JSON, exit code.
 */
import type { Argv } from 'yargs';
import { BarwiseError } from '../errors.js';
import { runAudit } from '../audit/run-audit.js';
import { renderAuditTable } from '../report/audit-table.js';
import { formatAuditJson } from '../report/format-audit-json.js';
import { CLI } from '../config/options.js';
import { formatTradesCsv } from '../report/format-trades-csv.js';
import { addOptionFlags, refuseFlags } from './option-flags.js';
import { toBacktestOptions, writeFileAtomic, type BacktestArgs } from './backtest-command.js';
import { createProgressView } from './progress-bar.js';
import { EXIT } from './exit.js';
import { buildHtmlReport } from '../report/build-html-report.js';
import { buildReportData } from '../report/report-data.js';
import { readChartLibrary } from '../report/chart-library.js';
import { renderAuditHtmlSection } from '../report/audit-html-section.js';
import type { AuditResult } from '../audit/audit-types.js';

/** The backtest's flags, less those the audit decides itself (declared to be refused by name; see the option table). */
export function auditBuilder(y: Argv) {
  return addOptionFlags(y, 'audit');
}

export async function auditHandler(argv: BacktestArgs): Promise<number> {
  refuseFlags(argv, 'audit');
  const progress = createProgressView(argv.progress ?? Boolean(process.stderr.isTTY));
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runAudit(toBacktestOptions(argv), {
      onRunStart: (_run, info) => {
        progress.stop();
        progress.start(info.tasksTotal);
      },
      onProgress: (p) => progress.update(p),
      signal: controller.signal,
    }, CLI).finally(() => progress.stop());
    if (argv.out) writeFileAtomic(argv.out, formatAuditJson(result));
    if (argv['trades-csv']) writeFileAtomic(argv['trades-csv'], renderAuditTrades(result));
    if (argv.report) writeFileAtomic(argv.report, renderAuditReport(result));
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

/**
 * `--report`: the realtime run's HTML report (trades, charts) with the audit's section under its headline
 * figures. `--report` turns trading on (as in backtest), so both runs carry trades.
 */
function renderAuditReport(result: AuditResult): string {
  if (!result.realtimeResult) throw new BarwiseError('REPORT_WRITE', 'the realtime run did not finish; no report was written');
  return buildHtmlReport(buildReportData(result.realtimeResult), readChartLibrary(), renderAuditHtmlSection(result));
}

/** `--trades-csv`: the realtime run's trades (the ones a live scanner could have taken); it turns trading on. */
function renderAuditTrades(result: AuditResult): string {
  if (!result.realtimeResult?.trades) throw new BarwiseError('RESULTS_WRITE', 'the realtime run did not finish; no trades CSV was written', 'Run the audit again to its end.');
  return formatTradesCsv(result.realtimeResult.trades);
}
