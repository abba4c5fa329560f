/**
 * `barwise schedule --config FILE --cron "0 2 * * 1-5"`: the batch on a schedule, in this process, until
 * Ctrl-C. The batch file is read again at every tick, so edits apply to the next run.
 */
import type { Argv } from 'yargs';
import { loadBatchConfig } from '../batch/batch-config.js';
import { runNotifyCommand } from '../batch/notify.js';
import { scheduleBatch } from '../batch/schedule-batch.js';
import { executeBatch } from './batch-command.js';
import { renderBatchSummary } from './batch-summary-table.js';
import { EXIT, reportError } from './exit.js';

export function scheduleBuilder(y: Argv) {
  return y
    .option('config', { type: 'string', demandOption: true, describe: 'Batch file (YAML or JSON)' })
    .option('cron', { type: 'string', demandOption: true, describe: 'When to run: minute hour day-of-month month day-of-week, e.g. "0 2 * * 1-5"' })
    .option('timezone', { type: 'string', describe: 'Time zone of the cron fields, e.g. America/New_York [default: the machine\'s]' })
    .option('run-now', { type: 'boolean', default: false, describe: 'Also run once right away' })
    .option('results-db', { type: 'string', describe: 'Results database [default: the batch file\'s resultsDb, else results/barwise.db]' })
    .option('max-threads', { type: 'number', describe: 'Threads all jobs share [default: available parallelism]' })
    .option('notify-command', { type: 'string', describe: 'Shell command run after each batch with the summary JSON on stdin' });
}

type ScheduleArgs = Awaited<ReturnType<ReturnType<typeof scheduleBuilder>['parse']>>;

export async function scheduleHandler(argv: ScheduleArgs): Promise<number> {
  loadBatchConfig(argv.config); // a broken file is a usage error now, not at 2 a.m.
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const controller = new AbortController();
  const runOnce = async () => {
    const config = loadBatchConfig(argv.config);
    log(`batch ${config.name} starting`);
    const summary = await executeBatch(config, { resultsDb: argv['results-db'], maxThreads: argv['max-threads'] }, controller.signal);
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
