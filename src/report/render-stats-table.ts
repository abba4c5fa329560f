/**
 * TradeStats → the console's statistics table (plain text, for a terminal or a log). The rows below lay out
 * related figures together ("Win rate: 40.00% (2 won, 3 lost)"); every other statistic of the registry gets
 * a row of its own, and every breakdown a table, so a statistic added to the registry is always shown.
 */
import Table from 'cli-table3';
import { listStatistics, STATISTICS, type StatisticRegistry, type StatKey, type TradeStats } from '../stats/statistics.js';
import type { BreakdownRow } from '../stats/breakdown.js';
import { formatNum as num, formatPct as pct, formatReasons, formatStatistic, formatUsd as usd } from './format-figures.js';

/** No rule between rows: the tables stay short enough to read at a glance. */
const COMPACT = { chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' }, style: { head: [], border: [] } };

/** A row of the table: its label, the statistics it shows, and how. */
export interface StatsRow {
  label: string;
  shows: readonly StatKey[];
  text(s: TradeStats): string;
}

export const STATS_TABLE_ROWS: readonly StatsRow[] = [
  { label: 'Trades', shows: ['trades', 'signals', 'untraded'], text: (s) => {
    const untraded = formatReasons(s.untraded);
    return `${s.trades} of ${s.signals} signal(s)${untraded ? ` (not traded: ${untraded})` : ''}`;
  } },
  { label: 'Win rate', shows: ['win_rate_pct', 'wins', 'losses'],
    text: (s) => (s.win_rate_pct === null ? '-' : `${pct(s.win_rate_pct)} (${s.wins} won, ${s.losses} lost)`) },
  { label: 'Average win / loss', shows: ['avg_win', 'avg_win_pct', 'avg_loss', 'avg_loss_pct'],
    text: (s) => `${usd(s.avg_win)} (${pct(s.avg_win_pct)}) / ${usd(s.avg_loss)} (${pct(s.avg_loss_pct)})` },
  { label: 'Profit factor', shows: ['profit_factor'], text: (s) => num(s.profit_factor) },
  { label: 'Expectancy', shows: ['expectancy', 'expectancy_r'],
    text: (s) => `${usd(s.expectancy)} per trade${s.expectancy_r === null ? '' : `, ${num(s.expectancy_r)} R`}` },
  { label: 'Average return', shows: ['avg_return_pct'], text: (s) => `${pct(s.avg_return_pct)} per trade` },
  { label: 'Total return', shows: ['total_pnl', 'total_return_pct', 'capital'],
    text: (s) => `${usd(s.total_pnl)} (${pct(s.total_return_pct)} of ${usd(s.capital)})` },
  { label: 'Costs', shows: ['gross_pnl', 'total_commission', 'total_slippage'],
    text: (s) => `${usd(s.gross_pnl)} gross − ${usd(s.total_commission)} commission − ${usd(s.total_slippage)} slippage = ${usd(s.total_pnl)} net` },
  { label: 'Max drawdown', shows: ['max_drawdown_pct', 'max_drawdown_usd'], text: (s) => `${pct(s.max_drawdown_pct)} (${usd(s.max_drawdown_usd)})` },
  { label: 'Sharpe / Sortino', shows: ['sharpe', 'sortino', 'trading_days'],
    text: (s) => `${num(s.sharpe)} / ${num(s.sortino)} (daily returns, ${s.trading_days} day(s), annualised)` },
  { label: 'Exposure', shows: ['exposure_pct'], text: (s) => pct(s.exposure_pct) },
  { label: 'Longest losing streak', shows: ['longest_losing_streak'], text: (s) => `${s.longest_losing_streak} trade(s)` },
];

/** `registry`: the statistics `s` holds (barwise's unless an extension computed its own). */
export function renderStatsTable(s: TradeStats, registry: StatisticRegistry = STATISTICS): string {
  const values = s as unknown as Record<string, unknown>;
  const laidOut = new Set<string>(STATS_TABLE_ROWS.flatMap((r) => r.shows));
  const t = new Table(COMPACT);
  for (const row of STATS_TABLE_ROWS) t.push({ [row.label]: row.text(s) });
  const stats = listStatistics(registry);
  for (const stat of stats) {
    if (stat.unit !== 'breakdown' && !laidOut.has(stat.key)) t.push({ [stat.label]: formatStatistic(stat, values[stat.key]) });
  }
  const lines = [t.toString()];
  for (const stat of stats) {
    const rows = stat.unit === 'breakdown' ? (values[stat.key] as BreakdownRow[] | undefined) ?? [] : [];
    if (rows.length === 0) continue;
    const h = new Table({ ...COMPACT, head: [stat.column ?? 'key', 'trades', 'win rate', 'P&L', 'avg return'], colAligns: ['left', 'right', 'right', 'right', 'right'] });
    for (const r of rows) h.push([stat.formatKey ? stat.formatKey(r.key) : r.key, r.trades, pct(r.win_rate_pct), usd(r.pnl), pct(r.avg_return_pct)]);
    lines.push(`${stat.label}${stat.note ? ` (${stat.note})` : ''}:`, h.toString());
  }
  return lines.join('\n');
}
