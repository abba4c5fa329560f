/**
 * RunResult → the data the HTML report draws: every series computed here, in plain TypeScript that tests
 * can check, so the page's own script only renders.
 */
import type { RunResult } from '../engine/run-result.js';
import { buildEquityCurve } from '../stats/equity-curve.js';
import { computeDrawdownSeries } from '../stats/max-drawdown.js';
import { STATISTICS, type StatisticRegistry, type TradeStats } from '../stats/statistics.js';
import { buildBenchmarkEquity } from '../stats/benchmark.js';
import { alignBenchmark } from './align-benchmark.js';
import { buildBreakdownTables, buildStatCards, type BreakdownTable, type StatCard } from './stat-cards.js';
import { buildMonthlyGrid, buildSummaryTables, type MonthlyGrid, type SummaryTable } from './summary-tables.js';
import { exchangeDate, exchangeTimeOfDay } from '../data/exchange-time.js';
import type { Trade } from '../types.js';
import { formatSizeRule } from '../portfolio/size-rule.js';

export interface ReportData {
  title: string;
  subtitle: string;
  rules: string;
  stats: TradeStats;
  /** The headline cards and breakdown tables, one for every statistic of the registry. */
  kpis: StatCard[];
  breakdowns: BreakdownTable[];
  /** The All / Long / Short tables (the registry's `by-side` statistics). */
  summary: SummaryTable[];
  /** Monthly returns as a years × months grid, with each year's return. */
  monthly: MonthlyGrid;
  /**
   * Equity after each exit; the first point is the capital. Labels: `YYYY-MM-DD HH:MM` of each exit.
   * `benchmark`: the benchmark's buy and hold scaled to the capital, at the same points (align-benchmark.ts);
   * null without one.
   */
  equity: { labels: string[]; equity: number[]; drawdown_pct: number[]; benchmark: number[] | null; benchmark_ticker: string | null };
  /** Return % histogram: bin i covers [edges[i], edges[i+1]). */
  returns: { edges: number[]; counts: number[] };
  /** MAE and MFE % histograms, bins as `returns`. */
  excursions: { mae: { edges: number[]; counts: number[] }; mfe: { edges: number[]; counts: number[] } };
  /** Signals (traded or not) and trades per half hour of the signal, New York time. */
  by_time: { labels: string[]; signals: number[]; wins: number[]; losses: number[] };
  trades: Trade[];
}

/** `registry`: the statistics `result.stats` holds (barwise's unless an extension computed its own). */
export function buildReportData(result: RunResult, registry: StatisticRegistry = STATISTICS): ReportData {
  const { run } = result;
  const trades = result.trades ?? [];
  const stats = result.stats!;
  // Marked to market in time when the run has it (the portfolio pass), else the equity at each exit.
  const curve = result.equity ?? buildEquityCurve(trades, stats.capital);
  const equity = curve.map((p) => p.equity);
  // Drawn only when the store had the ticker: a line flat at the capital would read as a benchmark that did nothing.
  const benchmarkLine = result.benchmark && stats.benchmark?.return_pct != null ? buildBenchmarkEquity(result.benchmark, stats.capital) : null;
  const labels = curve.map((p, i) => (i === 0 ? 'start' : `${exchangeDate(p.ts)} ${exchangeTimeOfDay(p.ts).slice(0, 5)}`));
  return {
    title: `${run.scanner.name}: ${stats.trades} trades`,
    subtitle: `${run.from} to ${run.to} · ${run.tickers.length} ticker(s) · ${run.session} session · ${run.signals_mode === 'all' ? 'every signal' : 'first signal'} per ticker-day · run #${run.id}`,
    rules: describeRules(run.trade),
    stats,
    kpis: buildStatCards(stats, registry),
    breakdowns: buildBreakdownTables(stats, registry),
    summary: buildSummaryTables(stats, registry),
    monthly: buildMonthlyGrid(stats),
    equity: {
      labels, equity, drawdown_pct: computeDrawdownSeries(equity).map((d) => Math.round(d * 1e4) / 1e4 || 0),
      benchmark: benchmarkLine ? alignBenchmark(curve, benchmarkLine, stats.capital) : null,
      benchmark_ticker: benchmarkLine ? result.benchmark!.ticker : null,
    },
    returns: buildHistogram(trades.map((t) => t.return_pct)),
    excursions: { mae: buildHistogram(trades.map((t) => t.mae_pct)), mfe: buildHistogram(trades.map((t) => t.mfe_pct)) },
    by_time: buildTimeBuckets(result.signals.map((s) => s.signal_time), trades),
    trades,
  };
}

