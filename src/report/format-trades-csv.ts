/**
 * Trades → CSV (RFC 4180): a header of the Trade fields, one trade per line, in the trades' total order.
 */
import { TRADE_COLUMNS } from '../results/results-db.js';
import type { Trade } from '../types.js';

export function formatTradesCsv(trades: readonly Trade[]): string {
  const lines = [TRADE_COLUMNS.join(',')];
  for (const t of trades) lines.push(TRADE_COLUMNS.map((c) => csvField(t[c])).join(','));
  return lines.join('\n') + '\n';
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
