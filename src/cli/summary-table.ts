/**
 * The end-of-run summary: a table on a terminal, one JSON line otherwise.
 */
import Table from 'cli-table3';
import type { RunResult } from '../engine/run-result.js';
import { listStatistics, type TradeStats } from '../stats/statistics.js';
import { formatCount as n, formatQuantity } from '../report/format-number.js';
import { fitTable, listTop } from '../report/fit-table.js';
import { describeSignalsMode } from '../report/describe-signals-mode.js';

const SHOWN_SIGNALS = 10;

export function renderSummary(result: RunResult, tty: boolean): string {
  const { run } = result;
  if (!tty) {
    return JSON.stringify({
      run_id: run.id, status: run.status, ticker_days: run.counts.ticker_days, ticker_days_planned: run.counts.ticker_days_planned, steps: run.counts.steps,
      signals: run.counts.signals, failures: run.counts.failures, wall_ms: run.timings.wall_ms,
      steps_per_s: run.timings.steps_per_s,
      ...(result.stats ? { stats: headlineStats(result.stats) } : {}),
    });
  }
  const t = new Table({ style: { head: [], border: [] } });
  t.push(
    { Run: `#${run.id} (${run.status})` },
    { Scanner: `${run.scanner.name} (${run.scanner.kind}, warmup ${run.warmup}, ${describeSignalsMode(run.signals_mode)})` },
    { Range: `${run.from} .. ${run.to}, ${n(run.tickers.length)} ticker(s), ${run.session} session` },
    { 'Ticker-days': `${formatDaysDone(run)} (${n(run.counts.ticker_days_skipped)} too short, ${n(run.counts.ticker_days_failed)} failed)` },
    { Steps: `${n(run.counts.steps)} at ${formatQuantity(run.timings.steps_per_s, 'rate')} steps/s on ${run.workers} worker thread(s)${run.workers < run.threads ? ` (${run.threads} asked; one per core for in-worker scanners)` : ''}` },
    { Signals: n(run.counts.signals) },
    { Failures: n(run.counts.failures) },
    { Time: `${formatQuantity(run.timings.wall_ms / 1000, 'seconds')} s` },
  );
  const lines = [fitTable(t)];
  if (result.signals.length > 0) {
    const s = new Table({ head: ['date', 'time', 'ticker', 'direction', 'strength'], colAligns: ['left', 'left', 'left', 'left', 'right'], style: { head: [], border: [] } });
    for (const sig of result.signals.slice(0, SHOWN_SIGNALS)) {
      s.push([sig.signal_date, sig.signal_time, sig.ticker, sig.direction ?? '', formatQuantity(sig.pattern_strength, 'strength', { none: '' })]);
    }
    lines.push(`First ${n(Math.min(SHOWN_SIGNALS, result.signals.length))} of ${n(result.signals.length)} signals:`, fitTable(s));
  }
  if (result.failures.length > 0) {
    lines.push(`Failures (first ${Math.min(5, result.failures.length)} of ${n(result.failures.length)}):`);
    lines.push(...listTop(result.failures.map((f) => `  ${f.ticker} ${f.date} ${f.code}: ${f.message}`), 5));
  }
  return lines.join('\n');
}

/** The statistics other than breakdowns and period returns, for the one-line summary (those are in --out). */
function headlineStats(s: TradeStats): Record<string, unknown> {
  const values = s as unknown as Record<string, unknown>;
  return Object.fromEntries(listStatistics().filter((st) => st.unit !== 'breakdown' && st.unit !== 'periods').map((st) => [st.key, values[st.key]]));
}

/**
 * `6 of 203` for a run that stopped before its end, else the count alone (the planned total is an upper bound
 * in a rare case, see plan/fingerprint-market.ts, so a finished run shows what it ran).
 */
function formatDaysDone(run: RunResult['run']): string {
  const c = run.counts;
  const stopped = run.status === 'interrupted' || run.status === 'error';
  return stopped ? `${n(c.ticker_days)} of ${n(c.ticker_days_planned)}` : n(c.ticker_days);
}
