/**
 * One signal → one candidate trade (src/portfolio/candidate.ts): the entry here, then the day's bars after the
 * entry walked through the exit rules (exit-rules.ts, each in its own file) until one fills. Per share: the
 * portfolio pass decides whether the account takes it and its size. Pure: the same bars, signal and rules
 * always give the same candidate. docs/trades.md states every rule; the subtle ones:
 *  - Within a bar we cannot know whether the high or the low came first. When a bar touches both the stop
 *    and the target, the stop fills (the conservative assumption): the stop is asked first.
 *  - A bar that opens beyond the stop fills at its open (a gap through a stop), likewise a target.
 */
import { exchangeSecondOfDay, exchangeTimeOfDay } from '../data/exchange-time.js';
import type { TradeRules } from '../config/trade-rules.js';
import type { Bar, ExitReason } from '../types.js';
import type { CandidateRecord } from '../portfolio/candidate.js';
import { computeMove } from '../portfolio/candidate-marks.js';
import { computeAtr } from './atr.js';
import { round } from './round-figure.js';
import type { BarStep, ExitFill, ExitMoment, ExitRule, TradeSetup } from './exit-rule.js';
import { EXIT_RULES } from './exit-rules.js';

/** Why a signal was not traded, as the worker sees it (the portfolio pass has its own: portfolio-pass.ts). */
export type UntradedReason = 'last-bar' | 'after-exit-time' | 'direction';

export interface TradeSignal {
  ticker: string;
  date: string;
  /** Index of the signal bar in `bars`. */
  index: number;
  direction: 'LONG' | 'SHORT';
  seq: number;
  pattern_strength?: number | null;
}

/**
 * Every signal is simulated, also one that would enter while the ticker's previous candidate is open: which of
 * them the account holds is the portfolio pass's decision (one position per ticker at a time, there).
 * `exitRules`: barwise's own unless a test or an extension passes its own.
 */
export function simulateTrade(
  bars: readonly Bar[],
  signal: TradeSignal,
  rules: TradeRules,
  barMs: number,
  exitRules: Readonly<Record<string, ExitRule>> = EXIT_RULES,
): CandidateRecord | UntradedReason {
  const n = bars.length;
  const s = signal.index;
  // The signal is known only when its bar closes; on the day's last bar nothing is left to trade in.
  if (s >= n - 1) return 'last-bar';
  const atOpen = rules.entry === 'next-open';
  const entryBar = atOpen ? s + 1 : s;
  const entryTs = atOpen ? bars[entryBar].timestamp : bars[s].timestamp + barMs;
  if (rules.exitSecond !== null && exchangeSecondOfDay(entryTs) >= rules.exitSecond) return 'after-exit-time';

  const sign = signal.direction === 'LONG' ? 1 : -1;
  const slip = rules.slippageBps / 10_000;
  const rawEntry = atOpen ? bars[entryBar].open : bars[s].close;
  const entry = rawEntry * (1 + sign * slip);

  // Initial stop distance per share: the tighter of the fixed and ATR stops; the trailing stop starts at
  // its distance from the entry.
  let fixedDist: number | null = null;
  if (rules.stopPct !== null) fixedDist = (entry * rules.stopPct) / 100;
  if (rules.atrStop !== null) {
    const d = rules.atrStop * computeAtr(bars, s, rules.atrPeriod);
    fixedDist = fixedDist === null ? d : Math.min(fixedDist, d);
  }
  const trailDist = rules.trailPct === null ? null : entry * (rules.trailPct / 100);
  const risk = minOf(fixedDist, trailDist);

  const setup: TradeSetup = { rules, sign, entry, fixedDist };
  // Per moment, the rules that act in it, in the registry's order (most rules act in one or two).
  const byMoment: Record<ExitMoment, { rule: ExitRule; state: unknown }[]> = { open: [], within: [], close: [] };
  const learning: { rule: ExitRule; state: unknown }[] = [];
  for (const rule of Object.values(exitRules)) {
    const state = rule.init(setup);
    if (state === null) continue;
    for (const m of rule.moments) byMoment[m].push({ rule, state });
    if (rule.advance) learning.push({ rule, state });
  }
  const ask = (moment: ExitMoment, step: BarStep): ExitFill | null => {
    const asked = byMoment[moment];
    for (let i = 0; i < asked.length; i++) {
      const fill = asked[i].rule.check(asked[i].state, moment, step);
      if (fill) return fill;
    }
    return null;
  };
  let mae = 0;
  let mfe = 0;
  const see = (price: number) => {
    const move = computeMove(sign, price, entry);
    if (move < mae) mae = move;
    if (move > mfe) mfe = move;
  };

  let held = 0;
  // The bars held in full before the exit bar: the candidate's marks, the bars from `first` on. Their prices
  // are shipped once per ticker-day (simulate-day.ts), the running MAE and MFE rebuilt from them
  // (candidate-marks.ts, which sees a held bar's low and high as this walk does).
  const first = atOpen ? entryBar : s + 1;
  let marked = 0;
  let exit: { price: number; ts: number; reason: ExitReason } | null = null;
  // One step object for the whole walk: the rules read it during their call only.
  const step: BarStep = { bar: bars[0], last: false, held };
  for (let j = first; j < n && exit === null; j++) {
    const b = bars[j];
    step.bar = b;
    step.last = j === n - 1;
    step.held = held;
    const atBarOpen = ask('open', step);
    if (atBarOpen) {
      see(b.open);
      exit = { price: b.open, ts: b.timestamp, reason: atBarOpen.reason };
      break;
    }
    step.held = ++held;
    const within = ask('within', step);
    if (within) {
      for (const p of within.seen ?? [within.price]) see(p);
      exit = { price: within.price, ts: b.timestamp + barMs, reason: within.reason };
      break;
    }
    see(sign > 0 ? b.low : b.high);
    see(sign > 0 ? b.high : b.low);
    for (let i = 0; i < learning.length; i++) learning[i].rule.advance!(learning[i].state, step);
    const atClose = ask('close', step);
    if (atClose) exit = { price: b.close, ts: b.timestamp + barMs, reason: atClose.reason };
    else marked++;
  }
  // Unreachable: the loop always ends on the day's last bar at the latest.
  if (exit === null) throw new Error('trade without an exit');

  return {
    ticker: signal.ticker,
    date: signal.date,
    direction: signal.direction,
    signal_time: bars[s].time_of_day,
    signal_ts: bars[s].timestamp,
    seq: signal.seq,
    pattern_strength: signal.pattern_strength ?? null,
    entry_time: exchangeTimeOfDay(entryTs),
    entry_ts: entryTs,
    entry_price: entry,
    entry_quote: rawEntry,
    exit_time: exchangeTimeOfDay(exit.ts),
    exit_ts: exit.ts,
    exit_price: exit.price * (1 - sign * slip),
    exit_quote: exit.price,
    exit_reason: exit.reason,
    bars_held: held,
    risk,
    mae_pct: round(mae * 100) || 0,
    mfe_pct: round(mfe * 100),
    marks_from: first,
    marks_count: marked,
  };
}

function minOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
