/**
 * Trades → CSV (RFC 4180): a header of the Trade fields, one trade per line, in the trades' total order.
 *
 * Text cells are guarded against CSV injection (OWASP): a spreadsheet runs a cell starting with `=`, `+`,
 * `-`, `@`, a tab or a carriage return as a formula, and tickers come from vendor files and users' databases.
 * Such a text cell is written with a leading `'`, which spreadsheets hide and treat as "this is text".
 * Numbers are written as numbers: a negative P&L stays `-12.5`, a value no spreadsheet runs as a formula,
 * because only text can carry one.
 */
import { TRADE_COLUMNS } from '../results/results-db.js';
import type { Trade } from '../types.js';

export function formatTradesCsv(trades: readonly Trade[]): string {
  const lines = [TRADE_COLUMNS.join(',')];
  for (const t of trades) lines.push(TRADE_COLUMNS.map((c) => formatCsvField(t[c])).join(','));
  return lines.join('\n') + '\n';
}

const FORMULA_START = /^[=+\-@\t\r]/;

export function formatCsvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  const text = String(v);
  const s = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
