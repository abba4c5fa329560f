/**
 * The lines after `imported N bar(s)`: what the bars cover and what was left out, so a user sees a wrong zone
 * (bars at 04:30 instead of 09:30) or a wrong column before the first backtest, not after.
 */
import type { ImportReport } from '../data/import-csv.js';
import { BAD_ROW_LABELS, type BadRowKind } from '../data/parse-bar-row.js';
import { formatCount } from '../report/format-number.js';

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

export function formatImportSummary(report: ImportReport): string {
  const lines: string[] = [];
  const s = report.summary;
  if (s) {
    lines.push(`  ${plural(s.tickers, 'ticker')}, ${plural(s.days, 'trading day')} (${plural(s.tickerDays, 'ticker-day')}), ${s.from === s.to ? s.from : `${s.from} to ${s.to}`}`);
  }
  lines.push(report.outsideRegularHours > 0
    ? `  ${plural(report.outsideRegularHours, 'bar')} outside regular hours (09:30–16:00 New York): read only with --session extended`
    : '  every bar within regular hours (09:30–16:00 New York)');
  const skipped: string[] = [];
  for (const [kind, n] of Object.entries(report.badRowsByKind) as [BadRowKind, number][]) skipped.push(`${formatCount(n)} ${BAD_ROW_LABELS[kind]}`);
  if (report.repeatedRowCount > 0) skipped.push(`${formatCount(report.repeatedRowCount)} repeated`);
  if (report.conflictCount > 0) skipped.push(`${formatCount(report.conflictCount)} conflicting`);
  const total = report.badRowCount + report.repeatedRowCount + report.conflictCount;
  lines.push(total > 0 ? `  skipped ${plural(total, 'row')}: ${skipped.join(', ')}` : '  skipped no rows');
  return lines.map((l) => `${l}\n`).join('');
}
