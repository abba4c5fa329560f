/**
 * How figures read in every renderer, through the one number formatter (format-number.ts): two decimals, a %
 * sign, dollars and counts with thousands separators, and `none` (a dash by default) for a figure that has no
 * value (a win rate without trades).
 */
import { formatCount, formatQuantity, type Quantity } from './format-number.js';
import type { BenchmarkStats } from '../stats/benchmark.js';
import type { DrawdownDuration } from '../stats/drawdown-duration.js';
import type { Distribution } from '../stats/excursions.js';
import type { BySide, SideSummary, SummaryRow } from '../stats/performance-summary.js';
import type { PeriodReturn } from '../stats/period-returns.js';
import type { Statistic } from '../stats/statistics.js';

/** Decimals → the quantity that has them: 2 a ratio, 1 bars, 0 a count. */
const BY_DIGITS: Record<number, Quantity> = { 0: 'count', 1: 'bars', 2: 'ratio' };

export function formatNum(v: number | null | undefined, none = '-', digits = 2): string {
  return formatQuantity(v, BY_DIGITS[digits] ?? 'ratio', { none });
}

export function formatPct(v: number | null | undefined, none = '-'): string {
  return formatQuantity(v, 'pct', { none });
}

export function formatUsd(v: number | null | undefined, none = '-'): string {
  return formatQuantity(v, 'usd', { none });
}

/** `2 last-bar, 1 buying_power`: counts by reason, as the registry's `reasons` unit holds them. */
export function formatReasons(v: Readonly<Record<string, number>>): string {
  return Object.entries(v).map(([k, n]) => `${n} ${k}`).join(', ');
}

/** A statistic's value by its unit alone, for statistics no renderer lays out by hand. */
export function formatStatistic(s: Pick<Statistic, 'unit'>, v: unknown, none = '-'): string {
  if (v === null || v === undefined) return none;
  switch (s.unit) {
    case 'usd': return formatUsd(v as number, none);
    case 'pct': return formatPct(v as number, none);
    case 'ratio': return formatNum(v as number, none);
    case 'r': return `${formatNum(v as number, none)} R`;
    case 'reasons': return formatReasons(v as Record<string, number>) || 'none';
    case 'count': return formatCount(v as number, none);
    case 'breakdown': return `${(v as unknown[]).length} row(s)`;
    case 'by-side': {
      const { all } = v as BySide<SideSummary>;
      return `net ${formatUsd(all.net_profit, none)} over ${all.trades} trade(s)`;
    }
    case 'periods': return (v as PeriodReturn[]).map((p) => `${p.period} ${formatPct(p.return_pct, none)}`).join(', ') || 'none';
    case 'duration': return formatDuration(v as DrawdownDuration);
    case 'distribution': return formatDistribution(v as Distribution);
    case 'benchmark': return formatBenchmark(v as BenchmarkStats, none);
    case 'text': return String(v);
  }
}

/** A Performance Summary cell: `bars` read with one decimal, the rest by their unit. */
export function formatSummaryCell(row: Pick<SummaryRow, 'unit'>, v: number | null, none = '-'): string {
  if (row.unit === 'bars') return formatNum(v, none, 1);
  if (row.unit === 'count') return formatCount(v, none);
  return formatStatistic({ unit: row.unit }, v, none);
}

export function formatDuration(d: DrawdownDuration): string {
  if (d.sessions === 0) return 'never under water at a session close';
  return `${d.sessions} session(s) under water from ${d.peak_date ?? 'the start'}, ${d.recovered ? `recovered ${d.recovery_date}` : 'not recovered'}`;
}

export function formatDistribution(d: Distribution): string {
  const n = (x: number) => formatNum(x);
  return `median ${n(d.p50)} (p25 ${n(d.p25)}, p75 ${n(d.p75)}; p10 ${n(d.p10)}, p90 ${n(d.p90)}; ${n(d.min)} to ${n(d.max)})`;
}

/** The benchmark's return and drawdown, and the strategy's excess over it; or the note saying why there are none. */
export function formatBenchmark(b: BenchmarkStats, none = '-'): string {
  if (b.return_pct === null) return b.note ?? none;
  return `${b.ticker} ${formatPct(b.return_pct, none)}, max drawdown ${formatPct(b.max_drawdown_pct, none)}, excess ${formatPct(b.excess_return_pct, none)}`;
}