function describeRules(r: RunResult['run']['trade']): string {
  if (!r) return '';
  const parts = [`entry ${r.entry}`, `default ${r.direction}`];
  if (r.stopPct !== null) parts.push(`stop ${r.stopPct}%`);
  if (r.atrStop !== null) parts.push(`stop ${r.atrStop}×ATR(${r.atrPeriod})`);
  if (r.targetPct !== null) parts.push(`target ${r.targetPct}%`);
  if (r.trailPct !== null) parts.push(`trail ${r.trailPct}%`);
  if (r.maxBars !== null) parts.push(`max ${r.maxBars} bars`);
  if (r.exitTime !== null) parts.push(`exit ${r.exitTime}`);
  parts.push('end of day');
  parts.push(`size ${formatSizeRule(r.size)}`, `capital $${r.capital}`, `exposure ≤ ${r.maxExposure}×`);
  if (r.maxPositions !== null) parts.push(`≤ ${r.maxPositions} positions`);
  if (r.slippageBps) parts.push(`slippage ${r.slippageBps} bps`);
  if (r.commissionPerShare || r.commissionMin) parts.push(`commission $${r.commissionPerShare}/share, min $${r.commissionMin}`);
  parts.push(r.benchmark ? `benchmark ${r.benchmark}` : 'no benchmark');
  return parts.join(' · ');
}

/** About √n bins (5 to 30) of a round width, with 0 on a bin edge so wins and losses never share a bin. */
export function buildHistogram(values: readonly number[]): { edges: number[]; counts: number[] } {
  if (values.length === 0) return { edges: [], counts: [] };
  const min = Math.min(...values);
  const max = Math.max(...values);
  const bins = Math.min(30, Math.max(5, Math.ceil(Math.sqrt(values.length))));
  const width = niceWidth((max - min) / bins || 0.1);
  const start = Math.floor(min / width) * width;
  const n = Math.max(1, Math.floor((max - start) / width) + 1);
  const edges = Array.from({ length: n + 1 }, (_, i) => Math.round((start + i * width) * 1e6) / 1e6);
  const counts = new Array<number>(n).fill(0);
  for (const v of values) counts[Math.min(n - 1, Math.floor((v - start) / width + 1e-9))]++;
  return { edges, counts };
}

function niceWidth(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

function buildTimeBuckets(signalTimes: readonly string[], trades: readonly Trade[]) {
  const key = (time: string) => `${time.slice(0, 2)}:${Number(time.slice(3, 5)) < 30 ? '00' : '30'}`;
  const all = [...new Set([...signalTimes.map(key), ...trades.map((t) => key(t.signal_time))])].sort();
  const index = new Map(all.map((k, i) => [k, i]));
  const signals = new Array<number>(all.length).fill(0);
  const wins = new Array<number>(all.length).fill(0);
  const losses = new Array<number>(all.length).fill(0);
  for (const s of signalTimes) signals[index.get(key(s))!]++;
  for (const t of trades) {
    if (t.pnl > 0) wins[index.get(key(t.signal_time))!]++;
    else if (t.pnl < 0) losses[index.get(key(t.signal_time))!]++;
  }
  return { labels: all, signals, wins, losses };
}
