/**
 * The audit as an HTML `<section>` fragment, for the HTML report to embed when one is requested (the report
 * itself comes with the trades work). Self-contained: inline styles only, every value escaped.
 */
import type { AuditResult, AuditStats } from '../audit/audit-types.js';
import { COMPARED_FIGURES, describeOrderCheck, describeUncheckable } from './audit-table.js';

export function renderAuditHtmlSection(result: AuditResult): string {
  const s = result.audit.summary;
  const pct = s.knowable_share === null ? 'n/a' : `${(s.knowable_share * 100).toFixed(1)}%`;
  const cell = (v: unknown) => `<td>${escapeHtml(v === null || v === undefined ? '' : String(v))}</td>`;
  const counts = (['confirmed', 'late', 'early', 'phantom', 'extra', 'before_warmup', 'time_outside_session'] as const)
    .map((c) => `<tr><th>${c.replace(/_/g, '-')}</th>${cell(s[c])}</tr>`).join('');
  const uncheckable = describeUncheckable(s);
  const rows = result.entries.filter((e) => e.category !== 'confirmed').map((e) => `<tr>${[
    e.date, e.ticker, e.category, e.reported_time !== undefined ? `${e.full_day?.signal_time} (reported ${e.reported_time})` : e.full_day?.signal_time,
    e.realtime?.signal_time, e.bars_late,
  ].map(cell).join('')}</tr>`).join('\n');
  return `<section class="barwise-audit">
<h2>Lookahead audit: ${escapeHtml(result.audit.scanner.name)}</h2>
<p><strong>${pct}</strong> of ${s.full_day_signals - s.before_warmup - s.time_outside_session} full-day signals realtime could check were knowable at the time (warmup ${s.warmup} bars).${uncheckable ? ` ${escapeHtml(uncheckable)}` : ''}</p>
<table>${counts}<tr><th>order-dependent</th>${cell(describeOrderCheck(result.audit.order_check))}</tr></table>
${orderTable(result, cell)}
${result.audit.stats ? statsTable(result.audit.stats, cell) : ''}
${rows ? `<table><thead><tr><th>date</th><th>ticker</th><th>category</th><th>full-day</th><th>realtime</th><th>bars late</th></tr></thead><tbody>\n${rows}\n</tbody></table>` : ''}
</section>
`;
}

function orderTable(result: AuditResult, cell: (v: unknown) => string): string {
  const days = result.audit.order_check?.order_dependent ?? [];
  if (days.length === 0) return '';
  const times = (xs: { signal_time: string }[]) => xs.map((x) => x.signal_time).join(' ');
  const rows = days.map((d) => `<tr>${[d.date, d.ticker, times(d.in_run), times(d.alone)].map(cell).join('')}</tr>`).join('\n');
  return `<p>These ticker-days' signals change when run alone: the scanner keeps state across ticker-days.</p>
<table><thead><tr><th>date</th><th>ticker</th><th>in the run</th><th>alone</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function statsTable(stats: AuditStats, cell: (v: unknown) => string): string {
  const rows = COMPARED_FIGURES.map(([k, label]) => `<tr><th>${label}</th>${cell(stats.full_day[k])}${cell(stats.realtime[k])}${cell(stats.diff[k])}</tr>`).join('');
  return `<h3>Taking the signals</h3>
<table><thead><tr><th></th><th>full-day backtest</th><th>realtime</th><th>difference</th></tr></thead><tbody>${rows}</tbody></table>`;
}
