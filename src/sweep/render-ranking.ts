/**
 * The sweep's ranking as the terminal shows it: the top N combinations with enough trades, by the objective,
 * then (apart) those under --min-trades. Pure: the CLI prints it.
 */
import Table from 'cli-table3';
import { formatCombination } from './build-grid.js';
import type { CombinationResult, SweepResult } from './sweep-options.js';
import { formatCount, formatQuantity, type Quantity } from '../report/format-number.js';
import { fitTable } from '../report/fit-table.js';

const HEAD = ['rank', 'run', 'combination', 'objective', 'trades', 'win rate', 'PF', 'expectancy', 'max DD', 'Sharpe', 'status'];
const ALIGN = ['right', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'] as const;

export function renderRanking(sweep: SweepResult, top: number): string {
  const byIndex = new Map(sweep.combinations.map((c) => [c.index, c]));
  const ranked = sweep.ranking.map((i) => byIndex.get(i)!);
  const enough = ranked.filter((c) => !c.belowMinTrades);
  const few = ranked.filter((c) => c.belowMinTrades);
  const lines = [`Sweep #${sweep.sweepId} (${sweep.status}): ${sweep.combinations.length} combination(s), ranked by ${sweep.objective}`];
  if (enough.length > 0) {
    lines.push(renderTable(enough.slice(0, top), 1));
    if (enough.length > top) lines.push(`… and ${formatCount(enough.length - top)} more (--top, or --out for all)`);
  }
  if (few.length > 0) {
    lines.push(`Under --min-trades ${sweep.minTrades} (ranked apart):`, renderTable(few.slice(0, top), enough.length + 1));
    if (few.length > top) lines.push(`… and ${formatCount(few.length - top)} more`);
  }
  // A combination with failed ticker-days ranks on the days it finished: marked, and said why once.
  if (sweep.combinations.some((c) => c.result.run.status === 'partial')) {
    lines.push('partial: the combination failed on some ticker-days (its run\'s failures say why); its figures leave those days out');
  }
  return lines.join('\n');
}

function describeStatus(c: CombinationResult): string {
  const { status, counts } = c.result.run;
  return status === 'partial' ? `partial (${counts.ticker_days_failed} failed)` : status;
}

function renderTable(rows: readonly CombinationResult[], firstRank: number): string {
  const t = new Table({ head: HEAD, colAligns: [...ALIGN], style: { head: [], border: [] } });
  rows.forEach((c, k) => {
    const s = (c.result.stats ?? {}) as Record<string, unknown>;
    t.push([
      String(firstRank + k), `#${c.result.run.id}`, formatCombination(c.values), formatNumber(c.objective, 'ratio'), formatCount(c.trades),
      formatNumber(s.win_rate_pct, 'pct'), formatNumber(s.profit_factor, 'ratio'), formatNumber(s.expectancy, 'usd'),
      formatNumber(s.max_drawdown_pct, 'pct'), formatNumber(s.sharpe, 'ratio'),
      describeStatus(c),
    ]);
  });
  return fitTable(t);
}

function formatNumber(v: unknown, quantity: Quantity): string {
  return formatQuantity(typeof v === 'number' ? v : null, quantity);
}
