/**
 * The flags of every run command (backtest, audit, batch, schedule), derived from the option table, and how parsed flags become library
 * options. A flag a command refuses is still declared (hidden) so that it is refused by name with a reason,
 * not as an unknown argument.
 */
import type { Argv, Options } from 'yargs';
import { BarwiseError } from '../errors.js';
import { CLI, OPTION_ROWS, checkOptionValue, type Command, type OptionRow } from '../config/options.js';
import type { BacktestOptions } from '../config/backtest-options.js';
import type { TradeRulesInput } from '../config/trade-rules.js';

/**
 * The help's groups, in the order shown: what every run names first, then the rest of the run, then trading
 * (--help reads top-down; a new user should not scroll past thirty flags to find --from). yargs lists groups
 * in the order they are first declared, and its own --help and --version last, under "Options:".
 */
const CORE_GROUP = 'Core options:';
const RUN_GROUP = 'Run options:';
const OUTPUT_GROUP = 'Output:';
const TRADE_GROUP = 'Trading (docs/trades.md):';
export const CORE_FLAGS = ['scanner', 'db', 'tickers', 'from', 'to', 'threads', 'out'] as const;

export function addOptionFlags(y: Argv, command: Command): Argv {
  const taken = OPTION_ROWS.filter((r) => r.flag && r.commands.includes(command)).map((r) => r.flag!);
  y = y.group(CORE_FLAGS.filter((f) => taken.includes(f)), CORE_GROUP);
  for (const row of OPTION_ROWS) {
    if (!row.flag) continue;
    const takes = row.commands.includes(command);
    if (!takes && !row.refusedBy?.[command]) continue;
    y = y.option(row.flag, { ...describeFlag(row), ...(takes ? {} : { hidden: true }) });
  }
  return y;
}

function groupOf(row: OptionRow): string {
  if ((CORE_FLAGS as readonly string[]).includes(row.flag!)) return CORE_GROUP;
  if (row.section === 'trade' || row.key === 'trade' || row.flag === 'trades-csv' || row.flag === 'report') return TRADE_GROUP;
  if (row.section === 'output') return OUTPUT_GROUP;
  return RUN_GROUP;
}

function describeFlag(row: OptionRow): Options {
  const type = row.type === 'integer' || row.type === 'number' ? 'number' : row.type === 'boolean' || row.type === 'rules' ? 'boolean' : 'string';
  const shownDefault = row.defaultValue === undefined ? undefined
    : row.cliScale && typeof row.defaultValue === 'number' ? String(row.defaultValue / row.cliScale) : String(row.defaultValue);
  const dflt = row.defaultText ?? shownDefault;
  return {
    type,
    // Repeatable (`--param a=1 --param b=2`): every occurrence kept, in order, not only the last.
    ...(row.type === 'params' ? { array: true } : {}),
    ...(row.type === 'choice' && !row.upper ? { choices: row.choices } : {}),
    group: groupOf(row),
    describe: row.type === 'choice' && row.upper ? `${row.describe}: ${row.choices!.join(' or ')}` : row.describe,
    ...(dflt !== undefined ? { defaultDescription: dflt } : {}),
    ...(row.required ? { demandOption: true } : {}),
  };
}

/** Checks the values of a command's own flags (those that are not run options, which resolveRun checks). */
export function checkCommandFlags(argv: Record<string, unknown>, command: Command): void {
  for (const row of OPTION_ROWS) {
    if ((row.section === 'batch' || row.section === 'worker') && row.flag && row.commands.includes(command) && argv[row.flag] !== undefined) checkOptionValue(row, argv[row.flag], CLI);
  }
}

/** Refuses flags the command declares only to refuse them (e.g. audit --resume), with the reason. */
export function refuseFlags(argv: Record<string, unknown>, command: Command): void {
  for (const row of OPTION_ROWS) {
    const refusal = row.refusedBy?.[command];
    const v = row.flag ? argv[row.flag] : undefined;
    if (refusal && v !== undefined) {
      throw new BarwiseError('USAGE', refusal.message.replace(`--${row.flag}`, typeof v === 'boolean' ? `--${row.flag}` : `--${row.flag} ${v}`), refusal.hint);
    }
  }
}

/** The flags given, as library options; flags left out stay out, so defaults (or a resumed run's own) apply. */
export function readOptionFlags(argv: Record<string, unknown>): Partial<BacktestOptions> {
  const out: Record<string, unknown> = {};
  for (const row of OPTION_ROWS) {
    if (row.section !== 'run' || !row.key || !row.flag || row.type === 'rules') continue;
    const v = argv[row.flag];
    if (v === undefined) continue;
    if (row.type === 'params') {
      out[row.key] = readParamFlags(v, row.flag);
      continue;
    }
    out[row.key] = row.type === 'list' && typeof v === 'string' ? v.split(',')
      : row.cliScale && typeof v === 'number' ? v * row.cliScale : v;
  }
  const trade = readTradeFlags(argv);
  if (trade) out.trade = trade;
  return out as Partial<BacktestOptions>;
}

/**
 * `--param a=1 --param b=x` → `{ a: '1', b: 'x' }`: text, parsed as each parameter's declared type once the
 * scanner is read. Everything after the first `=` is the value (a string parameter may hold `=`).
 */
export function readParamFlags(v: unknown, flag: string): Record<string, string> {
  const out = new Map<string, string>();
  const items = (Array.isArray(v) ? v : [v]).map(String);
  if (items.length === 0) throw new BarwiseError('USAGE', `--${flag} needs NAME=VALUE, e.g. --${flag} vol_mult=2.5`, 'Repeat the flag for each parameter.');
  for (const item of items) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? item.trim() : item.slice(0, eq).trim();
    if (eq < 0 || name === '') {
      throw new BarwiseError('USAGE', `--${flag} ${item}: write NAME=VALUE, e.g. --${flag} vol_mult=2.5`, 'Repeat the flag for each parameter.');
    }
    if (out.has(name)) throw new BarwiseError('USAGE', `--${flag} ${name} is given twice (${out.get(name)} and ${item.slice(eq + 1)})`, 'Give each parameter once.');
    out.set(name, item.slice(eq + 1));
  }
  return Object.fromEntries(out);
}

/** The `trade` option, or undefined when trading is off: any rule flag (or --report, --trades-csv) turns it on. */
function readTradeFlags(argv: Record<string, unknown>): TradeRulesInput | undefined {
  if (argv.trade === false) return undefined;
  const input: Record<string, unknown> = {};
  for (const row of OPTION_ROWS) {
    if (row.section === 'trade' && row.flag && argv[row.flag] !== undefined) input[row.key!] = argv[row.flag];
  }
  const wanted = argv.trade === true || Object.keys(input).length > 0 || argv.report !== undefined || argv['trades-csv'] !== undefined;
  return wanted ? (input as TradeRulesInput) : undefined;
}
