/**
 * The CLI: parses flags with yargs, hands them to the library, prints, and sets the exit code. The only
 * code that prints or exits.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { VERSION } from '../version.js';
import type { Argv } from 'yargs';
import { EXIT, reportError } from './exit.js';
import { countStuckWorkers } from '../pool/stuck-workers.js';
import { exitNow } from './exit-now.js';
import { gatherRepeatedFlags } from './gather-repeated-flags.js';
import { HELP_EXAMPLES } from './help-examples.js';
import { suggestForUnknown } from './suggest-typo.js';

interface CommandModule {
  builder: (y: Argv) => Argv;
  handler: (argv: never) => Promise<number>;
}

/**
 * Each command's module is imported only when that command runs (all of them for a bare --help): a backtest
 * need not load the batch scheduler, the schema validator or the report's charting code, which cost ~0.5 s of
 * start-up when imported eagerly.
 */
const COMMANDS: { name: string; describe: string; load: () => Promise<CommandModule> }[] = [
  { name: 'backtest', describe: 'Replay a scanner bar by bar over a market database',
    load: async () => { const m = await import('./backtest-command.js'); return { builder: m.backtestBuilder as CommandModule['builder'], handler: m.backtestHandler as CommandModule['handler'] }; } },
  { name: 'audit', describe: 'Run a scanner over whole days and bar by bar, and show which signals were knowable at the time',
    load: async () => { const m = await import('./audit-command.js'); return { builder: m.auditBuilder as CommandModule['builder'], handler: m.auditHandler as CommandModule['handler'] }; } },
  { name: 'sweep', describe: 'Backtest every combination of a parameter grid in one pass over the data, and rank them',
    load: async () => { const m = await import('./sweep-command.js'); return { builder: m.sweepBuilder as CommandModule['builder'], handler: m.sweepHandler as CommandModule['handler'] }; } },
  { name: 'import', describe: 'Import CSV bars into a market database',
    load: async () => { const m = await import('./import-command.js'); return { builder: m.importBuilder as CommandModule['builder'], handler: m.importHandler as CommandModule['handler'] }; } },
  { name: 'aggregate', describe: 'Make daily (1day) bars from the intraday bars of a market database',
    load: async () => { const m = await import('./aggregate-command.js'); return { builder: m.aggregateBuilder as CommandModule['builder'], handler: m.aggregateHandler as CommandModule['handler'] }; } },
  { name: 'batch', describe: 'Run every job of a batch file (resumable; one run per job)',
    load: async () => { const m = await import('./batch-command.js'); return { builder: m.batchBuilder as CommandModule['builder'], handler: m.batchHandler as CommandModule['handler'] }; } },
  { name: 'schedule', describe: 'Run a batch file on a cron schedule, never two at once',
    load: async () => { const m = await import('./schedule-command.js'); return { builder: m.scheduleBuilder as CommandModule['builder'], handler: m.scheduleHandler as CommandModule['handler'] }; } },
  { name: 'worker', describe: 'Run the shards of --queue runs on this machine (docs/cluster.md)',
    load: async () => { const m = await import('./worker-command.js'); return { builder: m.workerBuilder as CommandModule['builder'], handler: m.workerHandler as CommandModule['handler'] }; } },
  { name: 'workers', describe: 'List the workers connected to a --queue and what each is doing (docs/cluster.md)',
    load: async () => { const m = await import('./workers-command.js'); return { builder: m.workersBuilder as CommandModule['builder'], handler: m.workersHandler as CommandModule['handler'] }; } },
  { name: 'runs', describe: 'List recorded runs, or --compare two of them',
    load: async () => { const m = await import('./runs-command.js'); return { builder: m.runsBuilder as CommandModule['builder'], handler: m.runsHandler as CommandModule['handler'] }; } },
];

async function main(args: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const run = (fn: () => Promise<number>) => async () => {
    try {
      code = await fn();
    } catch (err) {
      code = reportError(err);
    }
  };
  // The command named on the line (its module alone is loaded); an unknown word: all (it may be a flag's value
  // before the command). No word at all (`--help`, `--version`): none, as no command can run.
  const named = args.find((a) => !a.startsWith('-'));
  const only = COMMANDS.some((c) => c.name === named) ? named : null;
  const modules = new Map<string, CommandModule>();
  if (named !== undefined) for (const c of COMMANDS) if (only === null || c.name === only) modules.set(c.name, await c.load());
  let y = yargs(gatherRepeatedFlags(args))
    .scriptName('barwise')
    .parserConfiguration({ 'duplicate-arguments-array': false })
    .version(VERSION);
  let knownFlags: string[] = ['help', 'version'];
  for (const c of COMMANDS) {
    const m = modules.get(c.name);
    // A command not named here is listed with its description; its builder would only run if it were named.
    const build = (b: Argv) => {
      let out = m ? m.builder(b) : b;
      for (const [cmd, what] of HELP_EXAMPLES[c.name] ?? []) out = out.example(cmd, what);
      // The flags the command takes, for "did you mean" on a misspelt one (yargs's own keys; camelCase aliases left out).
      knownFlags = Object.keys((out as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions().key).filter((k) => !/[A-Z]/.test(k));
      return out;
    };
    y = y.command(c.name, c.describe, build, (argv) => run(() => m!.handler(argv as never))());
  }
  skipHelpCache(y);
  await y
    .demandCommand(1, 'Name a command: backtest, audit, sweep, import, aggregate, batch, schedule, worker, workers or runs')
    .strict()
    .fail((msg, err) => {
      if (err) throw err;
      const shown = suggestForUnknown(msg, { commands: COMMANDS.map((c) => c.name), flags: knownFlags, commandNamed: only !== null });
      process.stderr.write(`barwise: ${shown}\n  Run with --help to see the options.\n`);
      process.exit(EXIT.usage);
    })
    .help()
    // The terminal's own width: yargs's 80 columns wrap every description twice in a 160-column terminal.
    .wrap(helpWidth())
    .parseAsync();
  return code;
}

/** Columns of the terminal the help goes to; COLUMNS (or 80) when it goes into a pipe. */
function helpWidth(): number {
  return process.stdout.columns || Number(process.env.COLUMNS) || 80;
}

/**
 * yargs renders the named command's whole help text right after starting its handler (`cacheHelpMessage`, so
 * that `showHelp()` still works from an async handler; barwise never calls it): for `backtest`, its ~80 options
 * through cliui's wrapping, the largest single cost of a 1-ticker run's start-up after loading modules. `--help`
 * renders before any handler and is unaffected. Through yargs' internal methods, so guarded: a yargs without
 * them simply renders as before.
 */
function skipHelpCache(y: Argv): void {
  const internal = (y as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.();
  const usage = internal?.getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

const code = await main(hideBin(process.argv));
process.exitCode = code;
const stuck = countStuckWorkers();
if (stuck > 0) {
  // Everything is written (results, --out, the summary); a thread that cannot be stopped must not keep a
  // cron job waiting forever.
  process.stderr.write(`barwise: ${stuck} worker thread(s) stayed stuck in a scanner call that cannot be interrupted (e.g. an SQL query that never ends); exiting anyway (code ${code}). Bound the query (a LIMIT on a recursive CTE) or the call.\n`);
  await new Promise<void>((r) => process.stderr.write('', () => process.stdout.write('', () => r())));
  exitNow(code);
}
