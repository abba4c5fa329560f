/**
 * TradeStats → the HTML report's Performance Summary tables (every `by-side` statistic of the registry, each
 * cell formatted as the console formats it) and the monthly-returns grid, as plain data the page only draws.
 */
import { SIDES, type BySide, type SideSummary } from '../stats/performance-summary.js';
import type { PeriodReturn } from '../stats/period-returns.js';
import { listStatistics, STATISTICS, type StatisticRegistry, type TradeStats } from '../stats/statistics.js';
import { formatSummaryCell } from './format-figures.js';

const NONE = '–';

export interface SummaryTable {
  key: string;
  label: string;
  note: string;
  /** One row per figure: its label, then the All, Long and Short cells; `tone` colours money and ratios. */
  rows: { label: string; cells: [string, string, string]; tones: [string, string, string] }[];
}

/** Years (rows) × months 1–12 (columns): return % or null where the run has no session that month. */
export interface MonthlyGrid {
  years: string[];
  cells: (number | null)[][];
  /** Each year's return %, from the yearly returns. */
  year_pct: (number | null)[];
}

export function buildSummaryTables(s: TradeStats, registry: StatisticRegistry = STATISTICS): SummaryTable[] {
  const values = s as unknown as Record<string, unknown>;
  return listStatistics(registry).filter((stat) => stat.unit === 'by-side' && values[stat.key]).map((stat) => {
    const v = values[stat.key] as BySide<SideSummary>;
    return {
      key: stat.key, label: stat.label, note: stat.note ?? '',
      rows: (stat.rows ?? []).map((row) => ({
        label: row.label,
        cells: SIDES.map((side) => formatSummaryCell(row, v[side][row.key], NONE)) as [string, string, string],
        tones: SIDES.map((side) => (row.unit === 'usd' ? toneOf(v[side][row.key]) : '')) as [string, string, string],
      })),
    };
  });
}

export function buildMonthlyGrid(s: Pick<TradeStats, 'monthly_returns' | 'yearly_returns'>): MonthlyGrid {
  const months: readonly PeriodReturn[] = s.monthly_returns ?? [];
  const years = [...new Set(months.map((m) => m.period.slice(0, 4)))].sort();
  const cells = years.map(() => new Array<number | null>(12).fill(null));
  for (const m of months) cells[years.indexOf(m.period.slice(0, 4))][Number(m.period.slice(5, 7)) - 1] = m.return_pct;
  const byYear = new Map((s.yearly_returns ?? []).map((y) => [y.period, y.return_pct]));
  return { years, cells, year_pct: years.map((y) => byYear.get(y) ?? null) };
}

function toneOf(v: number | null): string {
  return v === null ? '' : v > 0 ? 'up' : v < 0 ? 'down' : '';
}
