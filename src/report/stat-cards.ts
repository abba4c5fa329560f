/**
 * TradeStats → the HTML report's headline cards and breakdown tables, as plain data the page only draws.
 * The cards below lay out related figures together; every other statistic of the registry gets a card of
 * its own and every breakdown a table (Performance Summaries and period returns have their own sections:
 * summary-tables.ts), so a statistic added to the registry always shows in the report.
 */
import type { BreakdownRow } from '../stats/breakdown.js';
import type { Distribution } from '../stats/excursions.js';
import { listStatistics, STATISTICS, type StatisticRegistry, type StatKey, type TradeStats } from '../stats/statistics.js';
import { formatNum, formatPct, formatReasons, formatStatistic, formatUsd } from './format-figures.js';

/** The page writes an en dash for a figure without a value. */
const NONE = '–';
const num = (v: number | null) => formatNum(v, NONE);
const pct = (v: number | null) => formatPct(v, NONE);
const usd = (v: number | null) => formatUsd(v, NONE);

/** `tone`: colours the value, 'up' (green) or 'down' (red). */
export interface StatCard {
  label: string;
  value: string;
  note: string;
  tone: '' | 'up' | 'down';
}

export interface BreakdownTable {
  key: string;
  label: string;
  note: string;
  column: string;
  rows: BreakdownRow[];
}

interface CardLayout {
  shows: readonly StatKey[];
  card(s: TradeStats): StatCard;
}

const tone = (v: number | null): StatCard['tone'] => (v === null ? '' : v > 0 ? 'up' : v < 0 ? 'down' : '');

export const STAT_CARDS: readonly CardLayout[] = [
  { shows: ['total_return_pct', 'total_pnl'], card: (s) => ({ label: 'Total return', value: pct(s.total_return_pct), note: usd(s.total_pnl), tone: tone(s.total_pnl) }) },
  { shows: ['trades', 'signals', 'untraded'], card: (s) => {
    const untraded = formatReasons(s.untraded);
    return { label: 'Trades', value: String(s.trades), note: `of ${s.signals} signals${untraded ? ` (not traded: ${untraded})` : ''}`, tone: '' };
  } },
  { shows: ['win_rate_pct', 'wins', 'losses'], card: (s) => ({ label: 'Win rate', value: pct(s.win_rate_pct), note: `${s.wins} won · ${s.losses} lost`, tone: '' }) },
  { shows: ['profit_factor'], card: (s) => ({
    label: 'Profit factor', value: num(s.profit_factor), note: 'gross win / gross loss', tone: s.profit_factor === null ? '' : tone(s.profit_factor - 1),
  }) },
  { shows: ['expectancy', 'expectancy_r', 'avg_return_pct'], card: (s) => ({
    label: 'Expectancy', value: usd(s.expectancy), note: `${s.expectancy_r === null ? '' : `${num(s.expectancy_r)} R, `}${pct(s.avg_return_pct)} per trade`,
    tone: tone(s.expectancy),
  }) },
  { shows: ['avg_win', 'avg_loss', 'avg_win_pct', 'avg_loss_pct'], card: (s) => ({
    label: 'Avg win / loss', value: usd(s.avg_win), note: `${usd(s.avg_loss)} · ${pct(s.avg_win_pct)} / ${pct(s.avg_loss_pct)}`, tone: '',
  }) },
  { shows: ['max_drawdown_pct', 'max_drawdown_usd'], card: (s) => ({
    label: 'Max drawdown', value: s.max_drawdown_pct > 0 ? `-${pct(s.max_drawdown_pct)}` : pct(0), note: usd(-s.max_drawdown_usd),
    tone: s.max_drawdown_pct > 0 ? 'down' : '',
  }) },
  { shows: ['sharpe', 'trading_days'], card: (s) => ({ label: 'Sharpe', value: num(s.sharpe), note: `daily, annualised, ${s.trading_days} day(s)`, tone: tone(s.sharpe) }) },
  { shows: ['sortino'], card: (s) => ({ label: 'Sortino', value: num(s.sortino), note: 'daily, annualised', tone: tone(s.sortino) }) },
  { shows: ['exposure_pct'], card: (s) => ({ label: 'Exposure', value: pct(s.exposure_pct), note: 'time in the market', tone: '' }) },
  { shows: ['longest_losing_streak'], card: (s) => ({ label: 'Losing streak', value: String(s.longest_losing_streak), note: 'longest, trades', tone: '' }) },
  { shows: ['cagr_pct'], card: (s) => ({
    label: 'CAGR', value: pct(s.cagr_pct), note: s.cagr_pct === null ? 'not shown under 252 sessions' : 'sessions / 252 a year', tone: tone(s.cagr_pct),
  }) },
  { shows: ['longest_drawdown'], card: (s) => ({
    label: 'Time to recover', value: String(s.longest_drawdown.sessions),
    note: `sessions, longest drawdown${s.longest_drawdown.sessions === 0 ? '' : s.longest_drawdown.recovered ? `, recovered ${s.longest_drawdown.recovery_date}` : ', not recovered'}`,
    tone: s.longest_drawdown.recovered ? '' : 'down',
  }) },
  { shows: ['benchmark'], card: (s) => {
    const b = s.benchmark;
    if (!b) return { label: 'Benchmark', value: NONE, note: 'none asked', tone: '' };
    if (b.return_pct === null) return { label: `Benchmark ${b.ticker}`, value: NONE, note: b.note ?? '', tone: '' };
    return { label: `Benchmark ${b.ticker}`, value: pct(b.return_pct), note: `buy and hold, max drawdown ${pct(b.max_drawdown_pct)}`, tone: tone(b.return_pct) };
  } },
  { shows: ['benchmark'], card: (s) => {
    const b = s.benchmark;
    return { label: 'Excess return', value: pct(b?.excess_return_pct ?? null),
      note: b?.return_pct == null ? 'against the benchmark' : `beta ${num(b.beta)} · correlation ${num(b.correlation)}`, tone: tone(b?.excess_return_pct ?? null) };
  } },
  { shows: ['mae_distribution'], card: (s) => distributionCard('MAE', s.mae_distribution) },
  { shows: ['mfe_distribution'], card: (s) => distributionCard('MFE', s.mfe_distribution) },
];

