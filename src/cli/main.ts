/**
 * The CLI: parses flags with yargs, hands them to the library, prints, and sets the exit code. The only
 * code that prints or exits.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { VERSION } from '../version.js';
import { backtestBuilder, backtestHandler } from './backtest-command.js';
import { importBuilder, importHandler } from './import-command.js';
import { batchBuilder, batchHandler } from './batch-command.js';
import { scheduleBuilder, scheduleHandler } from './schedule-command.js';
import { runsBuilder, runsHandler } from './runs-command.js';
import { auditBuilder, auditHandler } from './audit-command.js';
import { EXIT, reportError } from './exit.js';

async function main(args: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const run = (fn: () => Promise<number>) => async () => {
    try {
      code = await fn();
    } catch (err) {
      code = reportError(err);
    }
  };
  await yargs(args)
    .scriptName('barwise')
    .parserConfiguration({ 'duplicate-arguments-array': false })
    .version(VERSION)
    .command('backtest', 'Replay a scanner bar by bar over a market database', backtestBuilder, (argv) => run(() => backtestHandler(argv))())
    .command('audit', 'Run a scanner over whole days and bar by bar, and show which signals were knowable at the time', auditBuilder, (argv) => run(() => auditHandler(argv))())
    .command('import', 'Import CSV bars into a market database', importBuilder, (argv) => run(() => importHandler(argv))())
    .command('batch', 'Run every job of a batch file (resumable; one run per job)', batchBuilder, (argv) => run(() => batchHandler(argv))())
    .command('schedule', 'Run a batch file on a cron schedule, never two at once', scheduleBuilder, (argv) => run(() => scheduleHandler(argv))())
    .command('runs', 'List recorded runs, or --compare two of them', runsBuilder, (argv) => run(() => runsHandler(argv))())
    .demandCommand(1, 'Name a command: backtest, audit, import, batch, schedule or runs')
    .strict()
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`barwise: ${msg}\n  Run with --help to see the options.\n`);
      process.exit(EXIT.usage);
    })
    .help()
    .parseAsync();
  return code;
}

const code = await main(hideBin(process.argv));
process.exitCode = code;
