/**
 * Trade rules: what users pass (`TradeRulesInput`, from flags, the library, or a `--trade-config` JSON file)
 * and what the simulator uses (`TradeRules`), resolved and validated once, here. Defaults < file < flags.
 * docs/trades.md defines every rule precisely.
 */
import fs from 'node:fs';
import { BarwiseError } from '../errors.js';
import { formatSizeRule, isRiskSized, parseSizeRule, SIZE_MODES, type SizeRule } from '../portfolio/size-rule.js';
import { CLI, ENTRY_MODES, TRADE_DIRECTIONS, TRADE_ROWS, checkKnownKeys, checkOptionValue, nameKey, readDefault, type Caller, type RowKey } from './options.js';

export { ENTRY_MODES, TRADE_DIRECTIONS };
export type EntryMode = (typeof ENTRY_MODES)[number];
export type TradeDirection = (typeof TRADE_DIRECTIONS)[number];

/** Trade rules as users write them: every field optional. */
export interface TradeRulesInput {
  /** A JSON file holding rules (the keys below); the other fields given here override it. */
  config?: string;
  /** Direction for signals without one. Default LONG. */
  direction?: TradeDirection;
  /** next-open (default): the open of the bar after the signal bar; signal-close: the signal bar's close. */
  entry?: EntryMode;
  /** Stop loss, % of the entry price. */
  stopPct?: number;
  /** Profit target, % of the entry price. */
  targetPct?: number;
  /** Trailing stop, % below (LONG) or above (SHORT) the best price since entry. */
  trailPct?: number;
  /** Stop at K × ATR of the day's bars up to the signal bar. */
  atrStop?: number;
  /** Bars in that ATR (fewer early in the day). Default 14. */
  atrPeriod?: number;
  /** Exit at the close of the N-th bar held. */
  maxBars?: number;
  /** Exit at the open of the first bar starting at or after this New York time, `HH:MM`. */
  exitTime?: string;
  /** Slippage per fill, basis points of price, always against the trade. */
  slippageBps?: number;
  /** Commission per share per fill, dollars. */
  commissionPerShare?: number;
  /** Minimum commission per fill, dollars. */
  commissionMin?: number;
  /** Fixed position size: the same as `size: 'shares:N'` (not with `size`). */
  shares?: number;
  /** Size each trade so that hitting its initial stop loses this many dollars: `size: 'risk:D'` (not with `size`). */
  riskPerTrade?: number;
  /** The account's starting cash, dollars. Default 100 000. */
  capital?: number;
  /** Ticker bought and held over the run's sessions for comparison (docs/trades.md); `none`: no benchmark. Default SPY. */
  benchmark?: string;
  /** Positions open at once over all tickers. Default: no limit (maxExposure bounds the account). */
  maxPositions?: number;
  /** Gross exposure as a multiple of equity at each entry. Default 1: a cash account; above 1 is margin. */
  maxExposure?: number;
  /** `shares:N`, `dollars:D`, `equity-pct:P`, `risk:D` or `risk-pct:P` (src/portfolio/size-rule.ts). Default `shares:100`. */
  size?: string;
}

/** Resolved rules: plain data, handed to every worker. */
export interface TradeRules {
  direction: TradeDirection;
  entry: EntryMode;
  stopPct: number | null;
  targetPct: number | null;
  trailPct: number | null;
  atrStop: number | null;
  atrPeriod: number;
  maxBars: number | null;
  /** Seconds since New York midnight, or null. */
  exitSecond: number | null;
  exitTime: string | null;
  slippageBps: number;
  commissionPerShare: number;
  commissionMin: number;
  capital: number;
  /** Upper case; null: no benchmark. */
  benchmark: string | null;
  /** How each entry is sized; `--shares` and `--risk-per-trade` resolve to it. */
  size: SizeRule;
  maxPositions: number | null;
  maxExposure: number;
}

// Compile-time: the option table's trade rows and TradeRulesInput name the same keys, both ways.
const rowsAreRules: [Exclude<RowKey<'trade'>, keyof TradeRulesInput>, Exclude<keyof TradeRulesInput, RowKey<'trade'>>] extends [never, never] ? true : false = true;
void rowsAreRules;

/** Defaults, from the option table. */
export const TRADE_DEFAULTS = {
  direction: readDefault<TradeDirection>('trade', 'direction'),
  entry: readDefault<EntryMode>('trade', 'entry'),
  atrPeriod: readDefault<number>('trade', 'atrPeriod'),
  size: readDefault<string>('trade', 'size'),
  capital: readDefault<number>('trade', 'capital'),
  benchmark: readDefault<string>('trade', 'benchmark'),
  maxExposure: readDefault<number>('trade', 'maxExposure'),
};

/** The benchmark value that turns the benchmark off. */
export const NO_BENCHMARK = 'none';

/** The rule keys (all but `config`), in the option table's order. */
export const TRADE_RULE_KEYS = TRADE_ROWS.map((r) => r.key!).filter((k) => k !== 'config') as Exclude<keyof TradeRulesInput, 'config'>[];

