/**
 * A candidate at its final size → the Trade the account made. Priced exactly for that share count, never
 * scaled from another size: the commission per fill is max(minimum, shares × per share), which is not linear
 * in shares. Slippage is already in the candidate's fills; its cost in dollars is shown beside commission.
 */
import type { TradeRules } from '../config/trade-rules.js';
import { round } from '../sim/round-figure.js';
import type { ExitReason, Trade } from '../types.js';
import type { Candidate } from './candidate.js';

/** Commission of one fill of `shares`. */
export function computeFillCommission(shares: number, rules: Pick<TradeRules, 'commissionPerShare' | 'commissionMin'>): number {
  return rules.commissionPerShare > 0 || rules.commissionMin > 0 ? Math.max(rules.commissionMin, shares * rules.commissionPerShare) : 0;
}

/** The exit a position had when it was closed otherwise than by its own rules (the account's ruin). */
export interface ForcedExit {
  ts: number;
  time: string;
  quote: number;
  reason: ExitReason;
  bars_held: number;
  mae_pct: number;
  mfe_pct: number;
}

/** Only the candidate's own fills: its marks are the pass's. */
export function priceTrade(c: Omit<Candidate, 'marks'>, shares: number, rules: TradeRules, forced?: ForcedExit): Trade {
  const sign = c.direction === 'LONG' ? 1 : -1;
  const exitPrice = forced ? forced.quote * (1 - (sign * rules.slippageBps) / 10_000) : c.exit_price;
  const exitQuote = forced ? forced.quote : c.exit_quote;
  const commission = 2 * computeFillCommission(shares, rules);
  const slippage = shares * (Math.abs(c.entry_price - c.entry_quote) + Math.abs(exitQuote - exitPrice));
  const pnl = sign * (exitPrice - c.entry_price) * shares - commission;
  return {
    ticker: c.ticker,
    date: c.date,
    direction: c.direction,
    signal_time: c.signal_time,
    signal_ts: c.signal_ts,
    seq: c.seq,
    entry_time: c.entry_time,
    entry_ts: c.entry_ts,
    entry_price: round(c.entry_price),
    exit_time: forced ? forced.time : c.exit_time,
    exit_ts: forced ? forced.ts : c.exit_ts,
    exit_price: round(exitPrice),
    exit_reason: forced ? forced.reason : c.exit_reason,
    bars_held: forced ? forced.bars_held : c.bars_held,
    shares,
    commission: round(commission),
    slippage: round(slippage),
    pnl: round(pnl),
    return_pct: round((pnl / (c.entry_price * shares)) * 100),
    r_multiple: c.risk !== null && c.risk > 0 ? round(pnl / (c.risk * shares)) : null,
    mae_pct: forced ? forced.mae_pct : c.mae_pct,
    mfe_pct: forced ? forced.mfe_pct : c.mfe_pct,
  };
}
