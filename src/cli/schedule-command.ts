/**
 * `barwise schedule --config FILE --cron "0 2 * * 1-5"`: the batch on a schedule, in this process, until
 * Ctrl-C. The batch file is read again at every tick, so edits apply to the next run.
 */
import type { Argv } from 'yargs';
import { loadBatchConfig } from '../batch/batch-config.js';
import { runNotifyCommand } from '../batch/notify.js';
import { scheduleBatch } from '../batch/schedule-batch.js';
import { executeBatch, readBatchQueue } from './batch-command.js';
import { renderBatchSummary } from './batch-summary-table.js';
import { EXIT, reportError } from './exit.js';
import { addOptionFlags, checkCommandFlags } from './option-flags.js';

export function scheduleBuilder(y: Argv) {
  return addOptionFlags(y, 'schedule');
}

/** Parsed flags (docs/options.md, "Batch commands"). */
type ScheduleArgs = { config: string; cron: string; timezone?: string; 'run-now'?: boolean; 'results-db'?: string; 'max-threads'?: number; 'notify-command'?: string; queue?: string; 'queue-secret'?: string };

export async function scheduleHandler(argv: ScheduleArgs): Promise<number> {
  checkCommandFlags(argv, 'schedule');
  loadBatchConfig(argv.config); // a broken file is a usage error now, not at 2 a.m.
  const queue = await readBatchQueue(argv); // so is a queue that does not answer, or no secret
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const controller = new AbortController();
  const runOnce = async () => {
    const config = loadBatchConfig(argv.config);
    log(`batch ${config.name} starting`);
    const summary = await executeBatch(config, { resultsDb: argv['results-db'], maxThreads: argv['max-threads'], queue }, controller.signal);
    process.stdout.write(renderBatchSummary(summary, Boolean(process.stdout.isTTY)) + '\n');
    const notify = argv['notify-command'] ?? config.notify;
    if (notify) await runNotifyCommand(notify, summary);
    log(`batch ${config.name} ${summary.batch.status}; next run ${schedule.nextRun()?.toISOString() ?? 'never'}`);
  };
  const schedule = scheduleBatch({
    cron: argv.cron,
    timezone: argv.timezone,
    run: runOnce,
    onSkip: () => log('tick skipped: the previous batch is still running'),
    onError: (err) => reportError(err),
  });
  log(`scheduled ${argv.config} at "${argv.cron}"${argv.timezone ? ` (${argv.timezone})` : ''}; next run ${schedule.nextRun()?.toISOString() ?? 'never'}; Ctrl-C stops`);
  if (argv['run-now']) await schedule.trigger();
  await new Promise<void>((resolve) => {
    const stop = (name: NodeJS.Signals) => {
      log(`${name} received, stopping${schedule.isRunning() ? ' after the running batch keeps its finished work' : ''}`);
      controller.abort();
      void schedule.stop().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return EXIT.ok;
}
