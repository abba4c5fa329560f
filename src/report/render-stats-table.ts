/**
 * TradeStats → the console's statistics table (plain text, for a terminal or a log). The rows below lay out
 * related figures together ("Win rate: 40.00% (2 won, 3 lost)"); every other statistic of the registry gets
 * a row of its own, and every breakdown, Performance Summary (All / Long / Short) and period-returns statistic a
 * table, so a statistic added to the registry is always shown. At most 100 columns wide for the figures above.
 */
import Table from 'cli-table3';
import { listStatistics, STATISTICS, type StatisticRegistry, type StatKey, type TradeStats } from '../stats/statistics.js';
import type { BreakdownRow } from '../stats/breakdown.js';
import { SIDES, type BySide, type SideSummary } from '../stats/performance-summary.js';
import type { PeriodReturn } from '../stats/period-returns.js';
import {
  formatBenchmark, formatDistribution, formatNum as num, formatPct as pct, formatReasons, formatStatistic, formatSummaryCell, formatUsd as usd,
} from './format-figures.js';

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
  { label: 'CAGR', shows: ['cagr_pct'],
    text: (s) => (s.cagr_pct === null ? `- (not shown under 252 sessions; the run has ${s.trading_days})` : `${pct(s.cagr_pct)} a year (years = sessions / 252)`) },
  { label: 'MAE, % of entry', shows: ['mae_distribution'], text: (s) => (s.mae_distribution ? formatDistribution(s.mae_distribution) : '-') },
  { label: 'MFE, % of entry', shows: ['mfe_distribution'], text: (s) => (s.mfe_distribution ? formatDistribution(s.mfe_distribution) : '-') },
  { label: 'Benchmark', shows: ['benchmark'], text: (s) => (s.benchmark ? formatBenchmark(s.benchmark) : 'none') },
  { label: 'Beta / correlation', shows: ['benchmark'],
    text: (s) => (s.benchmark?.return_pct == null ? '-' : `${num(s.benchmark.beta)} / ${num(s.benchmark.correlation)} (daily returns against the benchmark)`) },
];

/** Statistics shown as tables of their own under the figures, not as a row. */
const TABLE_UNITS = new Set(['breakdown', 'by-side', 'periods']);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `registry`: the statistics `s` holds (barwise's unless an extension computed its own). */
export function renderStatsTable(s: TradeStats, registry: StatisticRegistry = STATISTICS): string {
  const values = s as unknown as Record<string, unknown>;
  const laidOut = new Set<string>(STATS_TABLE_ROWS.flatMap((r) => r.shows));
  const t = new Table(COMPACT);
  for (const row of STATS_TABLE_ROWS) t.push({ [row.label]: row.text(s) });
  const stats = listStatistics(registry);
  for (const stat of stats) {
    if (!TABLE_UNITS.has(stat.unit) && !laidOut.has(stat.key)) t.push({ [stat.label]: formatStatistic(stat, values[stat.key]) });
  }
  const lines = [t.toString()];
  const benchmarkNote = s.benchmark?.return_pct != null ? s.benchmark.note : null;
  if (benchmarkNote) lines.push(`Note: ${benchmarkNote}`);
  for (const stat of stats) {
    const v = values[stat.key];
    if (stat.unit === 'by-side' && v) lines.push(`${stat.label}:`, renderBySide(v as BySide<SideSummary>, stat.rows ?? []));
    if (stat.unit === 'periods' && Array.isArray(v) && v.length > 0) lines.push(`${stat.label}:`, renderPeriods(v as PeriodReturn[]));
  }
  for (const stat of stats) {
    const rows = stat.unit === 'breakdown' ? (values[stat.key] as BreakdownRow[] | undefined) ?? [] : [];
    if (rows.length === 0) continue;
    const h = new Table({ ...COMPACT, head: [stat.column ?? 'key', 'trades', 'win rate', 'P&L', 'avg return'], colAligns: ['left', 'right', 'right', 'right', 'right'] });
    for (const r of rows) h.push([stat.formatKey ? stat.formatKey(r.key) : r.key, r.trades, pct(r.win_rate_pct), usd(r.pnl), pct(r.avg_return_pct)]);
    lines.push(`${stat.label}${stat.note ? ` (${stat.note})` : ''}:`, h.toString());
  }
  return lines.join('\n');
}

/** The Performance Summary: one row per figure, All / Long / Short columns. */
function renderBySide(v: BySide<SideSummary>, rows: NonNullable<StatisticRegistry[string]['rows']>): string {
  const t = new Table({ ...COMPACT, head: ['', 'All', 'Long', 'Short'], colAligns: ['left', 'right', 'right', 'right'] });
  for (const row of rows) t.push([row.label, ...SIDES.map((side) => formatSummaryCell(row, v[side][row.key]))]);
  return t.toString();
}

/**
 * Monthly returns as a year × month grid of % (one decimal, no sign: 96 columns at most); other periods (years)
 * as one line.
 */
function renderPeriods(periods: readonly PeriodReturn[]): string {
  const cell = (p: PeriodReturn | undefined) => (p === undefined ? '' : p.return_pct === null ? '-' : p.return_pct.toFixed(1)).padStart(7);
  if (periods[0].period.length !== 7) return periods.map((p) => `${p.period} ${pct(p.return_pct)}`).join(', ');
  const byYear = new Map<string, Map<string, PeriodReturn>>();
  for (const p of periods) {
    const year = p.period.slice(0, 4);
    if (!byYear.has(year)) byYear.set(year, new Map());
    byYear.get(year)!.set(p.period.slice(5, 7), p);
  }
  const lines = [`${'%'.padEnd(4)}${MONTHS.map((m) => m.padStart(7)).join('')}`];
  for (const [year, months] of byYear) {
    lines.push(`${year}${MONTHS.map((_, i) => cell(months.get(String(i + 1).padStart(2, '0')))).join('')}`);
  }
  return lines.join('\n');
}
