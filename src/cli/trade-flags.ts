/**
 * The backtest command's trading flags, and how they become the library's `trade` option. Any rule flag
 * (or --trade-config, --report, --trades-csv) turns trading on, as --trade does.
 */
import type { Argv } from 'yargs';
import { ENTRY_MODES, TRADE_DEFAULTS, TRADE_DIRECTIONS, type TradeRulesInput } from '../config/trade-rules.js';

/** Flag → TradeRulesInput key. */
const RULE_FLAGS = {
  'direction': 'direction',
  'entry': 'entry',
  'stop-pct': 'stopPct',
  'target-pct': 'targetPct',
  'trail-pct': 'trailPct',
  'atr-stop': 'atrStop',
  'atr-period': 'atrPeriod',
  'max-bars': 'maxBars',
  'exit-time': 'exitTime',
  'slippage-bps': 'slippageBps',
  'commission-per-share': 'commissionPerShare',
  'commission-min': 'commissionMin',
  'shares': 'shares',
  'risk-per-trade': 'riskPerTrade',
  'capital': 'capital',
} as const satisfies Record<string, Exclude<keyof TradeRulesInput, 'config'>>;

export function addTradeOptions<T>(y: Argv<T>) {
  const g = 'Trading (docs/trades.md):';
  return y
    .option('trade', { type: 'boolean', group: g, describe: 'Trade the signals and report statistics' })
    .option('trade-config', { type: 'string', group: g, describe: 'JSON file of trade rules; flags override it' })
    .option('direction', { type: 'string', group: g, describe: `Direction of signals without one: ${TRADE_DIRECTIONS.join(' or ')} [default: ${TRADE_DEFAULTS.direction}]` })
    .option('entry', { type: 'string', choices: ENTRY_MODES, group: g, describe: `Entry price [default: ${TRADE_DEFAULTS.entry}]` })
    .option('stop-pct', { type: 'number', group: g, describe: 'Stop loss, % from entry' })
    .option('target-pct', { type: 'number', group: g, describe: 'Profit target, % from entry' })
    .option('trail-pct', { type: 'number', group: g, describe: 'Trailing stop, % from the best price since entry' })
    .option('atr-stop', { type: 'number', group: g, describe: "Stop at K × ATR of the day's bars up to the signal" })
    .option('atr-period', { type: 'number', group: g, describe: `Bars in that ATR [default: ${TRADE_DEFAULTS.atrPeriod}]` })
    .option('max-bars', { type: 'number', group: g, describe: 'Exit at the close of the N-th bar held' })
    .option('exit-time', { type: 'string', group: g, describe: 'Exit at this New York time, HH:MM (always: at the close of the day)' })
    .option('slippage-bps', { type: 'number', group: g, describe: 'Slippage per fill, basis points [default: 0]' })
    .option('commission-per-share', { type: 'number', group: g, describe: 'Commission per share per fill, $ [default: 0]' })
    .option('commission-min', { type: 'number', group: g, describe: 'Minimum commission per fill, $ [default: 0]' })
    .option('shares', { type: 'number', group: g, describe: `Shares per trade [default: ${TRADE_DEFAULTS.shares}]` })
    .option('risk-per-trade', { type: 'number', group: g, describe: 'Size so that the initial stop loses this many $' })
    .option('capital', { type: 'number', group: g, describe: `Starting equity, $ [default: ${TRADE_DEFAULTS.capital}]` })
    .option('trades-csv', { type: 'string', group: g, describe: 'Write the trades as CSV to this file' })
    .option('report', { type: 'string', group: g, describe: 'Write a self-contained HTML report to this file' });
}

/** The `trade` option for runBacktest, or undefined when trading is off. */
export function readTradeFlags(argv: Record<string, unknown>): TradeRulesInput | undefined {
  const input: TradeRulesInput = {};
  for (const [flag, key] of Object.entries(RULE_FLAGS)) {
    if (argv[flag] !== undefined) (input as Record<string, unknown>)[key] = argv[flag];
  }
  if (typeof argv['trade-config'] === 'string') input.config = argv['trade-config'];
  const wanted = argv.trade === true || Object.keys(input).length > 0 || argv.report !== undefined || argv['trades-csv'] !== undefined;
  if (argv.trade === false) return undefined;
  return wanted ? input : undefined;
}
