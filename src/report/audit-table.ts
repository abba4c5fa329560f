/**
 * The audit for a terminal: a summary, then the signals that were not knowable at the time (late, early,
 * phantom) and realtime's extras, first ones first. Not a terminal: one JSON line with the summary.
 */
import Table from 'cli-table3';
import type { AuditEntry, AuditResult } from '../audit/audit-types.js';
import { listStatistics, type StatKey, type StatUnit } from '../stats/statistics.js';
import { formatCount as n, formatQuantity, type Quantity } from './format-number.js';
import { fitTable, listTop, readTerminalWidth } from './fit-table.js';
import { describeSignalsMode } from './describe-signals-mode.js';

const SHOWN = 20;

/** The audit's tables print raw figures: the unit goes in the label. */
const UNIT_SUFFIX: Partial<Record<StatUnit, string>> = { pct: ' %', usd: ' $', r: ' R' };

/** `width`: the columns the tables fit in (the terminal's; 80 when stdout is not a terminal). */
export function renderAuditTable(result: AuditResult, tty: boolean, width = readTerminalWidth()): string {
  const { audit, runs } = result;
  const s = audit.summary;
  if (!tty) {
    const order = audit.order_check;
    return JSON.stringify({
      status: audit.status, scanner: audit.scanner.name, runs: [runs.full_day.id, runs.realtime.id], ...s, unaudited: result.unaudited.length,
      order_checked: order?.checked ?? 0, order_dependent: order?.order_dependent.length ?? 0,
    });
  }
  const t = new Table({ style: { head: [], border: [] } });
  const checkable = s.full_day_signals - s.before_warmup - s.time_outside_session;
  t.push(
    { Scanner: `${audit.scanner.name} (${audit.scanner.kind}, warmup ${audit.warmup}, ${describeSignalsMode(audit.signals_mode)})` },
    { Range: `${audit.from} .. ${audit.to}, ${n(audit.tickers.length)} ticker(s)` },
    { Runs: `full-day #${runs.full_day.id}, realtime #${runs.realtime.id} (${audit.status})` },
    { 'Full-day signals': n(s.full_day_signals) },
    { 'Knowable at the time': `${formatQuantity(s.knowable_share, 'share', { none: 'n/a' })} (${n(s.confirmed)} confirmed${describeUncheckable(s) ? ` of the ${n(checkable)} realtime could check` : ''})` },
    { Late: s.late === 0 ? '0' : `${n(s.late)} (realtime fired ${formatQuantity(s.bars_late_mean, 'bars')} bars later on average, at most ${n(s.bars_late_max)})` },
    { Early: n(s.early) },
    { Phantom: `${n(s.phantom)} (realtime never fired)` },
    { Extra: `${n(s.extra)} (realtime only)` },
    { 'Before warmup': `${n(s.before_warmup)} (full-day signals before bar ${s.warmup}, the warmup: realtime takes no step there; not in the share)` },
    { 'Outside session': `${n(s.time_outside_session)}${s.time_outside_session > 0 ? ' (reported times outside the day\'s bars, e.g. UTC times: try --reported-time-zone UTC; not in the share)' : ''}` },
    { 'Order-dependent': describeOrderCheck(audit.order_check) },
  );
  const lines = [fitTable(t, width)];
  if (audit.stats) lines.push('Taking the signals (full-day backtest vs what was knowable):', renderStatsComparison(audit.stats, width));
  const off = result.entries.filter((e) => e.category !== 'confirmed');
  if (off.length > 0) {
    const d = new Table({ head: ['date', 'ticker', 'category', 'full-day', 'realtime', 'bars late'], colAligns: ['left', 'left', 'left', 'left', 'left', 'right'], style: { head: [], border: [] } });
    for (const e of off.slice(0, SHOWN)) d.push(row(e));
    lines.push(`Signals not confirmed (first ${n(Math.min(SHOWN, off.length))} of ${n(off.length)}):`, fitTable(d, width));
  }
  const dependent = audit.order_check?.order_dependent ?? [];
  if (dependent.length > 0) {
    lines.push('Ticker-days whose signals change when run alone (the scanner keeps state across ticker-days; use init(ctx), see README):');
    const times = (xs: { signal_time: string }[]) => xs.map((x) => x.signal_time).join(' ') || '-';
    lines.push(...listTop(dependent.map((d) => `  ${d.ticker} ${d.date}: in the run ${times(d.in_run)}, alone ${times(d.alone)}`), 5));
  }
  if (result.unaudited.length > 0) {
    const open = result.unaudited.filter((u) => u.code === 'NOT_FINISHED').length;
    const why = open === 0 ? 'failed in one run' : open === result.unaudited.length ? 'not finished by both runs' : 'failed in one run, or not finished by both';
    lines.push(`Left out, ${why} (${n(result.unaudited.length)}):`);
    lines.push(...listTop(result.unaudited.map((f) => `  ${f.ticker} ${f.date} (${f.run}) ${f.code}: ${f.message}`), 5));
  }
  return lines.join('\n');
}

