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
    const options = { ...toBacktestOptions(argv), orderSample: (argv as { 'order-sample'?: number })['order-sample'] };
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
    if (result.audit.status === 'interrupted') return stop.stopCode;
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

/** The files written and where the audit's two runs are recorded. */
function formatAuditEnd(result: Awaited<ReturnType<typeof runAudit>>, written: { file: string; bytes: number }[]): string {
  // Interrupted in the full-day run, the realtime one never started: the audit then names the full-day run twice.
  const runs = [...new Map([result.runs.full_day, result.runs.realtime].map((r) => [r.id, r])).values()];
  const ids = runs.map((r) => `#${r.id}`).join(' and ');
  const where = runs[0]?.results_db;
  const status = runs.map((r) => r.status).join(', ');
  return formatWrittenFiles(written, ids) + (where ? formatRecordedRun(ids, status, where) : '');
}
