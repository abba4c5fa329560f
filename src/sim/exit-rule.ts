/**
 * What an exit rule is: it looks at each bar of an open trade in three moments and may close the trade.
 *  - `open`: before the bar trades. A rule that fires here fills at the bar's open (a gap through a stop or a
 *    target, the exit time reached).
 *  - `within`: while the bar trades. A rule that fires fills at its own price, at the bar's end; `seen` lists
 *    the prices the trade went through in the bar before that fill (for MAE/MFE).
 *  - `close`: the bar has traded without an exit. A rule that fires fills at the bar's close.
 * In each moment the rules are asked in the registry's order (exit-rules.ts) and the first fill stands: the
 * order is the rulebook (a stop before a target within one bar, docs/trades.md).
 */
import type { TradeRules } from '../config/trade-rules.js';
import type { Bar, ExitReason } from '../types.js';

export type ExitMoment = 'open' | 'within' | 'close';

/** A trade as it is entered: what every rule may set itself up from. */
export interface TradeSetup {
  rules: TradeRules;
  /** 1 for a long trade, −1 for a short one: `sign × (price − entry)` is the trade's gain per share. */
  sign: 1 | -1;
  /** The entry price, slippage included. */
  entry: number;
  /** Distance per share from the entry to the fixed stop (the tighter of --stop-pct and --atr-stop), or null. */
  fixedDist: number | null;
}

export interface BarStep {
  bar: Bar;
  /** This bar is the day's last. */
  last: boolean;
  /** Bars the trade has been open for, this one included from the `within` moment on. */
  held: number;
}

export interface ExitFill {
  /** `within` only: the fill price (a fill at the `open` or `close` moment is at the bar's open or close). */
  price: number;
  reason: ExitReason;
  /** `within` only: prices the trade went through in the bar before the fill, in order. */
  seen?: readonly number[];
}

export interface ExitRule<S = unknown> {
  /** The moments the rule acts in: it is asked in those only. */
  moments: readonly ExitMoment[];
  /** The rule's state for one trade, or null when the trade's rules leave this rule off. */
  init(t: TradeSetup): S | null;
  check(state: S, moment: ExitMoment, step: BarStep): ExitFill | null;
  /** After a bar with no exit: what the rule learns from it (the trailing stop's best price). */
  advance?(state: S, step: BarStep): void;
}

/** Typed by its state, listed without it: the registry holds rules of different states. */
export function defineExitRule<S>(rule: ExitRule<S>): ExitRule {
  return rule as ExitRule;
}