/** What realtime could not check, in words (null when nothing): shared with the HTML section. */
export function describeUncheckable(s: AuditResult['audit']['summary']): string | null {
  const parts: string[] = [];
  if (s.before_warmup > 0) parts.push(`${s.before_warmup} before the warmup of ${s.warmup} bars (realtime's first step)`);
  if (s.time_outside_session > 0) parts.push(`${s.time_outside_session} with a reported time outside the session`);
  return parts.length > 0 ? `Not counted: ${parts.join(', ')}.` : null;
}

export function describeOrderCheck(order: AuditResult['audit']['order_check']): string {
  if (!order) return 'not checked';
  if (order.order_dependent.length === 0) return `0 of ${order.checked} sampled ticker-days (each re-run alone)`;
  return `${order.order_dependent.length} of ${order.checked} sampled ticker-days differ when run alone: results depend on task order`;
}

function row(e: AuditEntry): string[] {
  const side = (x: AuditEntry['full_day']) => (x ? `${x.signal_time}${x.direction ? ` ${x.direction}` : ''}` : '-');
  const reported = e.reported_time !== undefined ? ` (reported ${e.reported_time})` : '';
  return [e.date, e.ticker, e.category, side(e.full_day) + reported, side(e.realtime), e.bars_late === null ? '' : n(e.bars_late)];
}

/** The headline trade figures (the registry's `compared` statistics) the full-day backtest claimed beside the realtime ones. */
export const COMPARED_FIGURES: readonly (readonly [StatKey, string])[] = listStatistics().filter((st) => st.compared)
  .map((st) => [st.key, `${st.label}${UNIT_SUFFIX[st.unit] ?? ''}`] as const);

/** How the terminal writes a compared statistic of each unit (the unit is in the figure: `$`, `%`, ` R`). */
const QUANTITY_OF_UNIT: Partial<Record<StatUnit, Quantity>> = { usd: 'usd', pct: 'pct', ratio: 'ratio', r: 'ratio', count: 'count' };

function renderStatsComparison(stats: NonNullable<AuditResult['audit']['stats']>, width: number): string {
  const t = new Table({ head: ['', 'full-day', 'realtime', 'difference'], colAligns: ['left', 'right', 'right', 'right'], style: { head: [], border: [] } });
  for (const st of listStatistics().filter((x) => x.compared)) {
    const quantity = QUANTITY_OF_UNIT[st.unit] ?? 'ratio';
    const suffix = st.unit === 'r' ? ' R' : '';
    const fmt = (v: unknown, signed = false) => (typeof v === 'number' ? formatQuantity(v, quantity, { signed }) + suffix : 'n/a');
    t.push([st.label, fmt(stats.full_day[st.key]), fmt(stats.realtime[st.key]), fmt(stats.diff[st.key], true)]);
  }
  return fitTable(t, width);
}
