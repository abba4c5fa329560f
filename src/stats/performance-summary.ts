/**
 * The Performance Summary in the TradingView shape: the same trade figures over all trades, the LONG trades
 * and the SHORT trades (`all`, `long`, `short` columns). Each figure comes from its own file in this folder;
 * `SUMMARY_ROWS` says in which order and how every renderer lays the rows out.
 */
import type { Trade } from '../types.js';
import { computeAverageWinLoss, mean } from './average-win-loss.js';
import { computeAverageBarsHeld } from './bars-held.js';
import { computeCommissionPaid } from './commission-paid.js';
import { computeGrossProfitLoss } from './gross-profit-loss.js';
import { computeLargestWinLoss } from './largest-win-loss.js';
import { computeProfitFactor } from './profit-factor.js';
import { computeWinLossRatio } from './win-loss-ratio.js';
import { computeWinRate } from './win-rate.js';

export interface SideSummary {
  net_profit: number;
  gross_profit: number;
  gross_loss: number;
  commission: number;
  trades: number;
  win_rate_pct: number | null;
  profit_factor: number | null;
  avg_trade: number | null;
  avg_win: number | null;
  avg_loss: number | null;
  win_loss_ratio: number | null;
  largest_win: number | null;
  largest_loss: number | null;
  avg_bars: number | null;
  avg_bars_win: number | null;
  avg_bars_loss: number | null;
}

/** The three columns. */
export interface BySide<V> {
  all: V;
  long: V;
  short: V;
}

export const SIDES = ['all', 'long', 'short'] as const;

/** A row of the summary: the field, how it reads, and whether `runs --compare` sets its All column side by side. */
export interface SummaryRow {
  key: keyof SideSummary;
  label: string;
  unit: 'usd' | 'pct' | 'ratio' | 'count' | 'bars';
  compared?: true;
}

export const SUMMARY_ROWS: readonly SummaryRow[] = [
  { key: 'net_profit', label: 'Net profit', unit: 'usd', compared: true },
  { key: 'gross_profit', label: 'Gross profit', unit: 'usd', compared: true },
  { key: 'gross_loss', label: 'Gross loss', unit: 'usd', compared: true },
  { key: 'commission', label: 'Commission paid', unit: 'usd', compared: true },
  { key: 'trades', label: 'Trades', unit: 'count' },
  { key: 'win_rate_pct', label: 'Win rate', unit: 'pct' },
  { key: 'profit_factor', label: 'Profit factor', unit: 'ratio' },
  { key: 'avg_trade', label: 'Average trade', unit: 'usd', compared: true },
  { key: 'avg_win', label: 'Average win', unit: 'usd' },
  { key: 'avg_loss', label: 'Average loss', unit: 'usd' },
  { key: 'win_loss_ratio', label: 'Ratio avg win / avg loss', unit: 'ratio', compared: true },
  { key: 'largest_win', label: 'Largest win', unit: 'usd', compared: true },
  { key: 'largest_loss', label: 'Largest loss', unit: 'usd', compared: true },
  { key: 'avg_bars', label: 'Average bars held', unit: 'bars', compared: true },
  { key: 'avg_bars_win', label: 'Average bars, wins', unit: 'bars' },
  { key: 'avg_bars_loss', label: 'Average bars, losses', unit: 'bars' },
];

type SummaryTrade = Pick<Trade, 'direction' | 'pnl' | 'return_pct' | 'commission' | 'bars_held'>;

export function computePerformanceSummary(trades: readonly SummaryTrade[]): BySide<SideSummary> {
  return {
    all: summarise(trades),
    long: summarise(trades.filter((t) => t.direction === 'LONG')),
    short: summarise(trades.filter((t) => t.direction === 'SHORT')),
  };
}

function summarise(trades: readonly SummaryTrade[]): SideSummary {
  const { gross_profit, gross_loss } = computeGrossProfitLoss(trades);
  const wl = computeAverageWinLoss(trades);
  const bars = computeAverageBarsHeld(trades);
  return {
    net_profit: gross_profit + gross_loss,
    gross_profit,
    gross_loss,
    commission: computeCommissionPaid(trades),
    trades: trades.length,
    win_rate_pct: computeWinRate(trades),
    profit_factor: computeProfitFactor(trades),
    avg_trade: mean(trades.map((t) => t.pnl)),
    avg_win: wl.avg_win,
    avg_loss: wl.avg_loss,
    win_loss_ratio: computeWinLossRatio(wl.avg_win, wl.avg_loss),
    ...computeLargestWinLoss(trades),
    avg_bars: bars.all,
    avg_bars_win: bars.wins,
    avg_bars_loss: bars.losses,
  };
}