/** Reads a `--trade-config` file: a JSON object with the keys of TradeRulesInput (except `config`). */
export function readTradeConfig(file: string): TradeRulesInput {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw usage(`trade config not found: ${file}`, 'Pass --trade-config with a JSON file of trade rules (see docs/trades.md).');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw usage(`trade config ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw usage(`trade config ${file} must hold a JSON object of rules`);
  const unknown = Object.keys(value).filter((k) => !(TRADE_RULE_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw usage(`trade config ${file}: unknown key(s) ${unknown.map((k) => `"${k}"`).join(', ')}`, `Known keys: ${TRADE_RULE_KEYS.join(', ')}.`);
  }
  return value as TradeRulesInput;
}

/** Validates rules against the option table (messages name each rule as `caller` spells it) and fills defaults. */
export function resolveTradeRules(input: TradeRulesInput, caller: Caller = CLI): TradeRules {
  checkKnownKeys(input, 'trade', caller);
  const fromFile = input.config ? readTradeConfig(input.config) : {};
  const r: TradeRulesInput = { ...fromFile };
  for (const k of TRADE_RULE_KEYS) if (input[k] !== undefined) (r as Record<string, unknown>)[k] = input[k];
  for (const row of TRADE_ROWS) {
    const v = (r as Record<string, unknown>)[row.key!];
    if (v !== undefined && row.key !== 'config') checkOptionValue(row, v, caller);
  }
  const name = (key: keyof TradeRulesInput) => nameKey('trade', key, caller);
  const direction = (r.direction?.toUpperCase() ?? TRADE_DEFAULTS.direction) as TradeDirection;
  let exitSecond: number | null = null;
  if (r.exitTime !== undefined) {
    const [h, m] = r.exitTime.split(':').map(Number);
    exitSecond = h * 3600 + m * 60;
  }
  const size = resolveSize(r, name);
  if (isRiskSized(size) && r.stopPct === undefined && r.atrStop === undefined && r.trailPct === undefined) {
    const given = r.riskPerTrade !== undefined ? name('riskPerTrade') : `${name('size')} ${formatSizeRule(size)}`;
    throw usage(`${given} needs a stop to size against`, `Add ${name('stopPct')}, ${name('atrStop')} or ${name('trailPct')}, or size with ${name('size')} shares:N, dollars:D or equity-pct:P.`);
  }
  return {
    direction,
    entry: r.entry ?? TRADE_DEFAULTS.entry,
    stopPct: r.stopPct ?? null,
    targetPct: r.targetPct ?? null,
    trailPct: r.trailPct ?? null,
    atrStop: r.atrStop ?? null,
    atrPeriod: r.atrPeriod ?? TRADE_DEFAULTS.atrPeriod,
    maxBars: r.maxBars ?? null,
    exitSecond,
    exitTime: exitSecond === null ? null : r.exitTime!.padStart(5, '0'),
    slippageBps: r.slippageBps ?? 0,
    commissionPerShare: r.commissionPerShare ?? 0,
    commissionMin: r.commissionMin ?? 0,
    capital: r.capital ?? TRADE_DEFAULTS.capital,
    size,
    maxPositions: r.maxPositions ?? null,
    maxExposure: r.maxExposure ?? TRADE_DEFAULTS.maxExposure,
    benchmark: resolveBenchmark(r.benchmark),
  };
}

/**
 * One way to say a size: `--shares N` and `--risk-per-trade D` are the short forms of `--size shares:N` and
 * `--size risk:D`; two of the three given together are refused, naming both, rather than one silently winning.
 */
function resolveSize(r: TradeRulesInput, name: (key: keyof TradeRulesInput) => string): SizeRule {
  const given = (['size', 'shares', 'riskPerTrade'] as const).filter((k) => r[k] !== undefined);
  if (given.length > 1) {
    throw usage(`${given.map(name).join(' and ')} both given`,
      `Give one size: ${name('size')} shares:N | dollars:D | equity-pct:P | risk:D | risk-pct:P (${name('shares')} N is shares:N, ${name('riskPerTrade')} D is risk:D).`);
  }
  if (r.shares !== undefined) return { mode: 'shares', value: r.shares };
  if (r.riskPerTrade !== undefined) return { mode: 'risk', value: r.riskPerTrade };
  const text = r.size ?? TRADE_DEFAULTS.size;
  const rule = parseSizeRule(text);
  if (!rule) {
    throw usage(`${name('size')} must be MODE:VALUE with MODE one of ${SIZE_MODES.join(', ')}, got "${text}"`,
      `For example ${name('size')} equity-pct:10 (10 % of equity per trade) or risk-pct:1 (lose 1 % of equity at the stop); shares take a whole number, risk-pct at most 100.`);
  }
  const exposure = r.maxExposure ?? TRADE_DEFAULTS.maxExposure;
  if (rule.mode === 'equity-pct' && rule.value > 100 * exposure) {
    throw usage(`${name('size')} ${text} can never be bought with ${name('maxExposure')} ${exposure}: every trade would be refused for buying power`,
      `Size at most equity-pct:${100 * exposure}, or allow margin with ${name('maxExposure')} ${rule.value / 100}.`);
  }
  return rule;
}

function resolveBenchmark(value: string | undefined): string | null {
  const ticker = (value ?? TRADE_DEFAULTS.benchmark).trim().toUpperCase();
  return ticker === NO_BENCHMARK.toUpperCase() ? null : ticker;
}

function usage(message: string, hint?: string): BarwiseError {
  return new BarwiseError('USAGE', message, hint);
}

/** Resolved rules back to the input that resolves to them (a recorded run's rules, to continue it). */
export function tradeRulesToInput(rules: TradeRules): TradeRulesInput {
  const out: Record<string, unknown> = {};
  for (const k of TRADE_RULE_KEYS) {
    const v = (rules as unknown as Record<string, unknown>)[k];
    if (v !== null && v !== undefined) out[k] = k === 'size' ? formatSizeRule(v as SizeRule) : v;
  }
  // Absent is the default ticker: a run without a benchmark says so, so that continuing it keeps none.
  if (rules.benchmark === null) out.benchmark = NO_BENCHMARK;
  return out as TradeRulesInput;
}
