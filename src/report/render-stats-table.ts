/**
 * TradeStats → the console's statistics table (plain text, for a terminal or a log).
 */
import Table from 'cli-table3';
import type { TradeStats } from '../stats/compute-stats.js';

/** No rule between rows: the tables stay short enough to read at a glance. */
const COMPACT = { chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' }, style: { head: [], border: [] } };

export function renderStatsTable(s: TradeStats): string {
  const t = new Table(COMPACT);
  const untraded = Object.entries(s.untraded).map(([k, v]) => `${v} ${k}`).join(', ');
  t.push(
    { Trades: `${s.trades} of ${s.signals} signal(s)${untraded ? ` (not traded: ${untraded})` : ''}` },
    { 'Win rate': s.win_rate_pct === null ? '-' : `${pct(s.win_rate_pct)} (${s.wins} won, ${s.losses} lost)` },
    { 'Average win / loss': `${usd(s.avg_win)} (${pct(s.avg_win_pct)}) / ${usd(s.avg_loss)} (${pct(s.avg_loss_pct)})` },
    { 'Profit factor': num(s.profit_factor) },
    { Expectancy: `${usd(s.expectancy)} per trade${s.expectancy_r === null ? '' : `, ${num(s.expectancy_r)} R`}` },
    { 'Average return': `${pct(s.avg_return_pct)} per trade` },
    { 'Total return': `${usd(s.total_pnl)} (${pct(s.total_return_pct)} of ${usd(s.capital)})` },
    { 'Max drawdown': `${pct(s.max_drawdown_pct)} (${usd(s.max_drawdown_usd)})` },
    { 'Sharpe / Sortino': `${num(s.sharpe)} / ${num(s.sortino)} (daily returns, ${s.trading_days} day(s), annualised)` },
    { Exposure: pct(s.exposure_pct) },
    { 'Longest losing streak': `${s.longest_losing_streak} trade(s)` },
  );
  const lines = [t.toString()];
  const groups = [
    ['By hour of signal (New York):', 'hour', s.by_hour.map((r) => ({ ...r, key: `${r.key}:00` }))],
    ['By ticker:', 'ticker', s.by_ticker],
  ] as const;
  for (const [title, head, rows] of groups) {
    if (rows.length === 0) continue;
    const h = new Table({ ...COMPACT, head: [head, 'trades', 'win rate', 'P&L', 'avg return'], colAligns: ['left', 'right', 'right', 'right', 'right'] });
    for (const r of rows) h.push([r.key, r.trades, pct(r.win_rate_pct), usd(r.pnl), pct(r.avg_return_pct)]);
    lines.push(title, h.toString());
  }
  return lines.join('\n');
}

function num(v: number | null): string {
  return v === null ? '-' : v.toFixed(2);
}

function pct(v: number | null): string {
  return v === null ? '-' : `${v.toFixed(2)}%`;
}

function usd(v: number | null): string {
  if (v === null) return '-';
  const s = Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${v < 0 ? '-' : ''}$${s}`;
}
