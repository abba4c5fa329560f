/**
 * `barwise audit`: the backtest's flags → runAudit (full-day and realtime runs) → table, --out JSON, exit code.
 */
import type { Argv } from 'yargs';
import { BarwiseError } from '../errors.js';
import { runAudit } from '../audit/run-audit.js';
import { renderAuditTable } from '../report/audit-table.js';
import { AUDIT_SINKS, renderOutputs } from '../report/output-sinks.js';
import { DEFAULTS } from '../config/backtest-options.js';
import { CLI } from '../config/options.js';
import { addOptionFlags, refuseFlags } from './option-flags.js';
import { checkRunPaths, toBacktestOptions, writeFileAtomic, type BacktestArgs } from './backtest-command.js';
import { createProgressView } from './progress-bar.js';
import { EXIT } from './exit.js';

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
    const options = { ...toBacktestOptions(argv), orderSample: (argv as { 'order-sample'?: number })['order-sample'] };
    checkRunPaths(options, argv, options.resultsDb ?? DEFAULTS.resultsDb);
    const noticed = new Set<string>();
    const result = await runAudit(options, {
      // Both runs of the audit resolve the same scanner: a notice is said once.
      onNotice: (m) => {
        if (!noticed.has(m)) process.stderr.write(`barwise: ${m}\n`);
        noticed.add(m);
      },
      onRunStart: (_run, info) => {
        progress.stop();
        progress.start(info.tasksTotal);
      },
      onProgress: (p) => progress.update(p),
      signal: controller.signal,
    }, CLI).finally(() => progress.stop());
    for (const { file, text } of renderOutputs(AUDIT_SINKS, result, argv)) writeFileAtomic(file, text);
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
