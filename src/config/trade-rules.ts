/**
 * Trade rules: what users pass (`TradeRulesInput`, from flags, the library, or a `--trade-config` JSON file)
 * and what the simulator uses (`TradeRules`), resolved and validated once, here. Defaults < file < flags.
 * docs/trades.md defines every rule precisely.
 */
import fs from 'node:fs';
import { BarwiseError } from '../errors.js';

export const ENTRY_MODES = ['next-open', 'signal-close'] as const;
export type EntryMode = (typeof ENTRY_MODES)[number];
export const TRADE_DIRECTIONS = ['LONG', 'SHORT'] as const;
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
  /** Fixed position size. Default 100 when risk-per-trade is not given. */
  shares?: number;
  /** Size each trade so that hitting its initial stop loses this many dollars (needs a stop). */
  riskPerTrade?: number;
  /** Starting equity for the equity curve and daily returns, dollars. Default 100 000. */
  capital?: number;
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
  /** Either a fixed size or a risk budget; exactly one is set. */
  shares: number | null;
  riskPerTrade: number | null;
  capital: number;
}

export const TRADE_DEFAULTS = {
  direction: 'LONG' as TradeDirection,
  entry: 'next-open' as EntryMode,
  atrPeriod: 14,
  shares: 100,
  capital: 100_000,
};

export const TRADE_RULE_KEYS = [
  'direction', 'entry', 'stopPct', 'targetPct', 'trailPct', 'atrStop', 'atrPeriod', 'maxBars', 'exitTime',
  'slippageBps', 'commissionPerShare', 'commissionMin', 'shares', 'riskPerTrade', 'capital',
] as const satisfies readonly (keyof TradeRulesInput)[];

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

export function resolveTradeRules(input: TradeRulesInput): TradeRules {
  const unknown = Object.keys(input).filter((k) => k !== 'config' && !(TRADE_RULE_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) throw usage(`trade rules: unknown key(s) ${unknown.join(', ')}`, `Known keys: ${TRADE_RULE_KEYS.join(', ')}.`);
  const fromFile = input.config ? readTradeConfig(input.config) : {};
  const r: TradeRulesInput = { ...fromFile };
  for (const k of TRADE_RULE_KEYS) if (input[k] !== undefined) (r as Record<string, unknown>)[k] = input[k];

  const direction = typeof r.direction === 'string' ? (r.direction.toUpperCase() as TradeDirection) : TRADE_DEFAULTS.direction;
  oneOf('direction', direction, TRADE_DIRECTIONS);
  const entry = r.entry ?? TRADE_DEFAULTS.entry;
  oneOf('entry', entry, ENTRY_MODES);
  const pct = (name: string, v: number | undefined, max: number) => {
    if (v === undefined) return null;
    if (typeof v !== 'number' || !(v > 0 && v < max)) throw usage(`--${name} must be a number above 0 and below ${max}, got ${v}`);
    return v;
  };
  const nonNegative = (name: string, v: number | undefined) => {
    if (v === undefined) return 0;
    if (typeof v !== 'number' || !(v >= 0 && Number.isFinite(v))) throw usage(`--${name} must be a number of 0 or more, got ${v}`);
    return v;
  };
  const atrPeriod = r.atrPeriod ?? TRADE_DEFAULTS.atrPeriod;
  wholeIn('atr-period', atrPeriod, 1, 10_000);
  if (r.maxBars !== undefined) wholeIn('max-bars', r.maxBars, 1, 100_000);
  let exitSecond: number | null = null;
  if (r.exitTime !== undefined) {
    const m = typeof r.exitTime === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(r.exitTime) : null;
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw usage(`--exit-time must be HH:MM (New York time), got "${r.exitTime}"`, 'For example --exit-time 15:45.');
    exitSecond = Number(m[1]) * 3600 + Number(m[2]) * 60;
  }
  if (r.shares !== undefined && r.riskPerTrade !== undefined) {
    throw usage('--shares and --risk-per-trade both given', 'Size trades either by a fixed number of shares or by dollars at risk, not both.');
  }
  if (r.shares !== undefined) wholeIn('shares', r.shares, 1, 1e12);
  const riskPerTrade = r.riskPerTrade === undefined ? null : positive('risk-per-trade', r.riskPerTrade);
  const stopPct = pct('stop-pct', r.stopPct, 100);
  const atrStop = r.atrStop === undefined ? null : positive('atr-stop', r.atrStop);
  const trailPct = pct('trail-pct', r.trailPct, 100);
  if (riskPerTrade !== null && stopPct === null && atrStop === null && trailPct === null) {
    throw usage('--risk-per-trade needs a stop to size against', 'Add --stop-pct, --atr-stop or --trail-pct, or size with --shares.');
  }
  return {
    direction,
    entry,
    stopPct,
    targetPct: pct('target-pct', r.targetPct, 10_000),
    trailPct,
    atrStop,
    atrPeriod,
    maxBars: r.maxBars ?? null,
    exitSecond,
    exitTime: exitSecond === null ? null : r.exitTime!.padStart(5, '0'),
    slippageBps: nonNegative('slippage-bps', r.slippageBps),
    commissionPerShare: nonNegative('commission-per-share', r.commissionPerShare),
    commissionMin: nonNegative('commission-min', r.commissionMin),
    shares: riskPerTrade === null ? (r.shares ?? TRADE_DEFAULTS.shares) : null,
    riskPerTrade,
    capital: positive('capital', r.capital ?? TRADE_DEFAULTS.capital),
  };
}

function positive(name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v > 0 && Number.isFinite(v))) throw usage(`--${name} must be a number above 0, got ${v}`);
  return v;
}

function wholeIn(name: string, v: unknown, min: number, max: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw usage(`--${name} must be a whole number from ${min} to ${max}, got ${v}`);
}

function oneOf(name: string, v: unknown, allowed: readonly string[]): void {
  if (typeof v !== 'string' || !allowed.includes(v)) throw usage(`--${name} must be one of ${allowed.join(', ')}, got "${v}"`);
}

function usage(message: string, hint?: string): BarwiseError {
  return new BarwiseError('USAGE', message, hint);
}

/** Resolved rules back to the input that resolves to them (a recorded run's rules, to continue it). */
export function tradeRulesToInput(rules: TradeRules): TradeRulesInput {
  const out: Record<string, unknown> = {};
  for (const k of TRADE_RULE_KEYS) {
    const v = (rules as unknown as Record<string, unknown>)[k];
    if (v !== null && v !== undefined) out[k] = v;
  }
  return out as TradeRulesInput;
}
