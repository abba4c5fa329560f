/**
 * The statistics registry's contract: every statistic it holds is computed into `stats` and shown by every
 * renderer (console table, HTML report cards and breakdowns, JSON output), and a statistic added to a copy
 * of the registry shows up in all of them with no other change.
 */
import { expect } from 'chai';
import { computeStats } from '../../../src/stats/compute-stats.js';
import { listStatistics, STATISTICS, type StatisticRegistry, type TradeStats } from '../../../src/stats/statistics.js';
import { renderStatsTable } from '../../../src/report/render-stats-table.js';
import { buildBreakdownTables, buildStatCards } from '../../../src/report/stat-cards.js';
import { formatResultJson } from '../../../src/report/format-json.js';
import { buildMonthlyGrid, buildSummaryTables } from '../../../src/report/summary-tables.js';
import { SUMMARY_ROWS } from '../../../src/stats/performance-summary.js';
import { COMPARED_FIGURES } from '../../../src/report/audit-table.js';
import { RUN_METRICS } from '../../../src/results/compare-runs.js';
import type { RunResult } from '../../../src/engine/run-result.js';
import type { Trade } from '../../../src/types.js';

const MIN = 60_000;
const DAY = 86_400_000;

function trade(ticker: string, day: number, pnl: number, ret: number, r: number | null, time: string): Trade {
  const open = day * DAY + 570 * MIN;
  return {
    ticker, date: `2025-01-0${day + 1}`, direction: 'LONG', signal_time: time, signal_ts: open, seq: 0, entry_time: '', entry_ts: open + 5 * MIN,
    entry_price: 100, exit_time: '', exit_ts: open + 65 * MIN, exit_price: 100, exit_reason: 'eod', bars_held: 12, shares: 100, commission: 0, slippage: 0,
    pnl, return_pct: ret, r_multiple: r, mae_pct: 0, mfe_pct: 0,
  };
}

const input = {
  trades: [trade('A', 0, 100, 1, 1, '09:30:00'), trade('B', 1, -50, -0.5, -0.5, '10:00:00'), trade('A', 2, 30, 0.3, 0.3, '11:00:00')],
  signals: 5,
  untraded: { 'last-bar': 2 },
  sessions: new Map([0, 1, 2].map((d) => [`2025-01-0${d + 1}`, [d * DAY + 570 * MIN, d * DAY + 960 * MIN] as const])),
  capital: 10_000,
};

/** What each renderer makes of the statistics, as one string per renderer. */
function renderAll(stats: TradeStats, registry: StatisticRegistry = STATISTICS): Record<string, string> {
  const result = { run: {}, signals: [], failures: [], trades: [], stats } as unknown as RunResult;
  return {
    table: renderStatsTable(stats, registry),
    html: JSON.stringify({
      kpis: buildStatCards(stats, registry), breakdowns: buildBreakdownTables(stats, registry), summary: buildSummaryTables(stats, registry), monthly: buildMonthlyGrid(stats),
    }),
    json: formatResultJson(result),
  };
}

/** A value no statistic of the fixture has, of the statistic's own shape. */
function distinctiveValue({ unit, column }: { unit: string; column?: string }): unknown {
  if (unit === 'reasons') return { 'zz-reason': 4242 };
  if (unit === 'breakdown') return [{ key: 'ZZ', trades: 4242, win_rate_pct: 42.42, pnl: 4242, avg_return_pct: 4.242 }];
  if (unit === 'by-side') {
    const side = Object.fromEntries(SUMMARY_ROWS.map((r) => [r.key, 4242]));
    return { all: side, long: side, short: side };
  }
  if (unit === 'periods') return [{ period: column === 'year' ? '2025' : '2025-01', pnl: 4242, return_pct: 4242 }];
  if (unit === 'duration') return { sessions: 4242, recovered: false, peak_date: null, recovery_date: null };
  if (unit === 'distribution') return { min: 4242, p10: 4242, p25: 4242, p50: 4242, p75: 4242, p90: 4242, max: 4242, mean: 4242 };
  if (unit === 'benchmark') {
    return { ticker: 'ZZ', return_pct: 4242, max_drawdown_pct: 4242, excess_return_pct: 4242, beta: 4242, correlation: 4242, sessions: 3, missing_sessions: 0, note: null };
  }
  return 4242;
}

describe('the statistics registry', () => {
  const base = computeStats(input);

  it('computes one field per statistic, in the registry order', () => {
    expect(Object.keys(base)).to.deep.equal(Object.keys(STATISTICS));
  });

  for (const stat of listStatistics()) {
    it(`shows ${stat.key} in the console table, the HTML report and the JSON output`, () => {
      const before = renderAll(base);
      const after = renderAll({ ...base, [stat.key]: distinctiveValue(stat) });
      for (const renderer of Object.keys(before)) {
        expect(after[renderer], `${renderer} ignores ${stat.key}`).to.not.equal(before[renderer]);
        expect(after[renderer], `${renderer} does not show ${stat.key}'s value`).to.match(/4,?242/);
      }
    });
  }

  it('shows a statistic added to a copy of the registry in every renderer', () => {
    const registry = {
      ...STATISTICS,
      median_bars_held: { label: 'Median bars held', unit: 'count', compute: (c) => c.trades.map((t) => t.bars_held).sort((a, b) => a - b)[1] },
      by_weekday: { label: 'By weekday', unit: 'breakdown', column: 'weekday', compute: () => [{ key: 'Wed', trades: 7, win_rate_pct: 50, pnl: 12.5, avg_return_pct: 0.25 }] },
    } satisfies StatisticRegistry;
    const stats = computeStats(input, registry);
    expect((stats as unknown as Record<string, unknown>).median_bars_held).to.equal(12);
    const out = renderAll(stats, registry);
    expect(out.table).to.match(/Median bars held\s*│ 12 /);
    expect(out.table).to.include('By weekday:').and.match(/weekday.*trades/).and.match(/Wed\s*│\s*7 │\s*50\.00% │\s*\$12\.50 │\s*0\.25% │/);
    expect(buildStatCards(stats, registry)).to.deep.include({ label: 'Median bars held', value: '12', note: '', tone: '' });
    expect(buildBreakdownTables(stats, registry).map((b) => [b.label, b.column, b.rows[0]?.key])).to.deep.include(['By weekday', 'weekday', 'Wed']);
    expect(JSON.parse(out.json).stats).to.include({ median_bars_held: 12 }).and.have.property('by_weekday');
    // Not in barwise's own registry: a copy is an extension, not a change.
    expect(renderStatsTable(computeStats(input))).to.not.include('Median bars held');
  });

  it('compares exactly its headline statistics across runs and in the audit', () => {
    const compared = listStatistics().filter((s) => s.compared).map((s) => s.key);
    expect(compared).to.include.members(['trades', 'win_rate_pct', 'sharpe']);
    expect(COMPARED_FIGURES.map(([k]) => k)).to.deep.equal(compared);
    // runs --compare: the run-level counts first, then the headline statistics, then the Performance Summary's
    // compared rows (their All column).
    const summaryRows = SUMMARY_ROWS.filter((r) => r.compared).map((r) => `summary.${r.key}`);
    expect(RUN_METRICS.map((m) => m.metric).slice(-(compared.length + summaryRows.length))).to.deep.equal([...compared, ...summaryRows]);
  });
});