/** Units with a section of their own in the report, not a card. */
const SECTION_UNITS = new Set(['breakdown', 'by-side', 'periods']);

function distributionCard(label: string, d: Distribution | null): StatCard {
  return { label: `${label} median`, value: d ? `${num(d.p50)}%` : NONE, note: d ? `p10 ${num(d.p10)} · p90 ${num(d.p90)} % of entry` : 'per trade', tone: '' };
}

/** `registry`: the statistics `s` holds (barwise's unless an extension computed its own). */
export function buildStatCards(s: TradeStats, registry: StatisticRegistry = STATISTICS): StatCard[] {
  const values = s as unknown as Record<string, unknown>;
  const laidOut = new Set<string>(STAT_CARDS.flatMap((c) => c.shows));
  const cards = STAT_CARDS.map((c) => c.card(s));
  for (const stat of listStatistics(registry)) {
    if (SECTION_UNITS.has(stat.unit) || laidOut.has(stat.key)) continue;
    const v = values[stat.key];
    cards.push({ label: stat.label, value: formatStatistic(stat, v, NONE), note: stat.note ?? '', tone: '' });
  }
  return cards;
}

export function buildBreakdownTables(s: TradeStats, registry: StatisticRegistry = STATISTICS): BreakdownTable[] {
  const values = s as unknown as Record<string, unknown>;
  return listStatistics(registry).filter((stat) => stat.unit === 'breakdown').map((stat) => ({
    key: stat.key,
    label: stat.label,
    note: stat.note ?? '',
    column: stat.column ?? 'key',
    rows: ((values[stat.key] as BreakdownRow[] | undefined) ?? []).map((r) => (stat.formatKey ? { ...r, key: stat.formatKey(r.key) } : r)),
  }));
}
